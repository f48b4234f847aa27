"""Biovigilance at the same moment on PostgreSQL: one case submitted twice at once is submitted (and signed) once."""

import pytest
from sqlalchemy import func, select

from app.biovigilance.models import BiovigilanceCase
from app.signatures.models import Signature
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.helpers import PASSWORD
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)
CLINICIANS = (("clin1", ["clinician"]),)


def test_a_case_submitted_twice_at_once_is_submitted_once(tmp_path):
    with built(tmp_path, CLINICIANS) as world:
        bank = world.bank.as_user("clin1")
        patient = bank.post("/api/v1/patients", {"code": "P-001", "site": "CHU Rennes", "consent_date": "2026-11-01",
                                                 "birth_year": 1980, "sex": "F"})
        event = bank.post(f"/api/v1/patients/{patient['id']}/adverse-events", {
            "kind": "event", "occurred_on": "2026-11-30", "description": "fall on the ward",
            "seriousness": "hospitalisation", "outcome": "recovered"})
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
