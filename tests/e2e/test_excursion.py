"""QA opens an excursion and closes a flag by keyboard: assessment, a wrong then the right password, signed."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.bankbuild import Bank
from tests.conftest import PASSWORD
from tests.e2e.test_login_audit import fill_login, heading, tab_to

pytestmark = pytest.mark.e2e

#: names of this test's own: the live database is shared with the other e2e tests
ADMIN, TECH, RECEIVER, QA, LOT, TANK = "exc-admin", "exc-tech", "exc-tech2", "exc-qa", "DP-0903", "LN2-E"
ASSESSMENT = "Vapour phase stayed below -130 °C; no impact on the vials"


@pytest.fixture(scope="session")
def flagged_vials(live_server):
    """Two cryovials stored in a tank whose excursion flagged them and then ended, all through the API."""
    client = live_server.app.test_client()
    bank = Bank(client, lambda name, password=PASSWORD: client.post(
        "/api/v1/auth/login", json={"username": name, "password": password}))
    for name, roles in ((ADMIN, ["admin"]), (TECH, ["technician"]), (RECEIVER, ["technician"]), (QA, ["qa"])):
        live_server.create_user(name, roles)
    bank.as_user(ADMIN)
    for code, kind in (("S9301", "tissue"), ("S9304", "drug_product")):
        bank.post("/api/v1/product-codes", {"code": code, "description": f"excursion test {kind}", "lot_kind": kind})
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "Excursion site"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Excursion room", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": TANK, "racks": 1,
                                                        "boxes_per_rack": 1, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": {"rows": 3, "columns": 3}})
    bank.as_user(TECH)
    donor = bank.post("/api/v1/donors", {"code": "ASC-E903", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": donor["id"], "collected_at": "2026-03-02T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "250", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    bank.as_user(RECEIVER).post(f"/api/v1/procurements/{procurement['id']}/receipt",
                                {"received_at": "2026-03-02T12:00:00+01:00", "temperature_c": "5"}, expect=200)
    bank.as_user(TECH)
    tissue = bank.post("/api/v1/lots", {"procurement_id": procurement["id"], "number": "T-0903",
                                        "product_code": "S9301"})
    lot = bank.post(f"/api/v1/lots/{tissue['id']}/children", {"number": LOT, "kind": "drug_product",
                                                              "product_code": "S9304", "passage": 2})
    vials = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 2, "container_type": "cryovial",
                                                          "volume_ml": "1.5", "cells": 25_000_000})
    for vial in vials:
        bank.post(f"/api/v1/units/{vial['id']}/store", {"box_id": tank["children"][0]["children"][0]["id"]},
                  expect=200)
    for value in ("-141.0", "-187.5"):
        bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank["id"], "value_c": value,
                                                   "measured_at": dt.datetime.now(dt.UTC).isoformat()})
    client.post("/api/v1/auth/logout")
    return vials


def test_qa_closes_a_flag_by_keyboard_and_sees_it_closed(page: Page, flagged_vials):
    first, second = flagged_vials
    page.goto("/login")
    fill_login(page, QA)
    page.get_by_role("link", name="Excursions", exact=True).click()
    excursion = page.locator("#excursions tbody tr").filter(has_text=TANK)
    expect(excursion).to_contain_text("2 open, 0 closed")
    excursion.get_by_role("link").click()
    expect(heading(page)).to_contain_text(f"of {TANK}")
    rows = page.locator("#flags tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".status")).to_have_text("open")

    tab_to(page, f"Assess {first['barcode']}…")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Assessment")).to_be_focused()
    page.keyboard.type(ASSESSMENT)
    page.keyboard.press("Tab")
    page.keyboard.type("not my password")
    page.keyboard.press("Enter")

    expect(page.locator("#page-error")).to_have_text("signature refused: wrong username or password")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Assessment")).to_have_value(ASSESSMENT)
    expect(dialog.get_by_label("Assessment")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.locator(".flash.success")).to_have_text(f"Flag of unit {first['barcode']} closed: "
                                                         "your assessment is signed.")
    closed = rows.filter(has_text=first["barcode"])
    expect(closed.locator(".status")).to_contain_text("closed")
    expect(closed.locator(".assessment")).to_have_text(ASSESSMENT)
    expect(closed.locator(".signature")).to_contain_text("Exc-Qa Tester")
    expect(closed.locator(".signature")).to_contain_text("excursion assessed")
    expect(closed.locator(".signature")).to_contain_text("unchanged since signing")
    expect(rows.filter(has_text=second["barcode"]).locator(".status")).to_have_text("open")
    page.get_by_role("link", name="All excursions").click()
    expect(page.locator("#excursions tbody tr").filter(has_text=TANK)).to_contain_text("1 open, 1 closed")
