"""E2E fixtures: a live server on its own committed database per backend, and the system Chromium."""

from pathlib import Path

import pytest

from app.extensions import db
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.e2e.serving import browser_page, serving
from tests.helpers import BACKENDS, make_app, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class LiveServer:
    """A running app and its base URL (create users with tests.helpers.create_user on its app)."""

    def __init__(self, app, url: str):
        self.app, self.url = app, url


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request, tmp_path_factory):
    """The app with CSRF on, served by werkzeug in a thread on a fresh, committed database."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path_factory.mktemp("e2e"))
    try:
        app = make_app(database, WTF_CSRF_ENABLED=True)
        migrate(app)
        try:
            with serving(app, "e2e-live-server") as url:
                yield LiveServer(app, url)
        finally:
            with app.app_context():
                db.engine.dispose()
    finally:
        database.drop()


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless; Playwright never downloads a browser."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); the e2e tests drive the system Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, its URLs relative to the live server."""
    with browser_page(browser, live_server.url) as fresh:
        yield fresh
