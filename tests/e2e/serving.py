"""Serving an app to Chromium: werkzeug in a thread, a browser page on it, and a database of its own with the
pharmacy's usual bank (a released drug-product lot with an expiry, its vials in hand)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from app.extensions import db
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import create_database
from tests.helpers import api_login, create_user, make_app, migrate
from tests.printing.helpers import set_expiry


def closing_bodies(app):
    """The app with each response body read whole and closed before werkzeug writes it."""
    def wrapped(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            # werkzeug's dev server skips close() when the browser drops the connection, leaking a static file.
            if hasattr(body, "close"):
                body.close()
    return wrapped


@contextmanager
def serving(app, name: str) -> Iterator[str]:
    """The app served by werkzeug in a thread while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, closing_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def browser_page(browser, base_url: str, **options):
    """A fresh browser context (no cookies) and its page, URLs relative to base_url."""
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextmanager
def pharmacy_bank(backend: str, directory) -> Iterator[tuple[object, Bank, list[dict]]]:
    """An app with CSRF on, on a database of its own: the bank's usual users, pharm1 and clin1, DP-0001 released
    with an expiry and two vials of it in tech1's hands; yields (app, bank, vials), dropped afterwards."""
    database = create_database(backend, directory)
    app = make_app(database, WTF_CSRF_ENABLED=True)
    try:
        migrate(app)
        client = app.test_client()
        bank = build_bank(Bank(client, lambda name: api_login(client, name)),
                          lambda name, roles: create_user(app, name, roles))
        for name, role in (("pharm1", "pharmacist"), ("clin1", "clinician")):
            create_user(app, name, [role])
        lot = build_drug_product(bank)
        set_expiry(bank, lot["id"])
        bank.full_qc(lot["id"])
        bank.as_user("qa2").release(lot["id"])
        vials = bank.as_user("tech1").post(f"/api/v1/lots/{lot['id']}/units", {
            "count": 2, "container_type": "cryovial", "volume_ml": "1.5", "cells": 25_000_000})
        yield app, bank, vials
    finally:
        with app.app_context():
            db.engine.dispose()
        database.drop()
