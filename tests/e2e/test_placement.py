"""A technician places three vials into a box with a handheld scanner (keyboard only), then sees them on the map."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_login
from tests.e2e.seeding import Names, tank_with_vials

pytestmark = pytest.mark.e2e

NAMES = Names(prefix="store", number=902, lot="DP-0902", tank="LN2-P")
TECH = f"{NAMES.prefix}-tech"


@pytest.fixture(scope="session")
def vials_and_box(live_server):
    """Three cryovials of a drug-product lot, in hand in the lab, and an empty 3 × 3 box, built through the API."""
    bank, tank, vials = tank_with_vials(live_server, NAMES, 3)
    box = tank["children"][0]["children"][0]
    bank.client.post("/api/v1/auth/logout")
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
    for level in (f"{NAMES.prefix} site", f"{NAMES.prefix} room", NAMES.tank, f"{NAMES.tank} rack 1"):
        page.get_by_role("link", name=level, exact=True).click()  # the tree opens one level at a time
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
