"""Biovigilance at the same moment on PostgreSQL: one case submitted twice at once is submitted (and signed) once;
two serious events recorded at once never share a report id."""

import pytest
from sqlalchemy import func, select

from app.biovigilance.models import AdverseEvent, BiovigilanceCase
from app.signatures.models import Signature
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.helpers import PASSWORD
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)
CLINICIANS = (("clin1", ["clinician"]),)


EVENT = {"kind": "event", "occurred_on": "2026-11-30", "description": "fall on the ward",
         "seriousness": "hospitalisation", "outcome": "recovered"}


def _patient(bank, code: str) -> dict:
    return bank.as_user("clin1").post("/api/v1/patients", {"code": code, "site": "CHU Rennes",
                                                            "consent_date": "2026-11-01", "birth_year": 1980,
                                                            "sex": "F"})


def test_two_serious_events_at_once_never_share_a_report_id(tmp_path):
    with built(tmp_path, (*CLINICIANS, ("clin2", ["clinician"]))) as world:
        patients = [_patient(world.bank, code) for code in ("P-001", "P-002")]
        calls = [Call(user, "POST", f"/api/v1/patients/{patient['id']}/adverse-events", EVENT)
                 for user, patient in zip(("clin1", "clin2"), patients, strict=True)]
        answers = race(world.database, calls, table="biovigilance_cases")
        assert sorted(status for _, status, _ in answers) == [201, 409], answers
        [loser] = [body for _, status, body in answers if status == 409]
        assert "a biovigilance report id is given once" in loser["message"]
        assert world.scalar(select(func.count()).select_from(BiovigilanceCase)) == 1
        assert world.scalar(select(func.count()).select_from(AdverseEvent)) == 1
        world.verify()


def test_a_case_submitted_twice_at_once_is_submitted_once(tmp_path):
    with built(tmp_path, CLINICIANS) as world:
        patient = _patient(world.bank, "P-001")
        bank = world.bank
        event = bank.post(f"/api/v1/patients/{patient['id']}/adverse-events", EVENT)
        case_id = event["case"]["id"]
        response = bank.client.patch(f"/api/v1/biovigilance-cases/{case_id}", json={
            "reaction_type": "fall", "imputability": "excluded", "expectedness": "expected",
            "cause": "wet floor", "corrective_actions": "floor signs", "reason": "assessment"})
        assert response.status_code == 200, response.json
        url = f"/api/v1/biovigilance-cases/{case_id}/submit"
        calls = [Call("clin1", "POST", url, {"password": PASSWORD}), Call("qa1", "POST", url, {"password": PASSWORD})]
        answers = race(world.database, calls, table="biovigilance_cases")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        assert world.scalar(select(BiovigilanceCase.state).where(BiovigilanceCase.id == case_id)) == "submitted"
        assert world.scalar(select(func.count()).select_from(Signature).where(
            Signature.record_type == "biovigilance_cases")) == 1
        world.verify()
