"""Nothing a technician reads is cut off: in Chromium, every genealogy box holds its whole lot number and caption,
and every vial code in a box map sits on one line inside its cell, even for the longest lot number allowed."""

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import fill_login
from tests.e2e.seeding import Names, tank_with_vials

pytestmark = pytest.mark.e2e

LONGEST = "DP-0971-WCB-EXP01"  # 17 characters, the most a lot number may have (its vials: DP-0971-WCB-EXP01-A0)
NAMES = Names(prefix="clip", number=971, lot=LONGEST, tank="LN2-CLIP")

GENEALOGY_OVERFLOW = """() => [...document.querySelectorAll('svg.genealogy rect')].flatMap(rect => {
  const box = rect.getBBox();
  return [...rect.parentNode.querySelectorAll('text')]
    .filter(text => Math.abs(text.getBBox().y - box.y) < box.height && text.getBBox().x >= box.x - 1
                    && text.getBBox().x < box.x + box.width)
    .filter(text => text.getBBox().x + text.getBBox().width > box.x + box.width)
    .map(text => text.textContent);
})"""

BOXMAP_OVERFLOW = """() => [...document.querySelectorAll('#boxmap td.cell.occupied a')].filter(code => {
  const cell = code.closest('td').getBoundingClientRect(), drawn = code.getBoundingClientRect();
  return code.getClientRects().length !== 1 || drawn.height > 24 || drawn.right > cell.right || drawn.left < cell.left;
}).map(code => code.textContent)"""


def test_long_lot_numbers_and_vial_codes_are_shown_whole(live_server, page: Page):
    assert len(LONGEST) == 17
    bank, tank, vials = tank_with_vials(live_server, NAMES, 2)
    box = tank["children"][0]["children"][0]
    for vial in vials:
        bank.post(f"/api/v1/units/{vial['id']}/store", {"box_id": box["id"]}, expect=200)
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto("/login")
    fill_login(page, f"{NAMES.prefix}-tech")
    page.goto(f"/lots/{vials[0]['lot_id']}")
    assert page.locator("svg.genealogy text", has_text=LONGEST).count() == 1
    assert page.evaluate(GENEALOGY_OVERFLOW) == []
    page.goto(f"/storage/boxes/{box['id']}")
    assert page.locator("#boxmap td.cell.occupied a").count() == len(vials)
    assert page.evaluate(BOXMAP_OVERFLOW) == []
    assert page.locator("#boxmap a", has_text=vials[0]["barcode"]).is_visible()
