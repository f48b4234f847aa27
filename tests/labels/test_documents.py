"""A4 documents read back with pdfium: content, and on every page the generation time, the audit head and
"page N of M"; text set literally; bad input refused."""

import datetime as dt

import pypdfium2
import pytest

from labels.content import LabelError
from labels.documents import AuditHead, Document, Facts, Heading, Table, Text, render_document
from tests.labels.scanning import pdf_text

HEAD = AuditHead(1234, "ab" * 32)
AT = dt.datetime(2026, 12, 1, 18, 5, 9, tzinfo=dt.UTC)


def certificate(rows: int = 120) -> Document:
    return Document("Certificate of analysis, lot DP-26-0001", AT, HEAD, (
        Facts((("DIN", "A9999 26 000001 [8]"), ("Product", "S1004V ASC drug product"), ("Donor code", "D-0001"))),
        Heading("Specified tests"),
        Table(("Test", "Result", "Unit", "Criterion", "Verdict"),
              tuple((f"Test {n}", f"{n}.0", "%", ">= 70", "pass") for n in range(1, rows + 1))),
        Text("Released by Q. A. Person <qa> & signed: meaning 'release', 2026-12-01 19:00 CET."),
    ))


def test_every_page_names_its_generation_time_audit_head_and_number():
    pages = pdf_text(render_document(certificate()))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Generated 2026-12-01 19:05:09 CET (2026-12-01 18:05:09 UTC)" in page
        assert f"Audit trail head at generation: seq 1234, SHA-256 {'ab' * 32}" in page
        assert "Certificate of analysis, lot DP-26-0001" in page


def test_the_content_is_all_there_and_set_literally():
    text = "\n".join(pdf_text(render_document(certificate())))
    for expected in ("A9999 26 000001 [8]", "Donor code", "Specified tests", "Test 120", ">= 70",
                     "Released by Q. A. Person <qa> & signed"):
        assert expected in text, expected


def test_a4_pages():
    document = pypdfium2.PdfDocument(render_document(certificate(rows=5)))
    sizes = [tuple(round(side / 72 * 25.4) for side in page.get_size()) for page in document]
    document.close()
    assert sizes == [(210, 297)]


@pytest.mark.parametrize("make, why", [
    (lambda: AuditHead(-1, "ab" * 32), "sequence number -1"),
    (lambda: AuditHead(1, "AB" * 32), "64 lowercase hexadecimal"),
    (lambda: Document("T", dt.datetime(2026, 1, 1), HEAD, ()), "not a time-zone-aware datetime"),
    (lambda: Document("", AT, HEAD, ()), "title: expected text"),
    (lambda: Document("T", AT, HEAD, ("loose text",)), "block: str is not a Heading"),
    (lambda: Document("T", AT, HEAD, (), "Mars/Olympus"), "time zone 'Mars/Olympus' is not known"),
    (lambda: Table(("a", "b"), (("1",),)), "row 1 has 1 cells, the header 2"),
    (lambda: Text("bell\x07"), "control character"),
    (lambda: Text("snowman \u2603"), "standard fonts cannot show"),
])
def test_bad_document_data_is_refused(make, why):
    with pytest.raises(LabelError, match=why):
        make()
