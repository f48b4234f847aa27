"""QA opens a recall from a lot's page and sees the patient who received affected material; a technician scans a
unit to record its disposition, in Chromium at 800 px."""

import threading

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from app.extensions import db
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.e2e.helpers import fill_login
from tests.helpers import BACKENDS, PASSWORD, api_login, create_user, make_app, migrate
from tests.printing.helpers import set_expiry

pytestmark = pytest.mark.e2e
REASON = "donor look-back: late HCV NAT positive"


@pytest.fixture(scope="module", params=BACKENDS)
def recall_server(request, tmp_path_factory):
    """A live server on a database of its own: DP-0001 released, P-001's dose 1 from it dispensed to the ward."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path_factory.mktemp("recall"))
    app = make_app(database, WTF_CSRF_ENABLED=True)
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
    patient = enrolled_patient(bank, "P-001")
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    client.post("/api/v1/auth/logout")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-recall", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", dose, vials
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
        database.drop()


@pytest.fixture
def recall_page(browser, recall_server):
    context = browser.new_context(base_url=recall_server[0], viewport={"width": 800, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_qa_opens_a_recall_from_the_lot_page_and_sees_the_patients(recall_page: Page, recall_server):
    page = recall_page
    _, dose, vials = recall_server
    page.goto("/login")
    fill_login(page, "qa1")
    page.get_by_role("link", name="Lots", exact=True).click()
    page.get_by_role("link", name="DP-0001").click()
    page.get_by_role("link", name="Open a recall…").click()
    expect(page.locator("#recall-target-label")).to_contain_text("lot DP-0001")
    expect(page.get_by_label("Reason for the recall")).to_be_focused()
    page.keyboard.type(REASON)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign and open the recall").click()
    expect(page.locator(".flash.success")).to_contain_text("everything it reached is blocked")
    patients = page.locator("#recall-patients tbody tr")
    expect(patients).to_have_count(1)
    expect(patients.first).to_contain_text("P-001")
    expect(patients.first).to_contain_text(dose["barcode"])
    expect(patients.first).to_contain_text("dispensed")
    expect(page.locator("#recall-summary")).to_contain_text("1 lots, 3 units (3 not accounted for)")
    expect(page.locator("#recall-units")).to_contain_text("on the ward, for patient")
    recall_url = page.url

    page.get_by_role("button", name="Log out").click()
    fill_login(page, "tech1")
    page.goto(recall_url)
    expect(page.get_by_label("Scan the unit")).to_be_focused()
    page.keyboard.type(vials[1]["barcode"])
    page.keyboard.press("Enter")
    expect(page.locator(".flash.success")).to_contain_text(f"Unit {vials[1]['barcode']}: quarantined")
    expect(page.locator("#recall-summary")).to_contain_text("(2 not accounted for)")
