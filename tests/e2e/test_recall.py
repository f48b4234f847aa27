"""QA opens a recall from a lot's page and sees the patient who received affected material; a technician scans a
unit to record its disposition, in Chromium at 800 px."""


import pytest
from playwright.sync_api import Page, expect

from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.e2e.helpers import fill_login
from tests.e2e.serving import browser_page, pharmacy_bank, serving
from tests.helpers import BACKENDS, PASSWORD

pytestmark = pytest.mark.e2e
REASON = "donor look-back: late HCV NAT positive"


@pytest.fixture(scope="module", params=BACKENDS)
def recall_server(request, tmp_path_factory):
    """A live server on a database of its own: DP-0001 released, P-001's dose 1 from it dispensed to the ward."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    with pharmacy_bank(request.param, tmp_path_factory.mktemp("recall")) as (app, bank, vials):
        patient = enrolled_patient(bank, "P-001")
        dose = prepared_dose(bank, patient)
        assert dispense(bank, dose, patient).status_code == 200
        bank.client.post("/api/v1/auth/logout")
        with serving(app, "e2e-recall") as url:
            yield url, dose, vials


@pytest.fixture
def recall_page(browser, recall_server):
    with browser_page(browser, recall_server[0], viewport={"width": 800, "height": 900}) as page:
        yield page


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
