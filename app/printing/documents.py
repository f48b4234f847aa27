"""What every A4 document shares: the audit state it was generated from, its time, and text the PDF can show."""

import datetime as dt
import unicodedata

from flask import current_app
from sqlalchemy import select

import audit
from app.core.timezones import local
from app.core.types import utcnow
from app.extensions import db
from labels.content import eye_readable_din
from labels.documents import AuditHead, Document, Facts, Table, render_document
from labels.isbt128 import Din

#: signs the PDF's standard fonts (cp1252) lack, written otherwise
_PAPER = str.maketrans({"≥": ">=", "≤": "<=", "−": "-", "→": "->", "×": "x"})
GENESIS = "0" * 64


def audit_head() -> AuditHead:
    """The last entry of the audit trail now (seq 0 and a zero hash for an empty trail)."""
    log = audit.audit_log
    row = db.session.execute(select(log.c.seq, log.c.entry_hash).order_by(log.c.seq.desc()).limit(1)).first()
    return AuditHead(row[0], row[1]) if row else AuditHead(0, GENESIS)


def paper(text) -> str:
    """Text the document's fonts can show: a few signs spelled out, other characters outside cp1252 decomposed
    (accents dropped) or, failing that, '?'."""
    text = str(text).translate(_PAPER)
    out = []
    for character in text:
        try:
            character.encode("cp1252")
            out.append(character)
        except UnicodeEncodeError:
            plain = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
            out.append(plain if plain and all(ord(c) < 128 for c in plain) else "?")
    return "".join(out)


def when(moment) -> str:
    """A time as documents show it: site-local, with the UTC time beside it."""
    if moment is None:
        return ""
    return f"{local(moment):%Y-%m-%d %H:%M %Z} ({moment.astimezone(dt.UTC):%H:%M} UTC)"


def render(title: str, blocks: list) -> bytes:
    """The document as PDF, stamped with the generation time and the audit head."""
    return render_document(Document(paper(title), utcnow(), audit_head(), tuple(blocks),
                                    current_app.config["TIMEZONE"]))


def facts(pairs) -> Facts:
    """Label / value lines, in text the PDF can show."""
    return Facts(tuple((paper(label), paper(value)) for label, value in pairs))


def table(header, rows) -> Table:
    """A table, in text the PDF can show."""
    return Table(tuple(paper(h) for h in header), tuple(tuple(paper(cell) for cell in row) for row in rows))


def din_words(din: str) -> str:
    """The DIN as printed, its check character in brackets: ``A9999 26 000001 [K]``."""
    value = Din(din)
    return f"{eye_readable_din(value)} [{value.check_character}]"
