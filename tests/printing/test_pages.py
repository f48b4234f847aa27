"""Printing pages through HTTP: template approval by QA, printing from a record's page, the printer admin page, the
print history on unit, box and lot pages."""

from sqlalchemy import func, select

from app.printing.models import Printer, PrintJob, TemplateVersion
from tests.helpers import PASSWORD, count_audit
from tests.printing.helpers import new_template, print_job
from tests.storage.helpers import boxes


def _page(bank, url: str) -> str:
    response = bank.client.get(url)
    assert response.status_code == 200, url
    return response.data.decode()


def _jobs(session) -> int:
    return session.scalar(select(func.count()).select_from(PrintJob))


def test_qa_approves_a_version_on_its_page_and_its_author_cannot(bank, session):
    draft = new_template(bank, "bag", author="qa1")
    url = f"/labels/versions/{draft['id']}"
    assert "You wrote this version" in _page(bank.as_user("qa1"), url)
    assert "data-open-dialog=\"approve-dialog\"" not in _page(bank, url)
    assert "data-open-dialog" not in _page(bank.as_user("tech1"), url)
    html = _page(bank.as_user("qa2"), url)
    assert 'data-open-dialog="approve-dialog"' in html and "Meaning: <em>label template approved</em>" in html
    assert f'src="/api/v1/label-template-versions/{draft["id"]}/sample.png?dpi=200"' in html
    wrong = bank.client.post(url, data={"password": "not it"})
    assert wrong.status_code == 401 and session.get(TemplateVersion, draft["id"]).state == "draft"
    signed = bank.client.post(url, data={"password": PASSWORD, "reason": "layout checked against the stock"})
    assert signed.status_code == 302
    html = _page(bank, url)
    assert 'id="version-state">approved' in html and "Qa2 Tester" in html and "unchanged since signing" in html
    assert "bag label" in _page(bank, "/labels") and "Version 1" in _page(bank, "/labels")


def test_templates_and_versions_are_made_on_the_templates_page(bank, session):
    bank.as_user("admin1")
    made = bank.client.post("/labels", data={"name": "box label 76 mm", "kind": "box"})
    assert made.status_code == 302
    template = bank.client.get("/api/v1/label-templates").json["items"][0]
    version = bank.client.post(f"/labels/{template['id']}/versions", data={
        "stock_name": "box 76 x 25 mm", "width_mm": "76", "height_mm": "25", "margin_mm": "1",
        "change_note": "first layout"})
    assert version.status_code == 302 and version.headers["Location"].startswith("/labels/versions/")
    assert bank.as_user("tech1").client.post("/labels", data={"name": "mine", "kind": "box"}).status_code == 403


def test_printing_from_a_unit_page_and_its_history(bank, vials, session):
    unit = vials[0]
    html = _page(bank, f"/units/{unit['id']}")
    assert f'src="/api/v1/units/{unit["id"]}/label.png?dpi=200"' in html and "Never printed." in html
    form = {"record_type": "unit", "record_ids": str(unit["id"]), "target": "pdf", "copies": "1",
            "next": f"/units/{unit['id']}"}
    printed = bank.client.post("/print", data=form)
    assert printed.status_code == 200 and printed.data[:5] == b"%PDF-"
    assert "attachment" in printed.headers["Content-Disposition"]
    job = printed.headers["X-Print-Job"]
    html = _page(bank, f"/units/{unit['id']}")
    assert f"<td>{job}</td>" in html and "Tech1 Tester" in html and "produced" in html
    entries = count_audit(session)
    again = bank.client.post("/print", data=form)
    assert again.status_code == 302 and again.headers["Location"] == f"/units/{unit['id']}"
    assert "a reprint needs a reason" in _page(bank, f"/units/{unit['id']}")
    assert count_audit(session) == entries and _jobs(session) == 1
    reprinted = bank.client.post("/print", data={**form, "reason": "torn while thawing the neighbour"})
    assert reprinted.status_code == 200
    assert "torn while thawing the neighbour" in _page(bank, f"/units/{unit['id']}")
    assert "custody.pdf" in html


def test_the_lot_page_prints_all_its_vials_and_shows_the_certificate_once_released(bank, vials, drug_product):
    html = _page(bank, f"/lots/{drug_product['id']}")
    ids = ",".join(str(u["id"]) for u in vials)
    assert "Print all 4 vial labels" in html and f'name="record_ids" value="{ids}"' in html
    assert "coa.pdf" not in html and 'id="expiry-form"' in html
    printed = bank.client.post("/print", data={"record_type": "unit", "record_ids": ids, "target": "pdf",
                                               "copies": "1", "next": f"/lots/{drug_product['id']}"})
    assert printed.status_code == 200 and printed.headers["Content-Disposition"].endswith('-and-3-more.pdf"')
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    assert f"/api/v1/lots/{drug_product['id']}/coa.pdf" in _page(bank, f"/lots/{drug_product['id']}")


def test_the_box_page_shows_its_label_and_history(bank, vials, tank):
    box = boxes(tank)[0]
    print_job(bank, "box", [box["id"]])
    html = _page(bank, f"/storage/boxes/{box['id']}")
    assert f'src="/api/v1/boxes/{box["id"]}/label.png?dpi=200"' in html and "produced" in html


def test_a_page_says_why_a_label_cannot_print(bank, drug_product, units):
    html = _page(bank, f"/units/{units[0]['id']}")
    assert 'id="label-problem"' in html and "no approved cryovial label template" in html


def test_the_admin_configures_printers_on_their_page(bank, session):
    bank.as_user("admin1")
    form = {"name": "Zebra ZT411", "host": "10.0.4.17", "port": "9100", "dpi": "300", "stock_name": "bag 100 mm",
            "stock_width_mm": "100", "stock_height_mm": "100"}
    assert bank.client.post("/printers", data=form).status_code == 302
    printer = session.scalar(select(Printer))
    assert (printer.name, printer.dpi, str(printer.stock_width_mm)) == ("Zebra ZT411", 300, "100.0")
    changed = bank.client.post(f"/printers/{printer.id}", data={**form, "host": "10.0.4.18", "reason": "moved"})
    assert changed.status_code == 302
    session.refresh(printer)
    assert printer.host == "10.0.4.18" and printer.active is False  # the box was left unticked: out of service
    assert "out of service" in _page(bank, "/printers")
    assert bank.as_user("tech1").client.get("/printers").status_code == 403


def test_the_history_page_lists_every_job(bank, vials):
    print_job(bank, "unit", [u["id"] for u in vials])
    html = _page(bank, "/prints")
    assert "unit DP-0001-A0, DP-0001-B0, DP-0001-C0 and 1 more" in html and "cryovial label v1" in html
