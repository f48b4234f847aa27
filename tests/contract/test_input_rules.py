"""Input rules hold for the API and the pages alike: refused with 422 and a message, nothing written, never a 500."""

import datetime as dt

import pytest
from sqlalchemy import func, select

import audit
from app.donors.models import Donor, ScreeningTest
from app.materials.models import MaterialLot
from app.storage.models import BlockedPosition
from tests.helpers import PASSWORD, count_audit
from tests.storage.helpers import boxes

NEXT_YEAR = dt.date.today().year + 1
BLANKS = ["   ", "\t\n  "]


def _refused(response, field: str | None = None, status: int = 422):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    if response.is_json:
        assert set(response.json) == {"code", "status", "message", "errors"} and response.json["message"]
        if field:
            assert field in response.json["message"], response.json
    return response


def _changes(session) -> int:
    """Audit entries other than logins and logouts (switching users writes those)."""
    return session.scalar(select(func.count()).select_from(audit.audit_log)
                          .where(audit.audit_log.c.action.not_like("auth.%")))


def _rows(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- pseudonymous donor codes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["Jane Doe", "JANE-DOE", "jane", "ASC D001", "ASC-D001\n"])
def test_a_donor_code_that_is_not_pseudonymous_is_refused_by_the_api(bank, session, code):
    before = (_rows(session, Donor), count_audit(session))
    response = bank.client.post("/api/v1/donors", json={"code": code, "consent_date": "2026-02-20",
                                                        "consent_scope": "allogeneic ASC bank"})
    _refused(response, "code")
    assert (_rows(session, Donor), count_audit(session)) == before


def test_the_donor_page_refuses_a_name_as_code(bank, session):
    before = (_rows(session, Donor), count_audit(session))
    response = bank.client.post("/donors", data={"code": "Jane Doe", "consent_date": "2026-02-20",
                                                 "consent_scope": "allogeneic ASC bank"})
    assert response.status_code == 422 and "pseudonymous" in response.get_data(as_text=True)
    assert (_rows(session, Donor), count_audit(session)) == before


# --- dates of past events -----------------------------------------------------------------------------------------

def test_a_consent_dated_in_the_future_is_refused_by_api_and_page(bank, session):
    before = _rows(session, Donor)
    body = {"code": "ASC-D777", "consent_date": f"{NEXT_YEAR}-01-10", "consent_scope": "allogeneic ASC bank"}
    _refused(bank.client.post("/api/v1/donors", json=body), "consent_date")
    _refused(bank.client.post("/donors", data=body))
    assert _rows(session, Donor) == before


def test_a_serology_sampled_next_year_cannot_make_a_donor_eligible(bank, session):
    donor = bank.post("/api/v1/donors", {"code": "ASC-D002", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    before = (_rows(session, ScreeningTest), count_audit(session))
    for marker in ("HIV", "HBV", "HCV", "HTLV", "syphilis"):
        body = {"marker": marker, "method": "serology", "sample_date": f"{NEXT_YEAR}-06-01", "result": "negative"}
        _refused(bank.client.post(f"/api/v1/donors/{donor['id']}/screening-tests", json=body), "sample_date")
        _refused(bank.client.post(f"/donors/{donor['id']}/screening-tests", data=body))
    assert (_rows(session, ScreeningTest), count_audit(session)) == before


@pytest.mark.parametrize("collected_at", [f"{NEXT_YEAR}-03-02T09:30:00+01:00", "1926-03-02T09:30:00+01:00",
                                          "2126-03-02T09:30:00+01:00"])
def test_a_collection_in_the_future_or_outside_the_din_years_is_refused(bank, session, collected_at):
    before = count_audit(session)
    response = bank.client.post("/api/v1/procurements", json={
        "donor_id": bank.donor["id"], "collected_at": collected_at, "site": "CHU Rennes", "quantity": "250",
        "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    _refused(response, "collected_at")
    assert count_audit(session) == before


def test_a_receipt_in_the_future_is_refused_by_api_and_page(bank, session):
    bank.as_user("tech1")
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": bank.donor["id"], "collected_at": "2026-03-03T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "250", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    bank.as_user("tech2")
    before = count_audit(session)
    _refused(bank.client.post(f"/api/v1/procurements/{procurement['id']}/receipt",
                              json={"received_at": f"{NEXT_YEAR}-03-03T12:00:00+01:00", "temperature_c": "5"}),
             "received_at")
    _refused(bank.client.post(f"/procurements/{procurement['id']}",
                              data={"received_at": f"{NEXT_YEAR}-03-03T12:00", "temperature_c": "5"}))
    assert count_audit(session) == before


def test_qc_and_step_times_in_the_future_are_refused(bank, drug_product, session):
    lot_id = drug_product["id"]
    before = count_audit(session)
    _refused(bank.client.post(f"/api/v1/lots/{lot_id}/qc-results", json={
        "test": "CD73", "value": "98", "unit": "%", "method": "flow cytometry", "instrument": "Navios",
        "performed_at": f"{NEXT_YEAR}-04-20T10:00:00+02:00"}), "performed_at")
    tissue = bank.tissue["id"]
    _refused(bank.client.post(f"/api/v1/lots/{tissue}/steps", json={
        "step_type": "digestion", "equipment": "BSC-2", "started_at": f"{NEXT_YEAR}-04-18T09:00:00+02:00"}),
        "started_at")
    assert count_audit(session) == before


@pytest.mark.parametrize("expiry", ["0190-01-31", "1899-12-31", "2150-01-01"])
def test_an_absurd_material_expiry_is_refused(bank, session, expiry):
    before = _rows(session, MaterialLot)
    response = bank.client.post("/api/v1/materials", json={"name": "Trypsin", "supplier": "Gibco",
                                                           "catalogue_number": "T-1", "supplier_lot": "L9",
                                                           "expiry": expiry})
    _refused(response, "expiry")
    assert _rows(session, MaterialLot) == before


# --- texts that must carry meaning ---------------------------------------------------------------------------------

def _reason_cases(bank, drug_product, units):
    """(url, body builder, field) for every endpoint whose text must carry meaning, with its record set up."""
    lot, tissue, unit = drug_product["id"], bank.tissue["id"], units[0]["id"]
    bank.as_user("tech1")
    deviation = bank.post(f"/api/v1/lots/{lot}/deviations", {"description": "a deviation to close"})
    result = bank.qc(lot, "CD73")
    bank.as_user("admin1")
    users = {u["username"]: u["id"] for u in bank.client.get("/api/v1/users").json["items"]}
    token = bank.post("/api/v1/tokens", {"name": "script"})
    return [
        ("admin1", f"/api/v1/users/{users['tech2']}/deactivate", {}, "reason"),
        ("admin1", f"/api/v1/users/{users['tech2']}/roles", {"roles": ["qa"]}, "reason"),
        ("admin1", f"/api/v1/users/{users['tech2']}/password", {"password": "a new password 2026"}, "reason"),
        ("admin1", f"/api/v1/tokens/{token['id']}/revoke", {}, "reason"),
        ("qa1", f"/api/v1/donors/{bank.donor['id']}/consent-withdrawal", {}, "reason"),
        ("tech1", f"/api/v1/lots/{tissue}/quarantine", {}, "reason"),
        ("tech1", f"/api/v1/units/{unit}/destroy", {}, "reason"),
        ("qa1", f"/api/v1/lots/{tissue}/reject", {"password": PASSWORD}, "reason"),
        ("qa1", f"/api/v1/deviations/{deviation['id']}/close", {"password": PASSWORD}, "resolution"),
        ("tech2", f"/api/v1/qc-results/{result['id']}/correct", {
            "value": "97", "unit": "%", "method": "flow cytometry", "instrument": "Navios EX",
            "performed_at": "2026-04-20T11:00:00+02:00"}, "reason"),
        ("qa1", f"/api/v1/donors/{bank.donor['id']}/eligibility", {"password": PASSWORD,
                                                                   "meaning": "donor ineligible"}, "reason"),
        ("qa1", f"/api/v1/lots/{lot}/retire", {"state": "expired"}, "reason"),
        ("qa1", "/api/v1/recalls", {"target": f"lot:{lot}", "password": PASSWORD}, "reason"),
        ("qa1", f"/api/v1/lots/{lot}/release", {"password": PASSWORD}, "reason"),
        ("qa1", f"/api/v1/materials/{bank.material['id']}/decision", {"password": PASSWORD,
                                                                       "meaning": "approved for use"}, "reason"),
        ("tech1", f"/api/v1/lots/{lot}/deviations", {}, "description"),
        ("admin1", "/api/v1/product-codes", {"code": "S1999", "lot_kind": "tissue"}, "description"),
    ]


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_reasons_and_descriptions_are_refused_everywhere(bank, drug_product, units, session, blank):
    cases = _reason_cases(bank, drug_product, units)
    before = _changes(session)
    for username, url, body, field in cases:
        bank.as_user(username)
        method = bank.client.put if url.endswith("/roles") else bank.client.post
        _refused(method(url, json={**body, field: blank}), field)
    assert _changes(session) == before


def test_a_blank_reason_on_a_page_is_refused(bank, session):
    bank.as_user("admin1")
    user_id = next(u["id"] for u in bank.client.get("/api/v1/users").json["items"] if u["username"] == "tech2")
    before = count_audit(session)
    _refused(bank.client.post(f"/users/{user_id}/deactivate", data={"reason": "   "}))
    assert count_audit(session) == before


# --- characters that text may not hold ----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["NUL\x00inside", "bell\x07", "escape\x1b[31m", "lone \ud800 surrogate", "del\x7f"])
def test_control_characters_and_lone_surrogates_are_refused(bank, session, bad):
    before = (_rows(session, Donor), count_audit(session))
    _refused(bank.client.post("/api/v1/donors", json={"code": "ASC-D003", "consent_date": "2026-02-20",
                                                      "consent_scope": bad}), "consent_scope")
    _refused(bank.client.post("/api/v1/auth/login", json={"username": bad, "password": "whatever it is"}))
    if "\ud800" not in bad:  # a query string or form is decoded by werkzeug, which replaces a lone surrogate
        bank.as_user("qa1")
        before = (before[0], count_audit(session))
        _refused(bank.client.get("/api/v1/audit", query_string={"action": bad}))
        _refused(bank.client.post("/donors", data={"code": "ASC-D003", "consent_date": "2026-02-20",
                                                   "consent_scope": bad}))
    assert (_rows(session, Donor), count_audit(session)) == before


def test_tabs_and_newlines_are_kept_in_multi_line_text_only(bank, drug_product, session):
    opened = bank.post(f"/api/v1/lots/{drug_product['id']}/deviations",
                       {"description": "cap loose on vial B0\n\tretightened, noted"})
    assert opened["description"] == "cap loose on vial B0\n\tretightened, noted"
    _refused(bank.client.post("/api/v1/donors", json={"code": "ASC-D004", "consent_date": "2026-02-20",
                                                      "consent_scope": "line one\nline two"}), "consent_scope")


# --- shapes and numbers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [64, 100_000])
def test_json_nested_too_deeply_is_refused_even_anonymous(client, depth):
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code in (400, 422) and "nested" in response.json["message"]


@pytest.mark.parametrize("record_id", [2**63, 2**64, 10**30])
def test_an_id_too_large_in_signatures_is_refused_not_500(bank, record_id):
    bank.as_user("qa1")
    listed = bank.client.get("/api/v1/signatures", query_string={"record_type": "users", "record_id": record_id})
    assert listed.status_code in (404, 422), listed.json
    signed = bank.client.post("/api/v1/signatures", json={"record_type": "users", "record_id": record_id,
                                                          "meaning": "access reviewed", "password": PASSWORD})
    assert signed.status_code in (404, 422), signed.json


def test_blocking_a_position_of_a_location_that_is_not_a_box_is_refused(bank, tank, session):
    bank.as_user("admin1")
    before = _rows(session, BlockedPosition)
    response = bank.client.post(f"/api/v1/storage/locations/{tank['id']}/blocked-positions",
                                json={"position": "A1", "reason": "cracked"})
    _refused(response, status=409)
    assert "not a box" in response.json["message"] and _rows(session, BlockedPosition) == before


def test_whole_numbers_sent_with_a_decimal_point_are_accepted_and_fractions_refused(bank, drug_product, tank):
    made = bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 2.0, "container_type": "cryovial",
                                                                   "volume_ml": "1.5", "cells": 72673.0})
    assert [u["cells"] for u in made] == [72673, 72673]
    store = bank.client.post(f"/api/v1/units/{made[0]['id']}/store", json={"box_id": float(boxes(tank)[0]["id"])})
    assert store.status_code == 200, store.json
    fraction = bank.client.post(f"/api/v1/units/{made[1]['id']}/store",
                                json={"box_id": boxes(tank)[0]["id"] + 0.5})
    _refused(fraction, "whole number")
    as_text = bank.client.post(f"/api/v1/units/{made[1]['id']}/store", json={"box_id": str(boxes(tank)[0]["id"])})
    _refused(as_text, "box_id")


def test_a_scanners_trailing_tab_or_newline_is_not_part_of_a_one_line_text(bank, tank):
    box = boxes(tank)[0]
    for suffix in ("\t", "\r\n"):
        found = bank.client.post("/api/v1/scan", json={"code": box["barcode"] + suffix})
        assert found.status_code == 200 and found.json["id"] == box["id"], found.json
    _refused(bank.client.post("/api/v1/scan", json={"code": box["barcode"] + "\tA1"}), "code")
