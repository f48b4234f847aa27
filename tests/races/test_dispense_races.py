"""Two pharmacists at the same moment on PostgreSQL: one dose is dispensed once, one vial is reserved once."""

import pytest
from sqlalchemy import func, select

from app.custody.models import CustodyEvent
from app.dispensing.models import Dose, DoseAllocation
from app.patients.models import Patient
from app.recalls.models import RecallDose
from app.signatures.models import Signature
from tests.bankbuild import build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import enrolled_patient, order, prepared_dose
from tests.helpers import PASSWORD
from tests.printing.helpers import set_expiry
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)
WARD = (("pharm1", ["pharmacist"]), ("pharm2", ["pharmacist"]), ("clin1", ["clinician"]))


def _released_vials(bank) -> list[dict]:
    """Four vials of a released drug-product lot with an expiry, in the laboratory (in hand)."""
    lot = build_drug_product(bank)
    set_expiry(bank, lot["id"])
    bank.full_qc(lot["id"])
    bank.as_user("qa2").release(lot["id"])
    return bank.as_user("tech1").post(f"/api/v1/lots/{lot['id']}/units", {
        "count": 4, "container_type": "cryovial", "volume_ml": "1.5", "cells": 25_000_000})


def _ready_to_dispense(bank) -> tuple[dict, dict]:
    """A dose prepared for an enrolled patient from released vials, and the pharmacist's dispense body for it."""
    _released_vials(bank)
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    return dose, {"dose_code": dose["barcode"], "patient_code": patient["barcode"], "password": PASSWORD}


def test_two_pharmacists_dispense_one_dose(tmp_path):
    with built(tmp_path, WARD) as world:
        dose, body = _ready_to_dispense(world.bank)
        url = f"/api/v1/doses/{dose['id']}/dispense"
        answers = race(world.database, [Call("pharm1", "POST", url, body), Call("pharm2", "POST", url, body)],
                       table="doses")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        [loser] = [body for _, status, body in answers if status == 409]
        assert f"dose {dose['barcode']} was already dispensed at" in loser["message"]
        assert world.scalar(select(Dose.state).where(Dose.id == dose["id"])) == "dispensed"
        assert world.scalar(select(func.count()).select_from(Signature).where(
            Signature.record_type == "doses", Signature.record_id == dose["id"])) == 1
        assert world.scalar(select(func.count()).select_from(CustodyEvent).where(
            CustodyEvent.unit_id == dose["syringe_unit_id"], CustodyEvent.event_type == "dispensed")) == 1
        world.verify()


def test_two_doses_reserve_one_vial(tmp_path):
    with built(tmp_path, WARD) as world:
        bank = world.bank
        vials = _released_vials(bank)
        first, second = enrolled_patient(bank, "P-001"), enrolled_patient(bank, "P-002")
        doses = [order(bank, first), order(bank, second)]
        body = {"unit_ids": [vials[0]["id"]]}
        answers = race(world.database, [Call("pharm1", "POST", f"/api/v1/doses/{doses[0]['id']}/allocate", body),
                                        Call("pharm2", "POST", f"/api/v1/doses/{doses[1]['id']}/allocate", body)],
                       table="dose_allocations")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        assert world.scalar(select(func.count()).select_from(DoseAllocation).where(
            DoseAllocation.unit_id == vials[0]["id"])) == 1
        states = {world.scalar(select(Dose.state).where(Dose.id == d["id"])) for d in doses}
        assert states == {"allocated", "ordered"}
        world.verify()


def test_two_clinicians_end_one_patient_differently(tmp_path):
    """One completes the trial, the other withdraws the patient at the same moment: the first to lock the patient
    wins, the other is refused by the status table (a final status has no next), nothing of it written."""
    with built(tmp_path, (*WARD, ("clin2", ["clinician"]))) as world:
        bank = world.bank
        patient = enrolled_patient(bank)
        url = f"/api/v1/patients/{patient['id']}/status"
        answers = race(world.database, [Call("clin1", "POST", url, {"status": "completed"}),
                                        Call("clin2", "POST", url, {"status": "withdrawn",
                                                                    "reason": "moved away"})],
                       table="patients")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        [winner] = [body for _, status, body in answers if status == 200]
        [loser] = [body for _, status, body in answers if status == 409]
        assert f"patient {patient['code']} is {winner['status']}" in loser["message"]
        assert "nothing: it is final" in loser["message"]
        assert world.scalar(select(Patient.status).where(Patient.id == patient["id"])) == winner["status"]
        world.verify()


def test_two_doses_reserve_one_vial_given_back_by_a_destroyed_dose(tmp_path):
    """The vial's first allocation is released: the index over unreleased allocations still holds it to one dose."""
    with built(tmp_path, WARD) as world:
        bank = world.bank
        vials = _released_vials(bank)
        patients = [enrolled_patient(bank, code) for code in ("P-001", "P-002", "P-003")]
        cancelled, *doses = [order(bank, patient) for patient in patients]
        body = {"unit_ids": [vials[0]["id"]]}
        bank.as_user("pharm1").post(f"/api/v1/doses/{cancelled['id']}/allocate", body, expect=200)
        bank.post(f"/api/v1/doses/{cancelled['id']}/destroy", {"reason": "order cancelled"}, expect=200)
        answers = race(world.database, [Call("pharm1", "POST", f"/api/v1/doses/{doses[0]['id']}/allocate", body),
                                        Call("pharm2", "POST", f"/api/v1/doses/{doses[1]['id']}/allocate", body)],
                       table="dose_allocations")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        held = select(func.count()).select_from(DoseAllocation).where(DoseAllocation.unit_id == vials[0]["id"])
        assert world.scalar(held) == 2 and world.scalar(held.where(DoseAllocation.released_at.is_(None))) == 1
        world.verify()


def test_two_pharmacists_destroy_one_allocated_dose(tmp_path):
    with built(tmp_path, WARD) as world:
        bank = world.bank
        vials = _released_vials(bank)
        dose = order(bank, enrolled_patient(bank))
        bank.as_user("pharm1").post(f"/api/v1/doses/{dose['id']}/allocate", {"unit_ids": [vials[0]["id"]]},
                                    expect=200)
        url = f"/api/v1/doses/{dose['id']}/destroy"
        answers = race(world.database, [Call("pharm1", "POST", url, {"reason": "order cancelled"}),
                                        Call("pharm2", "POST", url, {"reason": "patient withdrew"})], table="doses")
        assert sorted(status for _, status, _ in answers) == [200, 409], answers
        [winner] = [body for _, status, body in answers if status == 200]
        allocation = world.scalar(select(DoseAllocation.release_reason).where(DoseAllocation.dose_id == dose["id"]))
        assert allocation == winner["end_reason"]
        world.verify()


def test_a_recall_and_the_dispense_of_its_dose_at_once_agree(tmp_path):
    """QA recalls the dose's lot as the pharmacist dispenses the dose: either the recall is first and blocks the
    dose (the dispense is refused, nothing of it written), or the dispense is first and the recall records the
    dose as dispensed, its patient to be followed: never a dispensed dose the recall believes it blocked."""
    with built(tmp_path, WARD) as world:
        dose, dispense = _ready_to_dispense(world.bank)
        recall = {"target": f"lot:{dose['lot_id']}", "reason": "sterility failure", "password": PASSWORD}
        answers = race(world.database, [Call("pharm1", "POST", f"/api/v1/doses/{dose['id']}/dispense", dispense),
                                        Call("qa1", "POST", "/api/v1/recalls", recall)], table="audit_log")
        statuses = {call.username: (status, body) for call, status, body in answers}
        assert statuses["qa1"][0] == 201, answers
        state = world.scalar(select(Dose.state).where(Dose.id == dose["id"]))
        recorded = tuple(world.scalar(select(column).where(RecallDose.dose_id == dose["id"]))
                         for column in (RecallDose.state_at_recall, RecallDose.blocked))
        if statuses["pharm1"][0] == 200:
            assert (state, recorded) == ("dispensed", ("dispensed", False))
        else:
            assert statuses["pharm1"][0] == 409 and "blocked by recall" in statuses["pharm1"][1]["message"], answers
            assert (state, recorded) == ("prepared", ("prepared", True))
            assert world.scalar(select(func.count()).select_from(Signature).where(
                Signature.record_type == "doses", Signature.record_id == dose["id"])) == 0
        world.verify()
