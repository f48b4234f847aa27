"""A clinician records a fatal reaction on the patient's page, completes the case it opened and submits it signed,
in Chromium at 800 px."""


import pytest
from playwright.sync_api import Page, expect

from tests.biovigilance.helpers import site_today
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.e2e.helpers import fill_login
from tests.e2e.serving import browser_page, pharmacy_bank, serving
from tests.helpers import BACKENDS, PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=BACKENDS)
def ward_server(request, tmp_path_factory):
    """A live server on a database of its own: P-001's dose 1 from DP-0001 administered."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    with pharmacy_bank(request.param, tmp_path_factory.mktemp("biovigilance")) as (app, bank, vials):
        lot = bank.client.get(f"/api/v1/lots/{vials[0]['lot_id']}").json
        patient = enrolled_patient(bank, "P-001")
        dose = prepared_dose(bank, patient)
        assert dispense(bank, dose, patient).status_code == 200
        bank.as_user("clin1").post(f"/api/v1/doses/{dose['id']}/administer", {}, expect=200)
        bank.client.post("/api/v1/auth/logout")
        with serving(app, "e2e-biovigilance") as url:
            yield url, dose, lot


@pytest.fixture
def ward_page(browser, ward_server):
    with browser_page(browser, ward_server[0], viewport={"width": 800, "height": 900}) as page:
        yield page


def test_a_fatal_reaction_opens_a_case_completed_and_submitted_from_the_pages(ward_page: Page, ward_server):
    page = ward_page
    _, dose, lot = ward_server
    page.goto("/login")
    fill_login(page, "clin1")
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name="P-001").click()
    form = page.locator("#adverse-event-form")
    form.get_by_label("Kind").select_option("reaction")
    form.get_by_label("Occurred on").fill(site_today().isoformat())
    form.get_by_label("Description").fill("respiratory arrest two hours after the injection")
    form.get_by_label("Seriousness").select_option("fatal")
    form.get_by_label("Outcome").select_option("death")
    form.get_by_label(f"dose 1 ({dose['barcode']}").check()
    form.get_by_role("button", name="Record").click()
    expect(page.locator(".flash.success")).to_contain_text(f"case BV-{site_today().year}-0001 is open")
    expect(page.locator("#case-dins")).to_contain_text(lot["din"])
    expect(page.locator("#case-missing")).to_contain_text("corrective actions")

    case = page.locator("#case-form")
    case.get_by_label("Type of reaction or event").fill("respiratory arrest")
    case.get_by_label("Imputability").select_option("possible")
    case.get_by_label("Expectedness (reference safety information)").select_option("unexpected")
    case.get_by_label("Cause").fill("under investigation: the lot is quarantined")
    case.get_by_label("Corrective actions").fill("dosing suspended for every patient")
    case.get_by_label("Reason for the change").fill("first assessment")
    case.get_by_role("button", name="Save").click()
    expect(page.locator(".flash.success")).to_contain_text("updated")
    page.locator("#submit-form").get_by_label("Your password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".flash.success")).to_contain_text("submitted")
    expect(page.locator("#case-signatures")).to_contain_text("biovigilance notification submitted")
