"""Logging in, refusals and the audit trail page, driven through Chromium by keyboard and mouse."""

import re

import pytest
from playwright.sync_api import expect

from app.auth.credentials import LOGIN_REFUSED
from tests.e2e.helpers import audit_rows, fill_login, heading, tab_to
from tests.helpers import PASSWORD, create_user

pytestmark = pytest.mark.e2e


def test_keyboard_only_login_then_own_login_on_audit_trail(page, live_server):
    create_user(live_server.app, "qa_keys", roles=["qa"])
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("qa_keys")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/dashboard")
    expect(heading(page)).to_have_text("Dashboard")
    expect(page.locator("main")).to_contain_text("Logged in as qa_keys with role(s) qa")

    tab_to(page, "Audit trail")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/audit")
    expect(heading(page)).to_have_text("Audit trail")
    logins = [row for row in audit_rows(page) if row["action"] == "auth.login" and row["user"] == "qa_keys (qa)"]
    assert len(logins) == 1, logins
    assert logins[0]["reason"] == "password verified"
    assert "last_login_at" in logins[0]["changes"]


def test_wrong_password_shows_error_and_is_on_audit_trail(page, live_server):
    typo_id = create_user(live_server.app, "tech_typo", roles=["technician"])
    create_user(live_server.app, "qa_reviewer", roles=["qa"])
    page.goto("/login")
    with page.expect_response(lambda response: response.request.method == "POST") as refused:
        fill_login(page, "tech_typo", "not the right password")
    assert refused.value.status == 401
    expect(page.get_by_role("alert")).to_have_text(LOGIN_REFUSED)
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(heading(page)).to_have_text("Log in")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    fill_login(page, "qa_reviewer")
    expect(heading(page)).to_have_text("Dashboard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    failures = [row for row in audit_rows(page)
                if row["action"] == "auth.login_failed" and row["record"] == f"users {typo_id}"]
    assert len(failures) == 1, failures
    assert "wrong username or password" in failures[0]["reason"]
    assert "failed_logins: 0 → 1" in failures[0]["changes"]


def test_technician_sees_no_audit_link_and_is_refused_the_page(page, live_server):
    create_user(live_server.app, "tech_nosy", roles=["technician"])
    page.goto("/login")
    fill_login(page, "tech_nosy")
    expect(heading(page)).to_have_text("Dashboard")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)
    expect(page.get_by_role("link", name="Users")).to_have_count(0)

    response = page.goto("/audit")
    assert response.status == 403
    expect(heading(page)).to_have_text("403 Forbidden")
    expect(page.get_by_role("alert")).to_have_text("this needs the role qa or admin")
    expect(page.locator("#audit-entries")).to_have_count(0)


def test_login_returns_to_requested_page_and_logout_ends_the_session(page, live_server):
    create_user(live_server.app, "qa_deeplink", roles=["qa"])
    page.goto("/audit")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)audit$"))
    fill_login(page, "qa_deeplink")
    expect(page).to_have_url(f"{live_server.url}/audit")
    expect(heading(page)).to_have_text("Audit trail")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto("/audit")
    expect(heading(page)).to_have_text("Log in")

    fill_login(page, "qa_deeplink")
    expect(page).to_have_url(f"{live_server.url}/audit")
    logouts = [row for row in audit_rows(page) if row["action"] == "auth.logout" and row["user"] == "qa_deeplink (qa)"]
    assert len(logouts) == 1, logouts
