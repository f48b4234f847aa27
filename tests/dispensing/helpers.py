"""Dispensing test helpers: an enrolled patient and a dose driven along its workflow through the API."""

import datetime as dt

from app.patients import criteria
from tests.helpers import PASSWORD

PRESCRIBED = 20_000_000


def answers(**changed) -> dict:
    """Every answered criterion fulfilled (inclusion met, exclusion absent) with its evidence, unless changed."""
    found = {c["id"]: {"answer": "met" if c["kind"] == "inclusion" else "absent",
                       "evidence": f"screening file, section {c['id']}"} for c in criteria.answered_criteria()}
    for key, answer in changed.items():
        found[key] = {"answer": answer, "evidence": "screening visit note"}
    return found


def today() -> dt.date:
    return dt.date.today()


def new_patient(bank, code: str = "P-001", birth_year: int = 1980, sex: str = "F") -> dict:
    bank.as_user("clin1")
    return bank.post("/api/v1/patients", {"code": code, "site": "CHU Rennes", "consent_date": today().isoformat(),
                                          "birth_year": birth_year, "sex": sex})


def sign_checklist(bank, patient: dict, expect: int = 200, **changed) -> dict:
    bank.as_user("clin1")
    return bank.post(f"/api/v1/patients/{patient['id']}/eligibility",
                     {"password": PASSWORD, "assessed_on": today().isoformat(), "answers": answers(**changed)},
                     expect=expect)


def enrolled_patient(bank, code: str = "P-001") -> dict:
    patient = new_patient(bank, code)
    sign_checklist(bank, patient)
    return bank.post(f"/api/v1/patients/{patient['id']}/status", {"status": "enrolled"}, expect=200)


def order(bank, patient: dict, number: int = 1, expect: int = 201, login: bool = True, **body) -> dict:
    if login:
        bank.as_user("clin1")
    payload = {"dose_number": number, "planned_date": today().isoformat(), "prescribed_cells": PRESCRIBED, **body}
    return bank.post(f"/api/v1/patients/{patient['id']}/doses", payload, expect=expect)


def allocate(bank, dose: dict, expect: int = 200, **body) -> list[dict]:
    bank.as_user("pharm1")
    return bank.post(f"/api/v1/doses/{dose['id']}/allocate", body, expect=expect)


def thaw_allocated(bank, allocations: list[dict]) -> None:
    bank.as_user("tech1")
    for allocation in allocations:
        bank.post(f"/api/v1/units/{allocation['unit_id']}/thaw", {}, expect=200)


def prepare(bank, dose: dict, expect: int = 200, login: bool = True, **body) -> dict:
    if login:
        bank.as_user("tech1")
    payload = {"post_thaw_cells": PRESCRIBED, "viability_pct": "86.5", "volume_ml": "5.00", **body}
    return bank.post(f"/api/v1/doses/{dose['id']}/prepare", payload, expect=expect)


def prepared_dose(bank, patient: dict, number: int = 1) -> dict:
    dose = order(bank, patient, number)
    thaw_allocated(bank, allocate(bank, dose))
    return prepare(bank, dose)


def dispense(bank, dose: dict, patient: dict, user: str = "pharm1", password: str = PASSWORD):
    """The dispense as the pharmacist scans it: the dose label, then the patient identifier; the raw response."""
    bank.as_user(user)
    return bank.client.post(f"/api/v1/doses/{dose['id']}/dispense", json={
        "dose_code": dose["barcode"], "patient_code": patient["barcode"], "password": password})
