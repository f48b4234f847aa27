"""After a recall every use of an affected unit or dose is refused with 409 naming the recall, and the refusal
writes nothing; material the recall did not reach still works."""

from app.dispensing.models import Dose
from app.recalls.models import RecallDose
from app.storage.models import Unit
from tests.dispensing.helpers import allocate, dispense, enrolled_patient, order, prepare, prepared_dose, thaw_allocated
from tests.recalls.helpers import REASON, open_recall, written

DISPATCH = {"destination": "Pharmacy, CHU Rennes", "shipper": "DS-1"}


def _recall_dp1(bank, drug_product) -> str:
    return open_recall(bank, f"lot:{drug_product['id']}")["recall"]["number"]


def refused(bank, session, user: str, url: str, body: dict, words: str) -> dict:
    bank.as_user(user)
    before = written(session)
    response = bank.client.post(url, json=body)
    assert response.status_code == 409, response.json
    assert words in response.json["message"], response.json["message"]
    assert written(session) == before
    return response.json


def _blocked(number: str, unit: dict | str) -> str:
    barcode = unit if isinstance(unit, str) else unit["barcode"]
    return f"unit {barcode} is blocked by recall {number}: {REASON}"


def test_dispatch_and_thaw_of_a_recalled_unit_are_refused_and_other_units_still_go(bank, drug_product, pharmacy,
                                                                                    second_lot, session):
    _, fresh = second_lot
    number = _recall_dp1(bank, drug_product)
    vial = pharmacy[0]
    refused(bank, session, "tech1", f"/api/v1/units/{vial['id']}/dispatch", DISPATCH, _blocked(number, vial))
    message = refused(bank, session, "tech1", f"/api/v1/units/{vial['id']}/thaw", {}, _blocked(number, vial))
    assert "(thawing is not allowed)" in message["message"]
    refused(bank, session, "tech1", "/api/v1/shipments", {"unit_ids": [vial["id"]], **DISPATCH},
            _blocked(number, vial))
    session.expire_all()
    assert session.get(Unit, vial["id"]).state == "in_storage"
    bank.as_user("tech1").post(f"/api/v1/units/{fresh[0]['id']}/thaw", {}, expect=200)
    bank.post(f"/api/v1/units/{fresh[1]['id']}/dispatch", DISPATCH)


def test_allocating_a_recalled_vial_is_refused_and_the_suggestion_takes_another_lot(bank, drug_product, pharmacy,
                                                                                   second_lot, session):
    lot, fresh = second_lot
    patient = enrolled_patient(bank)
    dose = order(bank, patient)
    number = _recall_dp1(bank, drug_product)
    refused(bank, session, "pharm1", f"/api/v1/doses/{dose['id']}/allocate", {"unit_ids": [pharmacy[0]["id"]]},
            _blocked(number, pharmacy[0]))
    allocations = allocate(bank, dose)
    assert [a["unit_id"] for a in allocations] == [fresh[0]["id"]]


def test_preparing_a_dose_of_recalled_vials_is_refused_and_the_dose_is_blocked(bank, drug_product, pharmacy,
                                                                               second_lot, session):
    patient = enrolled_patient(bank)
    dose = order(bank, patient)
    thaw_allocated(bank, allocate(bank, dose))
    number = _recall_dp1(bank, drug_product)
    [membership] = session.query(RecallDose).filter_by(dose_id=dose["id"]).all()
    assert membership.blocked and membership.state_at_recall == "allocated"
    refused(bank, session, "tech1", f"/api/v1/doses/{dose['id']}/prepare",
            {"post_thaw_cells": 20_000_000, "viability_pct": "86.5", "volume_ml": "5.00"},
            _blocked(number, pharmacy[0]))
    session.expire_all()
    assert session.get(Dose, dose["id"]).state == "allocated"
    other = order(bank, enrolled_patient(bank, "P-002"))
    thaw_allocated(bank, allocate(bank, other))
    assert prepare(bank, other)["state"] == "prepared"


def test_dispensing_a_dose_of_recalled_material_is_refused_and_another_dose_is_dispensed(bank, drug_product, pharmacy,
                                                                                        second_lot, session):
    first = enrolled_patient(bank)
    dose = prepared_dose(bank, first)
    number = _recall_dp1(bank, drug_product)
    scans = {"dose_code": dose["barcode"], "patient_code": first["barcode"]}
    check = refused(bank, session, "pharm1", "/api/v1/dispense/check", scans, "is blocked by recall")
    assert number in check["message"]
    answer = refused(bank, session, "pharm1", f"/api/v1/doses/{dose['id']}/dispense", {**scans, "password": "x" * 8},
                     f"is blocked by recall {number}: {REASON}")
    assert answer["message"].startswith("dispense refused: ")
    session.expire_all()
    assert session.get(Dose, dose["id"]).state == "prepared"
    second = enrolled_patient(bank, "P-002")
    other = prepared_dose(bank, second)
    assert session.get(Unit, other["syringe_unit_id"]).lot_id != drug_product["id"]
    assert dispense(bank, other, second).status_code == 200


def test_a_dose_already_on_the_ward_is_not_administered_after_a_recall(bank, drug_product, pharmacy, session):
    """The recall reaches a dispensed dose's syringe (to be returned): the clinician's administration is refused."""
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    number = _recall_dp1(bank, drug_product)
    refused(bank, session, "clin1", f"/api/v1/doses/{dose['id']}/administer", {"route": "intrathecal"},
            _blocked(number, dose["barcode"]))
    session.expire_all()
    assert session.get(Dose, dose["id"]).state == "dispensed"


def test_a_second_recall_of_the_same_units_blocks_them_too(bank, drug_product, pharmacy, session):
    first = _recall_dp1(bank, drug_product)
    second = open_recall(bank, f"donor:{bank.donor['id']}", reason="donor withdrew: later positive serology")
    assert second["recall"]["number"] != first and second["summary"]["units"] == 4
    refused(bank, session, "tech1", f"/api/v1/units/{pharmacy[1]['id']}/thaw", {}, _blocked(first, pharmacy[1]))
