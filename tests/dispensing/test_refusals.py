"""Every refusal of the dispense is a 409 naming the rule, and nothing is written: no signature, no audit entry,
no custody event, the dose still prepared."""

import datetime as dt
import time

import pytest
from sqlalchemy import func, select

from app.custody.models import CustodyEvent
from app.dispensing import checks
from app.dispensing.models import Dose
from app.signatures.models import Signature
from tests.dispensing.helpers import (
    allocate,
    dispense,
    enrolled_patient,
    order,
    prepare,
    prepared_dose,
    sign_checklist,
    thaw_allocated,
)
from tests.helpers import PASSWORD, count_audit
from tests.monitoring.helpers import reading
from tests.storage.helpers import boxes


@pytest.fixture
def ready(bank, pharmacy):
    """P-001 with dose 1 prepared; P-002 enrolled with no dose."""
    first = enrolled_patient(bank, "P-001")
    second = enrolled_patient(bank, "P-002")
    return first, second, prepared_dose(bank, first)


def _written(session) -> tuple:
    return (session.scalar(select(func.count()).select_from(Signature)), count_audit(session),
            session.scalar(select(func.count()).select_from(CustodyEvent)))


def refused(bank, session, dose: dict, patient: dict, words: str, **scans) -> None:
    """The dispense (scans of the dose label and this patient's identifier) is refused with these words."""
    bank.as_user("pharm1")
    before = _written(session)
    scanned = {"dose_code": scans.get("dose_code", dose["barcode"]), "patient_code": patient["barcode"]}
    check = bank.client.post("/api/v1/dispense/check", json=scanned)
    if scans:  # a dose label the bank does not know: the check finds no dose
        assert check.status_code == 404 and "no dose has the code" in check.json["message"], check.json
    else:
        assert check.status_code == 409 and words in check.json["message"], check.json
    response = bank.client.post(f"/api/v1/doses/{dose['id']}/dispense", json={**scanned, "password": PASSWORD})
    assert response.status_code == 409, response.json
    assert response.json["message"].startswith("dispense refused: ") and words in response.json["message"]
    assert _written(session) == before
    assert session.get(Dose, dose["id"]).state == dose["state"]


def test_the_wrong_patient_is_refused_naming_both(bank, ready, session):
    first, second, dose = ready
    refused(bank, session, dose, second, f"wrong patient: dose {dose['barcode']} is for patient P-001, the scanned "
                                         "identifier is patient P-002")
    assert session.get(Dose, dose["id"]).state == "prepared"


def test_a_label_that_is_not_this_dose_is_refused(bank, ready, session):
    first, _, dose = ready
    refused(bank, session, dose, first, f"is not dose {dose['barcode']}", dose_code="DS-XXXXXXXX")


def test_a_dose_past_its_expiry_after_thaw_is_refused(bank, ready, session, monkeypatch):
    first, _, dose = ready
    expiry = dt.datetime.fromisoformat(dose["expires_at"])
    monkeypatch.setattr(checks, "now", lambda: expiry + dt.timedelta(minutes=1))
    refused(bank, session, dose, first, f"dose {dose['barcode']} expired after thaw at")


def test_a_lot_past_its_expiry_is_refused(bank, ready, session, monkeypatch):
    first, _, dose = ready
    monkeypatch.setattr(checks, "now", lambda: dt.datetime(2027, 7, 1, tzinfo=dt.UTC))
    refused(bank, session, dose, first, "lot DP-0001 expired at 2027-06-30 21:59 UTC")


def test_a_lot_no_longer_released_is_refused(bank, ready, drug_product, session):
    first, _, dose = ready
    bank.as_user("qa1").post(f"/api/v1/lots/{drug_product['id']}/retire",
                             {"state": "expired", "reason": "sterility failure at the contract laboratory"}, expect=200)
    refused(bank, session, dose, first, "lot DP-0001 is expired, not released")


def test_a_dose_of_recalled_material_is_refused_naming_the_recall(bank, ready, drug_product, session):
    first, _, dose = ready
    recall = bank.as_user("qa1").post("/api/v1/recalls", {"target": f"lot:{drug_product['id']}", "password": PASSWORD,
                                                          "reason": "sterility failure at the contract laboratory"})
    refused(bank, session, dose, first, f"is blocked by recall {recall['recall']['number']}: sterility failure")


def test_a_vial_flagged_by_an_excursion_is_refused(bank, bank_tank_dose, session):
    first, dose = bank_tank_dose
    refused(bank, session, dose, first, "is flagged by excursion")


@pytest.fixture
def bank_tank_dose(bank, pharmacy, tank):
    """A dose whose vial was in the tank while its logger, imported late, shows an excursion."""
    first = enrolled_patient(bank, "P-001")
    dose = order(bank, first)
    allocations = allocate(bank, dose)
    bank.as_user("tech1")
    stored_at = dt.datetime.now(dt.UTC)
    bank.post(f"/api/v1/units/{allocations[0]['unit_id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    time.sleep(1.5)
    bank.post(f"/api/v1/units/{allocations[0]['unit_id']}/retrieve", {}, expect=200)
    thaw_allocated(bank, allocations)
    dose = prepare(bank, dose)
    reading(bank, tank, "-130", at=stored_at + dt.timedelta(seconds=0.5))
    reading(bank, tank, "-188", at=stored_at + dt.timedelta(seconds=1))
    return first, dose


@pytest.mark.parametrize("status", ["withdrawn", "completed"])
def test_a_patient_no_longer_enrolled_is_refused(bank, ready, session, status):
    first, _, dose = ready
    bank.as_user("clin1").post(f"/api/v1/patients/{first['id']}/status",
                               {"status": status, "reason": "patient's own decision"}, expect=200)
    refused(bank, session, dose, first, f"patient P-001 is {status}, not enrolled")


def test_a_patient_found_ineligible_again_is_refused(bank, ready, session):
    first, _, dose = ready
    sign_checklist(bank, first, protection="present")
    refused(bank, session, dose, first, "patient P-001 is not eligible: exclusion present: Legal protection")


def test_a_dose_number_already_administered_is_refused(bank, ready, session):
    first, _, dose = ready
    spare = prepared_dose(bank, first, 1)  # a second preparation of dose 1, ordered while the first was not given
    assert dispense(bank, dose, first).status_code == 200
    bank.as_user("clin1").post(f"/api/v1/doses/{dose['id']}/administer", {}, expect=200)
    refused(bank, session, spare, first, f"dose number 1 of this patient is already administered "
                                         f"(dose {dose['barcode']})")


def test_a_second_dispense_of_the_same_dose_is_refused(bank, ready, session):
    first, _, dose = ready
    assert dispense(bank, dose, first).status_code == 200
    dose = bank.client.get(f"/api/v1/doses/{dose['id']}").json
    refused(bank, session, dose, first, f"dose {dose['barcode']} was already dispensed at")


def test_a_wrong_password_dispenses_nothing(bank, ready, session):
    first, _, dose = ready
    before = _written(session)
    response = dispense(bank, dose, first, password="not the password")
    assert response.status_code == 401
    assert session.get(Dose, dose["id"]).state == "prepared"
    assert _written(session)[0] == before[0] and _written(session)[2] == before[2]


def test_a_technician_cannot_dispense(bank, ready, session):
    first, _, dose = ready
    response = dispense(bank, dose, first, user="tech1")
    assert response.status_code == 403 and session.get(Dose, dose["id"]).state == "prepared"
