"""Accessibility: axe-core (tests/e2e/axe, npm) run in Chromium on every kind of page each role reaches from the
dashboard, with the WCAG 2.1 A and AA rules; no serious or critical violation."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import fill_login
from tests.e2e.seeding import Names, tank_with_vials
from tests.helpers import create_user
from tests.web.test_crawl import crawl

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
NAMES = Names(prefix="axe", number=960, lot="DP-0960", tank="LN2-AXE")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = {"technician": f"{NAMES.prefix}-tech", "qa": f"{NAMES.prefix}-qa", "admin": f"{NAMES.prefix}-admin",
         "pharmacist": f"{NAMES.prefix}-pharm", "clinician": f"{NAMES.prefix}-clin"}


@pytest.fixture(scope="session")
def pages_by_role(live_server):
    """One URL of each kind of HTML page (one per route) that each role reaches by links from the dashboard."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests/e2e/axe")
    bank, _, vials = tank_with_vials(live_server, NAMES, 2, extra_users=(
        (ROLES["qa"], ["qa"]), (ROLES["pharmacist"], ["pharmacist"])))
    create_user(live_server.app, ROLES["clinician"], ["clinician"])
    bank.post(f"/api/v1/lots/{vials[0]['lot_id']}/deviations", {"description": "label smudged on one vial"})
    adapter = live_server.app.url_map.bind("localhost")
    found = {}
    for role, username in ROLES.items():
        bank.as_user(username)
        kinds = {}
        for url, status in crawl(bank.client).items():
            if status != 200 or url.startswith(("/api/", "/static/")):
                continue
            endpoint, _ = adapter.match(url.split("?")[0], method="GET")
            kinds.setdefault(endpoint, url)
        found[role] = sorted(kinds.values())
    bank.client.post("/api/v1/auth/logout")
    return found


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_serious_or_critical_violation_on_any_page(browser, live_server, pages_by_role, role):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)  # axe is injected as a script
    try:
        page = context.new_page()
        page.goto("/login")
        fill_login(page, ROLES[role])
        problems = {}
        for url in pages_by_role[role]:
            page.goto(url)
            if found := violations(page):
                problems[url] = found
        assert len(pages_by_role[role]) > 5
        assert not problems, f"{role}: " + "\n".join(f"{url}: {found}" for url, found in problems.items())
    finally:
        context.close()


def test_french_pages_have_no_serious_or_critical_violation_either(browser, live_server, pages_by_role):
    """The technician's pages again, in French: the page says its language and the longer words break nothing."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/login")
        fill_login(page, ROLES["technician"])
        page.goto("/me/password")
        page.select_option("#locale", "fr")
        page.click("#locale-form button[type=submit]")
        problems = {}
        for url in pages_by_role["technician"]:
            page.goto(url)
            assert page.get_attribute("html", "lang") == "fr", url
            if found := violations(page):
                problems[url] = found
        assert page.text_content("nav[aria-label=Principal]").strip().startswith("Tableau de bord")
        assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
        page.goto("/me/password")
        page.select_option("#locale", "")
        page.click("#locale-form button[type=submit]")
    finally:
        context.close()
