"""A4 documents (certificate of analysis, custody report…) as PDF, each page pointing to an audit state.

``render_document(Document(...)) -> bytes``: a title, then blocks in order (``Heading``, ``Text``, ``Facts`` as
label/value pairs, ``Table`` with a header row repeated on each page). Every page's footer carries the document
title, its generation time (in the site's time zone and in UTC), the audit trail head at generation (sequence
number and full SHA-256 hash, so a paper copy names the audit state it was printed from) and "page N of M".
Plain data in: the caller gathers the facts; nothing here reads a database. Text is set literally (no markup);
refusals raise ``LabelError``.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from labels.content import LabelError

MARGIN = 18 * mm
FOOTER_SIZE = 7


def _check_text(value, what: str, *, empty: bool = False) -> None:
    if not isinstance(value, str) or (not value.strip() and not empty):
        raise LabelError(f"{what}: expected text, got {value!r}")
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
        raise LabelError(f"{what}: {value!r} holds a control character")
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        raise LabelError(f"{what}: {value!r} holds a character the PDF's standard fonts cannot show") from None


@dataclass(frozen=True)
class AuditHead:
    """The audit trail's last entry when the document was generated."""

    seq: int
    hash: str

    def __post_init__(self):
        if type(self.seq) is not int or self.seq < 0:
            raise LabelError(f"audit head: sequence number {self.seq!r} is not a whole number >= 0")
        if not isinstance(self.hash, str) or not re.fullmatch(r"[0-9a-f]{64}", self.hash):
            raise LabelError(f"audit head: hash {self.hash!r} is not 64 lowercase hexadecimal digits")


@dataclass(frozen=True)
class Heading:
    text: str

    def __post_init__(self):
        _check_text(self.text, "heading")


@dataclass(frozen=True)
class Text:
    text: str

    def __post_init__(self):
        _check_text(self.text, "text")


@dataclass(frozen=True)
class Facts:
    """Label / value pairs, one per line (e.g. DIN, product, lot)."""

    pairs: tuple[tuple[str, str], ...]

    def __post_init__(self):
        object.__setattr__(self, "pairs", tuple(tuple(pair) for pair in self.pairs))
        for pair in self.pairs:
            if len(pair) != 2:
                raise LabelError(f"facts: {pair!r} is not a label and a value")
            _check_text(pair[0], "fact label")
            _check_text(pair[1], f"fact {pair[0]}", empty=True)


@dataclass(frozen=True)
class Table:
    """A header row and rows of the same number of cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self):
        object.__setattr__(self, "header", tuple(self.header))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        if not self.header:
            raise LabelError("table: no columns")
        for cell in self.header:
            _check_text(cell, "table header")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.header):
                raise LabelError(f"table: row {number} has {len(row)} cells, the header {len(self.header)}")
            for cell in row:
                _check_text(cell, f"table row {number}", empty=True)


Block = Heading | Text | Facts | Table


@dataclass(frozen=True)
class Document:
    """An A4 document: title, generation time (aware), audit head, blocks, and the time zone times are shown in."""

    title: str
    generated_at: dt.datetime
    audit_head: AuditHead
    blocks: tuple[Block, ...]
    time_zone: str = "Europe/Paris"

    def __post_init__(self):
        _check_text(self.title, "title")
        if not isinstance(self.generated_at, dt.datetime) or self.generated_at.utcoffset() is None:
            raise LabelError(f"generated at: {self.generated_at!r} is not a time-zone-aware datetime")
        if not isinstance(self.audit_head, AuditHead):
            raise LabelError(f"audit head: expected AuditHead, got {type(self.audit_head).__name__}")
        object.__setattr__(self, "blocks", tuple(self.blocks))
        for block in self.blocks:
            if not isinstance(block, Block):
                raise LabelError(f"block: {type(block).__name__} is not a Heading, Text, Facts or Table")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise LabelError(f"time zone {self.time_zone!r} is not known") from None

    def generated_line(self) -> str:
        """When the document was generated, local and UTC."""
        local = self.generated_at.astimezone(ZoneInfo(self.time_zone))
        utc = self.generated_at.astimezone(dt.UTC)
        return f"Generated {local:%Y-%m-%d %H:%M:%S %Z} ({utc:%Y-%m-%d %H:%M:%S} UTC)"

    def audit_line(self) -> str:
        """The audit state the document was generated from."""
        return f"Audit trail head at generation: seq {self.audit_head.seq}, SHA-256 {self.audit_head.hash}"


def _flowables(document: Document) -> list:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = styles["BodyText"].clone("head", fontName="Helvetica-Bold", fontSize=8, leading=10)
    story = [Paragraph(escape(document.title), styles["Title"])]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(escape(block.text), styles["Heading2"]))
        elif isinstance(block, Text):
            story.append(Paragraph(escape(block.text), styles["BodyText"]))
        elif isinstance(block, Facts):
            rows = [[Paragraph(escape(label), head), Paragraph(escape(value), cell)] for label, value in block.pairs]
            story.append(PdfTable(rows, colWidths=[45 * mm, None], hAlign="LEFT"))
        else:
            rows = [[Paragraph(escape(text), head) for text in block.header]]
            rows += [[Paragraph(escape(text), cell) for text in row] for row in block.rows]
            table = PdfTable(rows, repeatRows=1, hAlign="LEFT")
            table.setStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                            ("VALIGN", (0, 0), (-1, -1), "TOP")])
            story.append(table)
        story.append(Spacer(1, 3 * mm))
    return story


def _numbered_canvas(document: Document):
    """A canvas class that holds pages back until the end, so each footer can say "page N of M"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, len(self._pages))
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width, _ = A4
            self.setFont("Helvetica", FOOTER_SIZE)
            self.setLineWidth(0.3)
            self.line(MARGIN, 16 * mm, width - MARGIN, 16 * mm)
            self.drawString(MARGIN, 12.5 * mm, f"{document.title}. {document.generated_line()}")
            self.drawString(MARGIN, 9 * mm, document.audit_line())
            self.drawRightString(width - MARGIN, 12.5 * mm, f"Page {number} of {total}")

    return NumberedCanvas


def render_document(document: Document) -> bytes:
    """The document as A4 PDF bytes, its footer on every page."""
    if not isinstance(document, Document):
        raise LabelError(f"document: expected Document, got {type(document).__name__}")
    out = io.BytesIO()
    template = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=22 * mm, title=document.title, creator="cellbank labels",
                                 invariant=True)
    template.build(_flowables(document), canvasmaker=_numbered_canvas(document))
    return out.getvalue()
