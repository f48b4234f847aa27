"""QA opens a quarantined lot, sees what blocks release, resolves it and signs the release, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.e2e.helpers import fill_login
from tests.helpers import PASSWORD, create_user

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def blocked_lot(live_server):
    """A drug product in quarantine whose only blockers are an unverified result and an open deviation."""
    client = live_server.app.test_client()

    def login(username, password=PASSWORD):
        return client.post("/api/v1/auth/login", json={"username": username, "password": password})

    bank = build_bank(Bank(client, login), lambda name, roles: create_user(live_server.app, name, roles))
    lot = build_drug_product(bank)
    results = [bank.qc(lot["id"], code) for code in ("CD73", "CD45", "VIAB", "COUNT", "STERILITY")]
    bank.as_user("tech2")
    for result in results[1:]:
        bank.post(f"/api/v1/qc-results/{result['id']}/verify", expect=200)
    bank.post(f"/api/v1/lots/{lot['id']}/deviations", {"description": "incubator door left ajar for 2 minutes"})
    return lot


def test_qa_resolves_blockers_and_signs_release(page: Page, blocked_lot):
    page.goto("/login")
    fill_login(page, "qa2")
    page.get_by_role("link", name="Lots", exact=True).click()
    page.get_by_role("link", name="DP-0001").click()
    page.get_by_role("link", name="Release page").click()
    blockers = page.locator("#blockers li")
    expect(blockers).to_have_count(2)
    expect(blockers.nth(0)).to_contain_text("CD73: result not verified by a second person")
    expect(blockers.nth(1)).to_contain_text("incubator door left ajar")
    expect(page.get_by_role("button", name="Sign release…")).to_have_count(0)

    page.get_by_role("link", name="DP-0001").click()
    page.get_by_role("button", name="Verify CD73").click()
    expect(page.locator(".flash.success")).to_contain_text("CD73 verified")
    deviation = page.locator("#deviations li").filter(has_text="incubator door")
    deviation.get_by_label("Resolution").fill("door alarm reviewed: no temperature impact")
    deviation.get_by_label("Your password").fill(PASSWORD)
    deviation.get_by_role("button", name="Close deviation").click()
    expect(page.locator(".flash.success")).to_contain_text("closed and signed")

    page.get_by_role("link", name="Release page").click()
    expect(page.locator("#ready")).to_be_visible()
    page.get_by_role("button", name="Sign release…").click()
    dialog = page.locator("#sign-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Your password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#lot-state")).to_have_text("released")
    signatures = page.locator("table.signatures")
    expect(signatures).to_contain_text("Qa2 Tester")
    expect(signatures).to_contain_text("released for clinical use")
    expect(signatures).to_contain_text("unchanged since signing")
