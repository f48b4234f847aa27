"""Browser helpers for the e2e tests: log in, move the focus with Tab, read the audit table."""

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import PASSWORD


def fill_login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill and submit the login form on the current page."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the element whose text is `name` has the focus; fail if Tab never reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"{name!r} cannot be reached with the Tab key")


def audit_rows(page: Page) -> list[dict]:
    """The rows of the audit trail table, keyed by the first word of each column header in lower case."""
    expect(page.locator("#audit-entries")).to_be_visible()
    keys = [header.split()[0].lower() for header in page.locator("#audit-entries thead th").all_inner_texts()]
    rows = page.locator("#audit-entries tbody tr").all()
    return [dict(zip(keys, row.locator("td").all_inner_texts(), strict=True)) for row in rows]


def heading(page: Page):
    return page.get_by_role("heading", level=1)
