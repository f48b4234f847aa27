"""A batch recorded through the pages only: procurement, receipt, tissue and child lots, a step with a scanned material
lot, units, quarantine, QC results; vials placed by scanner; QA verifies and releases; the lot shows the signature."""

import pytest
from playwright.sync_api import Page, expect

from tests.bankbuild import DP_TESTS, PASSING, add_tests
from tests.e2e.helpers import fill_login
from tests.e2e.seeding import api_client
from tests.helpers import PASSWORD, create_user

pytestmark = pytest.mark.e2e

P = "batch"
ADMIN, TECH, TECH2, QA = (f"{P}-{role}" for role in ("admin", "tech", "tech2", "qa"))


@pytest.fixture(scope="session")
def groundwork(live_server):
    """What the technician's batch stands on (not part of the batch record): users, a tank with a 3 × 3 box, the
    drug-product specification, an approved material lot, and a registered, screened donor."""
    for name, roles in ((ADMIN, ["admin"]), (TECH, ["technician"]), (TECH2, ["technician"]), (QA, ["qa"])):
        create_user(live_server.app, name, roles)
    bank = api_client(live_server).as_user(ADMIN)
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": f"{P} site"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": f"{P} room", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-B", "racks": 1,
                                                        "boxes_per_rack": 1, "box": {"rows": 3, "columns": 3}})
    bank.as_user(QA).post("/api/v1/specifications", {"lot_kind": "drug_product", "name": "ASC DP release",
                                                     "tests": DP_TESTS})
    material = bank.as_user(TECH).post("/api/v1/materials", {
        "name": "Human platelet lysate", "supplier": "Macopharma", "catalogue_number": "HPL-500",
        "supplier_lot": "L950", "expiry": "2030-01-31"})
    donor = bank.post("/api/v1/donors", {"code": "ASC-950", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    add_tests(bank.client, donor["id"], "NAT", "2026-03-02")
    bank.as_user(QA).post(f"/api/v1/materials/{material['id']}/decision",
                          {"password": PASSWORD, "meaning": "approved for use"}, expect=200)
    bank.client.post("/api/v1/auth/logout")
    return tank["children"][0]["children"][0], material


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    fill_login(page, username)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def scan(page: Page, code: str) -> None:
    expect(page.get_by_label("Scan")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_a_batch_recorded_from_the_pages_is_released_by_qa(page: Page, groundwork):
    box, material = groundwork
    log_in(page, ADMIN)
    page.get_by_role("link", name="Product codes", exact=True).click()
    for code, kind in (("S9501", "tissue"), ("S9504", "drug product")):
        page.get_by_label("Code (S or A–D and 4 digits)").fill(code)
        page.get_by_label("Description").fill(f"{P} {kind}")
        page.get_by_label("Lot kind").select_option(label=kind)
        page.get_by_role("button", name="Add product code").click()
        expect(page.locator(".flash.success")).to_have_text(f"Product code {code} added.")
    # a refused form: the rule in words, what was typed kept
    page.get_by_label("Code (S or A–D and 4 digits)").fill("S9501")
    page.get_by_label("Description").fill("typed twice by mistake")
    page.get_by_role("button", name="Add product code").click()
    expect(page.locator("#refusal")).to_contain_text("S9501")
    expect(page.get_by_label("Description")).to_have_value("typed twice by mistake")
    expect(page.get_by_label("Code (S or A–D and 4 digits)")).to_have_value("S9501")
    log_out(page)

    log_in(page, TECH)
    page.get_by_role("link", name="Donors", exact=True).click()
    page.get_by_role("link", name="ASC-950").click()
    form = page.locator("#procurement-form")
    form.get_by_label("Collected at (site time)").fill("2026-03-02T09:30")
    form.get_by_label("Collection site").fill("CHU Rennes")
    form.get_by_label("Quantity").fill("250")
    form.get_by_label("Transport conditions").fill("2-8 °C")
    form.get_by_role("button", name="Record procurement").click()
    din = page.locator("h1 .din-large")
    expect(din.locator(".din-check")).to_have_count(1)
    expect(page.locator(".flash.success")).to_contain_text("Procurement recorded: DIN")
    procurement_url = page.url
    log_out(page)

    log_in(page, QA)
    page.get_by_role("link", name="Donors", exact=True).click()
    page.get_by_role("link", name="ASC-950").click()
    page.locator("#eligibility-form").get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign: donor eligible").click()
    expect(page.locator("#eligibility")).to_have_text("eligible")
    log_out(page)

    log_in(page, TECH2)
    page.goto(procurement_url)
    page.get_by_label("Received at (site time)").fill("2026-03-02T12:00")
    page.get_by_label("Temperature on receipt (°C)").fill("5")
    page.get_by_role("button", name="Record receipt").click()
    expect(page.locator(".flash.success")).to_have_text("Receipt recorded.")
    page.get_by_label("Tissue lot number").fill("T-0950")
    page.get_by_label("Product code").select_option("S9501")
    page.get_by_role("button", name="Create tissue lot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lot T-0950")

    child = page.locator("#child-form")
    child.get_by_label("Child lot number").fill("DP-0950")
    child.get_by_label("Kind").select_option("drug_product")
    child.get_by_label("Product code").select_option("S9504")
    child.get_by_label("Passage").fill("2")
    child.get_by_role("button", name="Derive lot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lot DP-0950")
    expect(page.locator("dl.facts")).to_contain_text("ASC-950")

    step = page.locator("#step-form")
    step.get_by_label("Step", exact=True).fill("harvest")
    step.get_by_label("Equipment").fill("BSC-2")
    step.get_by_label("Started (site time)").fill("2026-04-18T09:00")
    step.get_by_label("Ended (site time, leave empty while it runs)").fill("2026-04-18T11:00")
    step.get_by_label("Material 1 code").focus()
    page.keyboard.type("L950")  # the scanner types the supplier's lot barcode
    step.get_by_label("Material 1 quantity").fill("10")
    step.get_by_label("Material 1 unit").fill("mL")
    step.get_by_role("button", name="Record step").click()
    expect(page.locator("#steps")).to_contain_text("harvest on BSC-2")
    expect(page.locator("#steps")).to_contain_text(f"MAT-{material['id']} 10 mL")

    units = page.locator("#units-form")
    units.get_by_label("Number of units").fill("3")
    units.get_by_label("Volume per unit (mL)").fill("1,5")  # a decimal comma
    units.get_by_label("Cells per unit").fill("25000000")
    units.get_by_role("button", name="Make units").click()
    expect(page.locator("#lot-units tbody tr")).to_have_count(3)
    expect(page.locator("#lot-units")).to_contain_text("1.5 mL")
    barcodes = page.locator("#lot-units tbody tr td:first-child a").all_inner_texts()

    page.locator("#quarantine-form").get_by_label("Processing finished: reason").fill("processing finished")
    page.get_by_role("button", name="Submit to quarantine").click()
    expect(page.locator("#lot-state")).to_have_text("quarantine")

    for code, value in PASSING.items():
        qc = page.locator("#qc-form")
        qc.get_by_label("Test", exact=True).select_option(code)
        if isinstance(value, str):
            qc.get_by_label("Result (qualitative tests)").fill(value)
        else:
            qc.get_by_label("Value (numeric tests)").fill(value[0])
            qc.get_by_label("Unit (converted to the criterion's unit)").select_option(value[1])
        qc.get_by_label("Method").fill("flow cytometry")
        qc.get_by_label("Instrument").fill("Navios EX")
        qc.get_by_label("Performed at (site time)").fill("2026-04-20T10:00")
        qc.get_by_role("button", name="Record result").click()
        expect(page.locator(".flash.success")).to_contain_text(f"Result {code} recorded: pass")

    page.get_by_role("link", name="Place vials by scanning").click()
    scan(page, box["barcode"])
    for barcode, position in zip(barcodes, ("A1", "A2", "A3"), strict=True):
        scan(page, barcode)
        expect(page.locator(".flash.success")).to_have_text(f"{barcode} → {box['name']}, {position}")
    log_out(page)

    log_in(page, QA)
    page.get_by_role("link", name="Lots", exact=True).click()
    page.get_by_role("link", name="DP-0950").click()
    expect(page.locator("#lot-units")).to_contain_text(f"{box['name']}, A1")
    for code in PASSING:
        page.get_by_role("button", name=f"Verify {code}").click()
        expect(page.locator(".flash.success")).to_contain_text(f"{code} verified")
    page.get_by_role("link", name="Release page").click()
    expect(page.locator("#ready")).to_be_visible()
    page.wait_for_load_state()  # the deferred script that opens the dialog has run (a loaded machine lags it)
    page.get_by_role("button", name="Sign release…").click()
    expect(page.locator("#sign-dialog").get_by_label("Your password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#lot-state")).to_have_text("released")
    page.get_by_role("link", name="DP-0950").first.click()
    expect(page.locator("#lot-state")).to_have_text("released")
    expect(page.locator("table.signatures")).to_contain_text("released for clinical use")
