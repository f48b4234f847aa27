"""Zebra printers configured by an admin; a job sent to one delivers its ZPL over TCP and is recorded delivered or
failed with the printer's error; a failed job is never counted as printed. A listener on 127.0.0.1 stands in for
the printer: what it received is rendered by Zebrash and read back."""

import hashlib

import pytest
from sqlalchemy import func, select

from app.printing.models import Printer
from labels.stock import STOCKS
from tests.helpers import audit_rows, count_audit
from tests.labels.scanning import needs_dmtx, needs_zbar
from tests.labels.zplrender import as_scanned
from tests.printing.fakeprinter import FakePrinter, refusing_port
from tests.printing.helpers import jobs, print_job
from tests.printing.reading import read, vial_texts

CRYOVIAL = {"stock_name": "cryovial 32 x 13 mm", "stock_width_mm": "32.0", "stock_height_mm": "13.0"}


@pytest.fixture
def quick(app, monkeypatch):
    """Printers get one second to answer."""
    monkeypatch.setitem(app.config, "PRINTER_TIMEOUT_SECONDS", 1.0)


def add_printer(bank, port: int, name: str = "Zebra ZD421 lab 2", dpi: int = 300, stock=None) -> dict:
    bank.as_user("admin1")
    printer = bank.post("/api/v1/printers", {"name": name, "host": "127.0.0.1", "port": port, "dpi": dpi,
                                              **(stock or CRYOVIAL)})
    bank.as_user("tech1")
    return printer


@pytest.mark.parametrize("dpi", [203, 300])
@needs_zbar
@needs_dmtx
def test_a_job_delivered_to_the_printer_prints_labels_that_scan_back(bank, vials, drug_product, zpl_renderer, quick,
                                                                      session, dpi):
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    with FakePrinter("ready") as fake:
        printer = add_printer(bank, fake.port, dpi=dpi)
        response = print_job(bank, "unit", [u["id"] for u in vials], output="printer", printer_id=printer["id"])
    job = response.json
    assert (job["status"], job["error"], job["printer_id"], job["dpi"], job["labels"]) == (
        "delivered", None, printer["id"], dpi, 4)
    assert fake.received.startswith(b"~HS^XA") and fake.received.endswith(b"^XZ\n~HS")
    assert hashlib.sha256(fake.zpl()).hexdigest() == job["content_sha256"]
    images = zpl_renderer.render(fake.zpl(), STOCKS["cryovial"], dpi)
    assert len(images) == len(vials)
    for image, unit in zip(images, vials, strict=True):
        texts = read(as_scanned(image, dpi)[0], matrix=True)
        assert texts == vial_texts(lot, unit)
        for text in texts:
            found = bank.client.post("/api/v1/scan", json={"code": text}).json
            assert (found["type"], found["id"]) == ("unit", unit["id"])
    again = print_job(bank, "unit", [vials[0]["id"]], output="pdf", expect=409)  # delivered counts as printed
    assert "a reprint needs a reason" in again.json["message"]
    assert audit_rows(session, entity_type="print_jobs")[0]["action"] == "label.print"


#: a connection the printer closed reads as closed (FIN), or as reset (RST) or a broken pipe when bytes of ours
#: reached it unread
CLOSED = ("closed the connection", "Connection reset by peer", "Broken pipe")


@pytest.mark.parametrize(("behaviour", "words", "sent"), [
    ("refused", ("Connection refused",), b""),
    ("close_at_once", CLOSED, b""),
    ("paper_out", ("the printer reports paper out: nothing was sent",), b"~HS"),
    ("silent", ("did not answer its status (~HS) before the job in time",), b"~HS"),
    ("close_after_status", CLOSED, None),
])
def test_a_failed_job_is_recorded_with_the_printers_error_and_never_counted(bank, vials, quick, session, behaviour,
                                                                            words, sent):
    if behaviour == "refused":
        printer, fake = add_printer(bank, refusing_port()), None
        response = print_job(bank, "unit", [vials[0]["id"]], output="printer", printer_id=printer["id"])
    else:
        with FakePrinter(behaviour) as fake:
            printer = add_printer(bank, fake.port)
            response = print_job(bank, "unit", [vials[0]["id"]], output="printer", printer_id=printer["id"])
    job = response.json
    assert job["status"] == "failed" and job["error"].startswith("Zebra ZD421 lab 2: ")
    assert any(word in job["error"] for word in words), job["error"]
    assert ("part of the job may have printed" in job["error"]) == (behaviour == "close_after_status")
    if sent is not None and fake is not None:
        assert fake.received == sent
    [entry] = audit_rows(session, entity_type="print_jobs")
    assert entry["action"] == "label.print_failed" and entry["reason"] == job["error"]
    first = print_job(bank, "unit", [vials[0]["id"]])  # no reason needed: the failed job printed nothing
    assert jobs(bank)[0]["reprint"] is False and first.headers["X-Print-Job"]


def test_a_printer_without_the_templates_stock_or_out_of_service_gets_no_job(bank, vials, session):
    bag = add_printer(bank, 9100, name="Zebra bags", stock={"stock_name": "bag 100 x 100 mm",
                                                            "stock_width_mm": "100.0", "stock_height_mm": "100.0"})
    entries = count_audit(session)
    wrong = print_job(bank, "unit", [vials[0]["id"]], output="printer", printer_id=bag["id"], expect=409)
    assert "holds bag 100 x 100 mm (100.0 x 100.0 mm)" in wrong.json["message"]
    vial = add_printer(bank, 9100, name="Zebra vials")
    changed = bank.as_user("admin1").client.put(f"/api/v1/printers/{vial['id']}", json={
        "active": False, "reason": "print head replaced"})
    assert changed.status_code == 200 and changed.json["active"] is False
    out = print_job(bank.as_user("tech1"), "unit", [vials[0]["id"]], output="printer", printer_id=vial["id"],
                    expect=409)
    assert "out of service" in out.json["message"]
    assert [row["action"] for row in audit_rows(session)[entries:] if row["entity_type"] == "printers"] == [
        "printer.create", "printer.change"]


@pytest.mark.parametrize(("change", "status", "words"), [
    ({"host": "not a host!"}, 422, "neither an IP address nor a host name"),
    ({"dpi": 250}, 422, "dpi"),
    ({"port": 0}, 422, "port"),
    ({"stock_width_mm": 32}, 422, "give it as a string"),
])
def test_printer_settings_are_checked(bank, session, change, status, words):
    bank.as_user("admin1")
    body = {"name": "Zebra", "host": "zebra-lab2.chu-rennes.fr", "port": 9100, "dpi": 300, **CRYOVIAL, **change}
    before = session.scalar(select(func.count()).select_from(Printer))
    response = bank.client.post("/api/v1/printers", json=body)
    assert response.status_code == status and words in response.json["message"], response.json
    assert session.scalar(select(func.count()).select_from(Printer)) == before


def test_only_an_admin_configures_printers_and_changes_need_a_reason(bank, session):
    body = {"name": "Zebra", "host": "10.0.4.17", "dpi": 203, **CRYOVIAL}
    assert bank.as_user("tech1").client.post("/api/v1/printers", json=body).status_code == 403
    printer = bank.as_user("admin1").post("/api/v1/printers", body)
    assert printer["port"] == 9100
    assert bank.client.post("/api/v1/printers", json=body).status_code == 409  # the name is taken
    no_reason = bank.client.put(f"/api/v1/printers/{printer['id']}", json={"host": "10.0.4.18"})
    assert no_reason.status_code == 422
    moved = bank.client.put(f"/api/v1/printers/{printer['id']}", json={"host": "10.0.4.18", "reason": "new switch"})
    assert moved.json["host"] == "10.0.4.18"
