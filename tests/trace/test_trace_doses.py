"""The trace reaches the patient: forward from a donor or lot to every dose made of its vials and every patient it
was for; backward from a patient, a dose or a syringe to the vials, the lot lineage, the procurement and the donor."""

from sqlalchemy import select

from app.dispensing.models import DoseAllocation
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.trace.helpers import keys_of as _keys
from tests.trace.helpers import trace as _trace


def _dispensed(bank, session) -> tuple[dict, dict, list[int]]:
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    vials = list(session.scalars(select(DoseAllocation.unit_id).where(DoseAllocation.dose_id == dose["id"])))
    assert vials
    return patient, dose, vials


def test_forward_from_the_donor_reaches_the_dose_and_the_patient(bank, pharmacy, drug_product, session):
    patient, dose, vials = _dispensed(bank, session)
    answer = _trace(bank, f"donor:{bank.donor['id']}", "forward")
    keys = _keys(answer)
    assert {f"dose:{dose['id']}", f"patient:{patient['id']}", f"unit:{dose['syringe_unit_id']}"} <= keys
    assert {f"unit:{v}" for v in vials} <= keys
    edges = {(e["from"], e["to"], e["kind"]) for e in answer["edges"]}
    assert (f"dose:{dose['id']}", f"patient:{patient['id']}", "given_to") in edges
    assert (f"dose:{dose['id']}", f"unit:{dose['syringe_unit_id']}", "prepared_as") in edges
    assert {(f"unit:{v}", f"dose:{dose['id']}", "allocated_to") for v in vials} <= edges
    node = next(n for n in answer["nodes"] if n["key"] == f"dose:{dose['id']}")
    assert node["state"] == "dispensed" and node["dispensed_at"] and node["patient_id"] == patient["id"]


def test_backward_from_the_patient_reaches_vials_lineage_and_donor(bank, pharmacy, drug_product, session):
    patient, dose, vials = _dispensed(bank, session)
    keys = _keys(_trace(bank, f"patient:{patient['id']}", "backward"))
    assert {f"dose:{dose['id']}", f"lot:{drug_product['id']}", f"lot:{bank.tissue['id']}",
            f"procurement:{bank.procurement['id']}", f"donor:{bank.donor['id']}"} <= keys
    assert {f"unit:{v}" for v in vials} <= keys
    syringe = _keys(_trace(bank, f"unit:{dose['syringe_unit_id']}", "backward"))
    assert {f"dose:{dose['id']}", f"donor:{bank.donor['id']}"} <= syringe and f"patient:{patient['id']}" not in syringe


def test_another_patient_is_not_in_the_trace_of_the_first(bank, pharmacy, drug_product, session):
    first, dose, _ = _dispensed(bank, session)
    second = enrolled_patient(bank, "P-002")
    keys = _keys(_trace(bank, f"dose:{dose['id']}", "forward"))
    assert f"patient:{first['id']}" in keys and f"patient:{second['id']}" not in keys
