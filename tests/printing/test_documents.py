"""The certificate of analysis of a released lot and the custody report of a unit, read back from the PDFs' text:
every page names its number, its generation time and the audit trail head it was generated from."""

import re

from sqlalchemy import select

import audit
from tests.helpers import count_audit
from tests.labels.scanning import pdf_text
from tests.printing.helpers import set_expiry
from tests.storage.helpers import boxes


def _head(session) -> tuple[int, str]:
    log = audit.audit_log
    return tuple(session.execute(select(log.c.seq, log.c.entry_hash).order_by(log.c.seq.desc()).limit(1)).one())


def _footer_holds(pages: list[str], title: str, head: tuple[int, str]) -> None:
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert f"Page {number} of {len(pages)}" in flat
        assert f"Audit trail head at generation: seq {head[0]}, SHA-256 {head[1]}" in flat
        assert re.search(rf"{re.escape(title)}\. Generated \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d CES?T \(\d{{4}}-\d\d-\d\d "
                         r"\d\d:\d\d:\d\d UTC\)", flat), flat[-400:]


def test_the_certificate_of_a_released_lot(bank, drug_product, units, session):
    set_expiry(bank.as_user("tech1"), drug_product["id"])
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    head, entries = _head(session), count_audit(session)
    response = bank.client.get(f"/api/v1/lots/{drug_product['id']}/coa.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert 'filename="coa-DP-0001.pdf"' in response.headers["Content-Disposition"]
    assert count_audit(session) == entries  # reading a document records nothing
    pages = pdf_text(response.data)
    text = " ".join(" ".join(pages).split())
    for expected in ("Certificate of analysis, lot DP-0001", "Lot DP-0001", "DIN A9999 26 000001 [8]",
                     "Product S1004 ASC drug_product", "Donor code ASC-D001", "Expiry 2027-06-30 23:59 CEST",
                     "Units 4 (0 of them QC samples)", "T-0001 tissue S1001", "P1-0001 culture passage S1002 1",
                     "MCB-0001 master cell bank S1003 2", "Specification: ASC DP release, version 1.",
                     "CD73 CD73+ 98.5 % >= 95 % conforms", "CD45 CD45+ 0.4 % <= 2 % conforms",
                     "VIAB Viability 91 % >= 70 % conforms", "COUNT Cell count 55 10^6 cells >= 10 and <= 200 10^6",
                     "STERILITY Sterility no growth = no growth conforms", "Released by Qa2 Tester",
                     "Meaning released for clinical use", "Signed content unchanged since signing"):
        assert expected in text, expected
    assert re.search(r"Signed at \d{4}-\d\d-\d\d \d\d:\d\d CES?T \(\d\d:\d\d UTC\)", text)
    _footer_holds(pages, "Certificate of analysis, lot DP-0001", head)


def test_no_certificate_for_a_lot_that_is_not_released(bank, drug_product, session):
    response = bank.client.get(f"/api/v1/lots/{drug_product['id']}/coa.pdf")
    assert response.status_code == 409 and "issued for a released lot only" in response.json["message"]
    assert bank.client.get("/api/v1/lots/99999/coa.pdf").status_code == 404


def test_the_custody_report_of_a_unit(bank, drug_product, units, tank, session):
    box = boxes(tank)[0]
    unit = units[0]
    bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": box["id"], "position": "B2"}, expect=200)
    bank.post(f"/api/v1/units/{unit['id']}/move", {"box_id": box["id"], "position": "C3", "confirmation": "manual",
                                                   "manual_reason": "label unreadable under frost"}, expect=200)
    bank.post(f"/api/v1/units/{unit['id']}/retrieve", {}, expect=200)
    head = _head(session)
    response = bank.client.get(f"/api/v1/units/{unit['id']}/custody.pdf")
    assert response.status_code == 200
    pages = pdf_text(response.data)
    text = " ".join(" ".join(pages).split())
    for expected in ("Custody report, unit DP-0001-A0", "Unit DP-0001-A0", "Lot DP-0001 (quarantine)",
                     "DIN A9999 26 000001 [8]", "Product code S1004, division A0", "Now not in a box",
                     "1 created — the laboratory Tech1 Tester (tech1)",
                     f"2 stored the laboratory {box['name']}, B2 Tech1 Tester (tech1)",
                     f"3 moved {box['name']}, B2 {box['name']}, C3 Tech1 Tester (tech1)",
                     "manual: label unreadable under frost",
                     f"4 retrieved {box['name']}, C3 in the hands of Tech1 Tester Tech1 Tester (tech1)",
                     "The chain is unbroken: 4 events"):
        assert expected in text, expected
    assert text.count(" scan") >= 3 and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T \(\d\d:\d\d UTC\) scan", text)
    _footer_holds(pages, "Custody report, unit DP-0001-A0", head)
    assert bank.client.get("/api/v1/units/99999/custody.pdf").status_code == 404


def test_a_long_custody_report_numbers_its_pages(bank, drug_product, units, tank, session):
    box = boxes(tank)[0]
    unit = units[1]
    bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": box["id"], "position": "A1"}, expect=200)
    for turn in range(30):
        bank.post(f"/api/v1/units/{unit['id']}/move", {"box_id": box["id"], "position": ("A2", "A1")[turn % 2]},
                  expect=200)
    pages = pdf_text(bank.client.get(f"/api/v1/units/{unit['id']}/custody.pdf").data)
    assert len(pages) >= 2
    _footer_holds(pages, "Custody report, unit DP-0001-B0", _head(session))
    assert "The chain is unbroken: 32 events" in " ".join(pages[-1].split())
