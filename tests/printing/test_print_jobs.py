"""Print control: each print records who, what, which template version, copies and when; a reprint needs a reason
and is audited; label files of one record are prints too, previews are not; bad requests print nothing."""

import datetime as dt

import pypdfium2
import pytest
from sqlalchemy import func, select

from app.printing.models import PrintedRecord, PrintJob
from tests.helpers import audit_rows, count_audit
from tests.printing.helpers import jobs, print_job, set_expiry
from tests.storage.helpers import boxes


def _pages(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_batch_is_one_file_and_one_recorded_job(bank, vials, approved, session):
    response = print_job(bank, "unit", [u["id"] for u in vials], copies=2)
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="labels-unit-DP-0001-A0-and-3-more.pdf"' in response.headers["Content-Disposition"]
    assert _pages(response.data) == 8
    [job] = jobs(bank)
    assert int(response.headers["X-Print-Job"]) == job["id"]
    assert (job["status"], job["output"], job["copies"], job["labels"], job["reprint"]) == ("produced", "pdf", 2, 8,
                                                                                            False)
    assert job["template_version_id"] == approved["cryovial"]["id"]
    assert [(r["position"], r["record_id"], r["identifier"]) for r in job["records"]] == [
        (n, u["id"], u["barcode"]) for n, u in enumerate(vials, start=1)]
    assert job["requested_by_id"] == bank.client.get("/api/v1/me").json["id"]
    [entry] = audit_rows(session, entity_type="print_jobs")
    assert entry["action"] == "label.print" and entry["actor_username"] == "tech1"


def test_a_reprint_needs_a_reason_and_is_audited_as_one(bank, vials, session):
    first = print_job(bank, "unit", [vials[0]["id"]]).headers["X-Print-Job"]
    entries, printed = count_audit(session), _count(session, PrintJob)
    refused = print_job(bank, "unit", [vials[1]["id"], vials[0]["id"]], expect=409)
    assert refused.json["message"] == f"already printed: DP-0001-A0 (job {first}); a reprint needs a reason"
    assert count_audit(session) == entries and _count(session, PrintJob) == printed
    again = print_job(bank, "unit", [vials[0]["id"]], reason="label smudged by condensation")
    job = jobs(bank)[0]
    assert int(again.headers["X-Print-Job"]) == job["id"]
    assert job["reprint"] is True and job["reason"] == "label smudged by condensation"
    entry = audit_rows(session, entity_type="print_jobs", entity_id=str(job["id"]))[0]
    assert (entry["action"], entry["reason"]) == ("label.reprint", "label smudged by condensation")
    assert print_job(bank, "unit", [vials[0]["id"]], reason="  ", expect=422).json["errors"]


def test_the_label_file_of_one_record_is_a_print_and_the_preview_is_not(bank, vials, drug_product, tank, session):
    unit = vials[0]["id"]
    preview = bank.client.get(f"/api/v1/units/{unit}/label.png", query_string={"dpi": 150})
    assert preview.status_code == 200 and preview.data[:4] == b"\x89PNG" and _count(session, PrintJob) == 0
    pdf = bank.client.get(f"/api/v1/units/{unit}/label.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-" and _pages(pdf.data) == 1
    again = bank.client.get(f"/api/v1/units/{unit}/label.pdf")
    assert again.status_code == 409 and "a reprint needs a reason" in again.json["message"]
    zpl = bank.client.get(f"/api/v1/units/{unit}/label.zpl", query_string={"dpi": 300, "reason": "second printer"})
    assert zpl.status_code == 200 and zpl.headers["Content-Type"] == "application/zpl"
    assert zpl.data.startswith(b"^XA^CI0^PW378^LL154")  # 32 x 13 mm at 300 dpi
    assert [(j["output"], j["dpi"], j["reprint"]) for j in jobs(bank, record_type="unit", record_id=unit)] == [
        ("zpl", 300, True), ("pdf", None, False)]
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}/label.pdf", query_string={"copies": 3})
    assert lot.status_code == 200 and _pages(lot.data) == 3
    box = boxes(tank)[1]["id"]
    assert bank.client.get(f"/api/v1/boxes/{box}/label.zpl").data.startswith(b"^XA")
    assert bank.client.get(f"/api/v1/boxes/{box}/label.png").status_code == 200
    rack = tank["children"][0]["id"]
    not_a_box = bank.client.get(f"/api/v1/boxes/{rack}/label.pdf")
    assert not_a_box.status_code == 409 and "not a box" in not_a_box.json["message"]


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"record_type": "shipment", "record_ids": [1]}, 422, "have no label"),
    ({"record_type": "unit", "record_ids": [9999]}, 404, "no unit with id 9999"),
    ({"record_type": "unit", "record_ids": []}, 422, "record_ids"),
    ({"record_type": "unit", "record_ids": [1, 1]}, 422, "name each record once"),
    ({"record_type": "unit", "record_ids": [1], "copies": 0}, 422, "copies"),
    ({"record_type": "unit", "record_ids": [1], "output": "printer"}, 422, "a printer is named exactly"),
    ({"record_type": "unit", "record_ids": [1], "output": "pdf", "dpi": 300}, 422, "a ZPL file is made for"),
    ({"record_type": "unit", "record_ids": [1], "printer_id": 7, "output": "printer"}, 404, "no printer with id 7"),
])
def test_bad_requests_print_nothing(bank, vials, session, body, status, words):
    entries = count_audit(session)
    response = bank.client.post("/api/v1/print-jobs", json=body)
    assert response.status_code == status and words in response.json["message"], response.json
    assert set(response.json) == {"code", "status", "message", "errors"}
    assert count_audit(session) == entries and _count(session, PrintJob) == _count(session, PrintedRecord) == 0


def test_records_that_cannot_be_labelled_truthfully_are_refused(bank, drug_product, units, tank, approved, session):
    no_expiry = print_job(bank, "unit", [units[0]["id"]], expect=409)
    assert "has no expiry yet" in no_expiry.json["message"]
    set_expiry(bank, drug_product["id"])
    bank.post(f"/api/v1/units/{units[1]['id']}/destroy", {"reason": "cracked vial"}, expect=200)
    destroyed = print_job(bank, "unit", [units[0]["id"], units[1]["id"]], expect=409)
    assert "DP-0001-B0 is destroyed" in destroyed.json["message"]
    assert _count(session, PrintJob) == 0
    bank.as_user("qa2").post(f"/api/v1/lots/{drug_product['id']}/reject", {"password": "correct horse battery",
                                                                          "reason": "sterility failed"}, expect=200)
    rejected = print_job(bank.as_user("tech1"), "lot", [drug_product["id"]], expect=409)
    assert "is rejected: its labels are no longer printed" in rejected.json["message"]


def test_only_the_roles_that_handle_the_records_print_them(bank, vials, session):
    bank.as_user("admin1")
    assert print_job(bank, "unit", [vials[0]["id"]], expect=403).json["status"] == "Forbidden"
    assert bank.client.get(f"/api/v1/units/{vials[0]['id']}/label.pdf").status_code == 403
    assert bank.client.get(f"/api/v1/units/{vials[0]['id']}/label.png").status_code == 200  # anyone may look
    bank.client.post("/api/v1/auth/logout")
    assert bank.client.get(f"/api/v1/units/{vials[0]['id']}/label.pdf").status_code == 401
    assert _count(session, PrintJob) == 0


def test_a_lot_expiry_is_set_to_the_minute_in_the_future_before_release(bank, drug_product, session):
    url = f"/api/v1/lots/{drug_product['id']}/expiry"
    for expires_at, words in (("2027-06-30T23:59:30+02:00", "to the minute"), ("2020-01-01T00:00:00+00:00",
                                                                                "already past")):
        response = bank.client.post(url, json={"expires_at": expires_at, "reason": "shelf life"})
        assert response.status_code == 422 and words in response.json["message"]
    assert bank.client.post(url, json={"expires_at": "2027-06-30T23:59:00+02:00"}).status_code == 422  # no reason
    lot = set_expiry(bank, drug_product["id"])
    assert dt.datetime.fromisoformat(lot["expires_at"]) == dt.datetime(2027, 6, 30, 21, 59, tzinfo=dt.UTC)
    [entry] = audit_rows(session, action="lot.expiry")
    assert entry["changes"]["expires_at"][1].startswith("2027-06-30T21:59:00")
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    released = bank.client.post(url, json={"expires_at": "2028-01-01T00:00:00+00:00", "reason": "extended"})
    assert released.status_code == 409 and "set before release" in released.json["message"]
