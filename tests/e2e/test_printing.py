"""QA approves a label template version in its signing dialog, then a technician prints every vial label of a lot
from the lot's page, keyboard only, in Chromium; the PDF downloaded reads back and scans to the lot's vials."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_login, tab_to
from tests.e2e.seeding import Names, tank_with_vials
from tests.helpers import PASSWORD
from tests.labels.scanning import needs_dmtx, needs_zbar, rasterise
from tests.printing.helpers import EXPIRY, stock_body
from tests.printing.reading import read, vial_texts

pytestmark = [pytest.mark.e2e, needs_zbar, needs_dmtx]

NAMES = Names(prefix="label", number=904, lot="DP-0904", tank="LN2-L")
QA, TECH = f"{NAMES.prefix}-qa", f"{NAMES.prefix}-tech"


@pytest.fixture(scope="session")
def draft_and_vials(live_server):
    """Three cryovials of a lot with an expiry, and a cryovial template whose version 1 the admin drafted."""
    bank, _, vials = tank_with_vials(live_server, NAMES, 3, extra_users=((QA, ["qa"]),))
    lot_id = bank.client.get(f"/api/v1/units/{vials[0]['id']}").json["lot_id"]
    bank.post(f"/api/v1/lots/{lot_id}/expiry", {"expires_at": EXPIRY, "reason": "shelf life 15 months"}, expect=200)
    bank.as_user(f"{NAMES.prefix}-admin")
    template = bank.post("/api/v1/label-templates", {"name": "Cryovial 32 x 13", "kind": "cryovial"})
    draft = bank.post(f"/api/v1/label-templates/{template['id']}/versions", stock_body("cryovial", "first layout"))
    bank.client.post("/api/v1/auth/logout")
    return bank, lot_id, draft, vials


def test_qa_approves_then_a_technician_prints_the_lots_vial_labels(page: Page, draft_and_vials, tmp_path: Path):
    bank, lot_id, draft, vials = draft_and_vials
    page.goto("/login")
    fill_login(page, QA)
    page.get_by_role("link", name="Labels", exact=True).click()
    page.get_by_role("link", name="Version 1").click()
    expect(page.locator("#version-state")).to_have_text("draft")
    expect(page.get_by_role("img", name="Sample label of version 1")).to_be_visible()
    tab_to(page, "Approve version 1…")
    page.keyboard.press("Enter")
    dialog = page.locator("#approve-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Your password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#version-state")).to_have_text("approved")
    expect(page.locator("table.signatures")).to_contain_text("label template approved")
    expect(page.locator("table.signatures")).to_contain_text("unchanged since signing")
    page.get_by_role("button", name="Log out").click()

    fill_login(page, TECH)
    page.get_by_role("link", name="Lots", exact=True).click()
    page.get_by_role("link", name=NAMES.lot).click()
    expect(page.locator("#vial-labels")).to_contain_text("3 unit(s); template Cryovial 32 x 13, version 1.")
    tab_to(page, "Print all 3 vial labels")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"labels-unit-{vials[0]['barcode']}-and-2-more.pdf"
    pdf = saved.read_bytes()

    bank.as_user(TECH)
    lot = bank.client.get(f"/api/v1/lots/{lot_id}").json
    pages = rasterise(pdf, 300)
    assert len(pages) == 3
    for image, vial in zip(pages, vials, strict=True):
        texts = read(image, matrix=True)
        assert texts == vial_texts(lot, vial)
        for text in texts:
            found = bank.client.post("/api/v1/scan", json={"code": text}).json
            assert (found["type"], found["id"]) == ("unit", vial["id"])
    page.goto(f"/units/{vials[0]['id']}")
    expect(page.locator("#print-history tbody tr")).to_have_count(1)
    expect(page.locator("#print-history")).to_contain_text("produced")
