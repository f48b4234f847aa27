"""An admin creates a user with exactly one role; a refused form keeps what was typed and shows the rule."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_login
from tests.helpers import create_user

pytestmark = pytest.mark.e2e

ADMIN = "form-admin"


@pytest.fixture(scope="session")
def admin(live_server):
    create_user(live_server.app, ADMIN, ["admin"])
    return ADMIN


def test_a_user_with_one_role_and_a_refused_form_that_keeps_its_input(page: Page, admin):
    page.goto("/login")
    fill_login(page, admin)
    page.get_by_role("link", name="Users", exact=True).click()
    form = page.locator("#user-form")
    form.get_by_label("Username").fill("form-pharm")
    form.get_by_label("Printed name (shown on signatures)").fill("Paule Pharmacienne")
    form.get_by_label("Initial password (at least 12 characters)").fill("short")
    form.get_by_label("pharmacist").check()
    form.get_by_role("button", name="Create user").click()
    expect(page.locator("#refusal")).to_contain_text("12 characters")
    expect(form.get_by_label("Username")).to_have_value("form-pharm")
    expect(form.get_by_label("Printed name (shown on signatures)")).to_have_value("Paule Pharmacienne")
    expect(form.get_by_label("pharmacist")).to_be_checked()
    expect(form.get_by_label("Initial password (at least 12 characters)")).to_have_value("")  # never kept

    form.get_by_label("Initial password (at least 12 characters)").fill("a long initial password")
    form.get_by_role("button", name="Create user").click()
    expect(page.locator(".flash.success")).to_have_text("User form-pharm created.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("form-pharm")
    page.get_by_role("link", name="Users", exact=True).click()
    row = page.locator("tr").filter(has=page.get_by_role("link", name="form-pharm", exact=True))
    expect(row.locator("td").nth(2)).to_have_text("pharmacist")


def test_the_audit_page_filters_by_choice_lists_and_fits_800_px(page: Page, admin):
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto("/login")
    fill_login(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("User", exact=True).select_option(admin)
    filters.get_by_label("Action", exact=True).select_option("auth.login")
    filters.get_by_role("button", name="Filter").click()
    rows = page.locator("#audit-entries tbody tr")
    expect(rows.first).to_contain_text("auth.login")
    for text in rows.all_inner_texts():
        assert admin in text and "auth.login" in text
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 800
