"""The pharmacist scans a dose and the wrong patient and sees the refusal; then the right patient, signs, and sees
the dose dispensed, in Chromium, keyboard only."""


import pytest
from playwright.sync_api import Page, expect

from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import enrolled_patient, prepared_dose
from tests.e2e.helpers import fill_login
from tests.e2e.serving import browser_page, pharmacy_bank, serving
from tests.helpers import BACKENDS, PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=BACKENDS)
def pharmacy_server(request, tmp_path_factory):
    """A live server on a database of its own (its users are the bank's usual ones): P-001 with dose 1 prepared,
    P-002 enrolled."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    with pharmacy_bank(request.param, tmp_path_factory.mktemp("pharmacy")) as (app, bank, _):
        first, second = enrolled_patient(bank, "P-001"), enrolled_patient(bank, "P-002")
        dose = prepared_dose(bank, first)
        bank.client.post("/api/v1/auth/logout")
        with serving(app, "e2e-pharmacy") as url:
            yield url, dose, first, second


@pytest.fixture
def pharmacy_page(browser, pharmacy_server):
    with browser_page(browser, pharmacy_server[0], viewport={"width": 800, "height": 900}) as page:
        yield page


def scan(page: Page, label: str, code: str) -> None:
    """What a handheld scanner does: type the code into the focused field, then Enter."""
    expect(page.get_by_label(label)).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_the_wrong_patient_is_refused_then_the_right_one_is_dispensed(pharmacy_page: Page, pharmacy_server):
    page = pharmacy_page
    _, dose, first, second = pharmacy_server
    page.goto("/login")
    fill_login(page, "pharm1")
    page.get_by_role("link", name="Dispense").first.click()
    scan(page, "1. Scan the dose label", dose["barcode"])
    expect(page.locator("#scanned-dose")).to_contain_text(dose["barcode"])
    scan(page, "2. Scan the patient identifier", second["barcode"])
    verdict = page.locator("#verdict.refused")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text(f"wrong patient: dose {dose['barcode']} is for patient P-001, the scanned "
                                    "identifier is patient P-002")
    expect(page.get_by_role("button", name="Sign and dispense")).to_have_count(0)

    page.keyboard.press("Enter")  # "Start again" has the focus
    scan(page, "1. Scan the dose label", dose["barcode"])
    scan(page, "2. Scan the patient identifier", first["barcode"])
    expect(page.locator("#verdict.match")).to_contain_text("belongs to patient P-001")
    expect(page.get_by_label("Your password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".flash.success")).to_have_text(f"Dose {dose['barcode']} (dose 1) dispensed to the ward for "
                                                        "patient P-001.")
    page.goto(f"/pharmacy/dispense?dose_code={dose['barcode']}&patient_code={first['barcode']}")
    expect(page.locator("#verdict.refused")).to_contain_text(f"dose {dose['barcode']} was already dispensed at")
