"""A technician places three vials into a box with a handheld scanner (keyboard only), then sees them on the map."""

import pytest
from playwright.sync_api import Page, expect

from tests.bankbuild import Bank
from tests.conftest import PASSWORD
from tests.e2e.test_login_audit import fill_login

pytestmark = pytest.mark.e2e

#: names of this test's own: the live database is shared with the other e2e tests (test_release.py builds DP-0001)
ADMIN, TECH, RECEIVER, LOT = "store-admin", "store-tech", "store-tech2", "DP-0902"


@pytest.fixture(scope="session")
def vials_and_box(live_server):
    """Three cryovials of a drug-product lot, in hand in the lab, and an empty 3 × 3 box, built through the API."""
    client = live_server.app.test_client()
    bank = Bank(client, lambda name, password=PASSWORD: client.post(
        "/api/v1/auth/login", json={"username": name, "password": password}))
    for name, roles in ((ADMIN, ["admin"]), (TECH, ["technician"]), (RECEIVER, ["technician"])):
        live_server.create_user(name, roles)
    bank.as_user(ADMIN)
    for code, kind in (("S9001", "tissue"), ("S9004", "drug_product")):
        bank.post("/api/v1/product-codes", {"code": code, "description": f"placement test {kind}", "lot_kind": kind})
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "Placement site"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Placement room", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-P", "racks": 1,
                                                        "boxes_per_rack": 1, "box": {"rows": 3, "columns": 3}})
    box = tank["children"][0]["children"][0]
    bank.as_user(TECH)
    donor = bank.post("/api/v1/donors", {"code": "ASC-P902", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": donor["id"], "collected_at": "2026-03-02T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "250", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    bank.as_user(RECEIVER).post(f"/api/v1/procurements/{procurement['id']}/receipt",
                                {"received_at": "2026-03-02T12:00:00+01:00", "temperature_c": "5"}, expect=200)
    bank.as_user(TECH)
    tissue = bank.post("/api/v1/lots", {"procurement_id": procurement["id"], "number": "T-0902",
                                        "product_code": "S9001"})
    lot = bank.post(f"/api/v1/lots/{tissue['id']}/children", {"number": LOT, "kind": "drug_product",
                                                              "product_code": "S9004", "passage": 2})
    vials = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 3, "container_type": "cryovial",
                                                          "volume_ml": "1.5", "cells": 25_000_000})
    client.post("/api/v1/auth/logout")
    return box, vials


def scan(page: Page, code: str) -> None:
    """What a handheld scanner does: type the code into the focused field, then Enter."""
    expect(page.get_by_label("Scan")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_three_vials_scanned_into_a_box_appear_on_its_map(page: Page, vials_and_box):
    box, vials = vials_and_box
    page.goto("/login")
    fill_login(page, TECH)
    page.goto("/storage/place")
    scan(page, box["barcode"])
    expect(page.locator("#place-target")).to_contain_text(f"Target: {box['name']}")
    for vial, position in zip(vials, ("A1", "A2", "A3"), strict=True):
        scan(page, vial["barcode"])
        expect(page.locator(".flash.success")).to_have_text(f"{vial['barcode']} → {box['name']}, {position}")

    scan(page, vials[0]["barcode"])
    expect(page.locator("#place-error")).to_contain_text(f"unit {vials[0]['barcode']} is not in hand in the lab")
    expect(page.locator("#place-target")).to_contain_text(f"Target: {box['name']}")

    page.get_by_role("link", name="Storage", exact=True).click()
    page.get_by_role("link", name=box["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(box["name"])
    for vial, position in zip(vials, ("A1", "A2", "A3"), strict=True):
        cell = page.locator(f"#boxmap #cell-{position}")
        expect(cell).to_have_class("cell occupied")
        expect(cell.get_by_role("link")).to_have_text(vial["barcode"])
    expect(page.locator("#boxmap td.occupied")).to_have_count(3)
    expect(page.locator("#boxmap td.free")).to_have_count(6)

    page.locator("#cell-A2").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Unit {vials[1]['barcode']}")
    expect(page.locator("#custody tbody tr")).to_have_count(2)
    expect(page.locator("#custody tbody tr").nth(1)).to_contain_text(f"stored the laboratory {box['name']}, A2")
