"""The patient page, preparation and ward pages through the test client, the work lists and the supply warnings."""

import datetime as dt

import pytest

from app.dispensing import supply
from config import Config
from tests.dispensing.helpers import allocate, answers, enrolled_patient, new_patient, order, thaw_allocated
from tests.helpers import PASSWORD, count_audit


def _form(answers_: dict) -> dict:
    body = {"password": PASSWORD, "assessed_on": dt.date.today().isoformat()}
    for key, answer in answers_.items():
        body[f"answer-{key}"], body[f"evidence-{key}"] = answer["answer"], answer["evidence"]
    return body


def test_a_clinician_signs_the_checklist_on_the_patient_page(bank, expiring, session):
    patient = new_patient(bank, birth_year=1960)  # 66 at inclusion: the computed age criterion fails
    page = bank.client.get(f"/patients/{patient['id']}")
    assert page.status_code == 200 and b"Sign the checklist" in page.data
    response = bank.client.post(f"/patients/{patient['id']}", data=_form(answers(edss="not_met")))
    assert response.status_code == 302
    shown = bank.client.get(f"/patients/{patient['id']}").get_data(as_text=True)
    assert "ineligible" in shown and "inclusion not met: EDSS score" in shown and "(age 66)" in shown
    refused = bank.client.post(f"/api/v1/patients/{patient['id']}/status", json={"status": "enrolled"})
    assert refused.status_code == 409 and "inclusion not met: Age between 18 and 55" in refused.json["message"]


def test_preparation_and_ward_pages_carry_a_dose_to_administration(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = order(bank, patient)
    thaw_allocated(bank, allocate(bank, dose))
    bank.as_user("tech1")
    assert dose["barcode"] in bank.client.get("/pharmacy/prepare").get_data(as_text=True)
    entries = count_audit(session)
    for field, bad in (("viability_pct", "100.5"), ("volume_ml", "0"), ("post_thaw_cells", "19.5e6")):
        refused = bank.client.post("/pharmacy/prepare", data={"code": dose["barcode"], "post_thaw_cells": "19500000",
                                                              "viability_pct": "88.0", "volume_ml": "5.00", field: bad})
        assert refused.status_code == 422 and field in refused.get_data(as_text=True), field  # the API's own rules
    assert count_audit(session) == entries
    prepared = bank.client.post("/pharmacy/prepare", data={"code": dose["barcode"], "post_thaw_cells": "19500000",
                                                            "viability_pct": "88,0", "volume_ml": "5.00"})
    assert prepared.status_code == 302, prepared.get_data(as_text=True)[:500]
    bank.as_user("pharm1")
    dashboard = bank.client.get("/dashboard").get_data(as_text=True)
    assert 'id="to-dispense"' in dashboard and dose["barcode"] in dashboard
    bank.client.post("/api/v1/doses/{}/dispense".format(dose["id"]), json={
        "dose_code": dose["barcode"], "patient_code": patient["barcode"], "password": PASSWORD})
    bank.as_user("clin1")
    assert dose["barcode"] in bank.client.get("/dashboard").get_data(as_text=True)
    given = bank.client.post(f"/doses/{dose['id']}/administer", data={})
    assert given.status_code == 302
    assert bank.client.get(f"/api/v1/doses/{dose['id']}").json["state"] == "administered"


def test_a_pharmacist_reserves_vials_from_the_work_list_but_does_not_prepare(bank, pharmacy, session):
    """The pharmacist may allocate and destroy, not prepare: the work list links to the dose, whose page offers the
    reservation and no preparation form; a preparation posted anyway is refused and changes nothing."""
    dose = order(bank, enrolled_patient(bank))
    bank.as_user("pharm1")
    link = f'href="/pharmacy/prepare?code={dose["barcode"]}"'
    assert link in bank.client.get("/dashboard").get_data(as_text=True)
    page = bank.client.get(f"/pharmacy/prepare?code={dose['barcode']}").get_data(as_text=True)
    assert f'action="/doses/{dose["id"]}/allocate"' in page and f'action="/doses/{dose["id"]}/destroy"' in page
    reserved = bank.client.post(f"/doses/{dose['id']}/allocate", data={})
    assert reserved.status_code == 302
    assert bank.client.get(f"/api/v1/doses/{dose['id']}").json["state"] == "allocated"
    page = bank.client.get(f"/pharmacy/prepare?code={dose['barcode']}").get_data(as_text=True)
    assert "post_thaw_cells" not in page
    entries = count_audit(session)
    refused = bank.client.post("/pharmacy/prepare", data={"code": dose["barcode"], "post_thaw_cells": "19500000",
                                                          "viability_pct": "88.0", "volume_ml": "5.00"})
    assert refused.status_code == 403 and count_audit(session) == entries
    bank.as_user("qa1")
    assert bank.client.get("/pharmacy/prepare").status_code == 403


def test_supply_warns_by_date_when_the_bank_cannot_cover_what_is_due(bank, pharmacy, app, session):
    patients = [enrolled_patient(bank, f"P-00{n}") for n in range(1, 6)]  # five dose 1 due today, four vials
    with app.test_request_context():
        due = supply.forecast()
    # dose 1 of each is due today, dose 2 three months later (inside the 90 days); the four vials go first-come
    assert [(d.patient_code, d.dose_number, d.covered_by) for d in due[:5]] == [
        ("P-001", 1, "DP-0001"), ("P-002", 1, "DP-0001"), ("P-003", 1, "DP-0001"), ("P-004", 1, "DP-0001"),
        ("P-005", 1, None)]
    assert all(d.covered_by is None for d in due[5:])
    bank.as_user("qa1")
    dashboard = bank.client.get("/dashboard").get_data(as_text=True)
    assert f"{dt.date.today().isoformat()}: dose 1 of patient P-005 cannot be covered" in dashboard
    assert len(patients) == 5


def test_supply_counts_the_configured_vials_for_each_dose(bank, pharmacy, app, session):
    for n in range(1, 4):
        enrolled_patient(bank, f"P-00{n}")
    app.config["DOSE_VIALS"] = 2  # four vials: two doses
    with app.test_request_context():
        due = supply.forecast()
    assert [(d.patient_code, d.covered_by) for d in due[:3]] == [("P-001", "DP-0001"), ("P-002", "DP-0001"),
                                                                 ("P-003", None)]


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_cellbank_dose_vials_is_checked_at_start(monkeypatch, value):
    monkeypatch.setenv("CELLBANK_DOSE_VIALS", "3")
    assert Config().DOSE_VIALS == 3
    monkeypatch.setenv("CELLBANK_DOSE_VIALS", value)
    with pytest.raises(ValueError, match=f"CELLBANK_DOSE_VIALS='{value}' must be a whole number of vials, at least 1"):
        Config()


def test_a_clinician_registers_enrols_and_orders_from_the_pages(bank, pharmacy, session):
    bank.as_user("clin1")
    registered = bank.client.post("/patients", data={"code": "P-010", "site": "CHU Rennes", "sex": "M",
                                                     "consent_date": dt.date.today().isoformat(), "birth_year": "1979"})
    assert registered.status_code == 302, registered.get_data(as_text=True)[:300]
    patient = next(p for p in bank.client.get("/api/v1/patients").json["items"] if p["code"] == "P-010")
    assert bank.client.post(f"/patients/{patient['id']}", data=_form(answers())).status_code == 302
    assert bank.client.post(f"/patients/{patient['id']}/enrol", data={}).status_code == 302
    ordered = bank.client.post(f"/patients/{patient['id']}/doses", data={
        "dose_number": "1", "planned_date": dt.date.today().isoformat(), "prescribed_cells": "20000000"})
    assert ordered.status_code == 302
    [dose] = bank.client.get(f"/api/v1/patients/{patient['id']}/doses").json
    late = bank.client.post(f"/patients/{patient['id']}/doses", data={
        "dose_number": "2", "planned_date": dt.date.today().isoformat(), "prescribed_cells": "20000000"})
    assert late.status_code == 409 and "outside that window" in late.get_data(as_text=True)
    bank.as_user("tech1")
    assert bank.client.post(f"/doses/{dose['id']}/allocate", data={}).status_code == 302
    assert bank.client.get(f"/api/v1/doses/{dose['id']}").json["state"] == "allocated"
