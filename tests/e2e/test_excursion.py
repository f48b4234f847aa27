"""QA opens an excursion and closes a flag by keyboard: assessment, a wrong then the right password, signed."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_login, heading, tab_to
from tests.e2e.seeding import Names, tank_with_vials
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

NAMES = Names(prefix="exc", number=903, lot="DP-0903", tank="LN2-E")
QA, TANK = "exc-qa", NAMES.tank
ASSESSMENT = "Vapour phase stayed below -130 °C; no impact on the vials"


@pytest.fixture(scope="session")
def flagged_vials(live_server):
    """Two cryovials stored in a tank whose excursion flagged them and then ended, all through the API."""
    bank, tank, vials = tank_with_vials(live_server, NAMES, 2, extra_users=[(QA, ["qa"])], min_temp_c="-196",
                                        max_temp_c="-150")
    for vial in vials:
        bank.post(f"/api/v1/units/{vial['id']}/store", {"box_id": tank["children"][0]["children"][0]["id"]},
                  expect=200)
    for value in ("-141.0", "-187.5"):
        bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank["id"], "value_c": value,
                                                   "measured_at": dt.datetime.now(dt.UTC).isoformat()})
    bank.client.post("/api/v1/auth/logout")
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

    expect(page.locator("#page-error")).to_have_text("signature refused: wrong password")
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
