"""What each label template prints: frozen, self-validating dataclasses of plain data, and the one error type.

A label value is built from the ISBT 128 structures of ``labels.isbt128`` (``Din``, ``ProductCode``,
``Expiration``, ``ChainOfIdentity``), ``labels.sec.Sec`` and plain strings; anything wrong raises ``LabelError``
(a ``ValueError``) whose message names the field. Nothing here knows about pages, PDF or ZPL.

Choices:
- An internal identifier (unit, box, dose, patient barcode) is 4 to 40 printable ASCII characters without space,
  ``~`` or a backquote. At least 4, because a Code 128 of 1 to 3 characters is so short that a whole-label read
  (zxing-cpp, tests/labels) finds spurious or partial symbols in it ("992" read as "2"); from 4 on, none was found.
  No ``~`` or backquote: ``~`` is ZPL's control prefix, and the backquote is the escape character labels.zpl gives
  ``^BX`` (a printer would read it in Data Matrix data as the start of an escape sequence). Every other printable
  character is escaped where a printer needs it.
- Printed text (lot number, location, contents, trial code) is printable ASCII, so the PDF's standard fonts and
  the printer's font 0 show exactly what was given.
- The SEC line is for tissue (procurement) containers only: a tissue bag label needs its SEC, a drug product bag
  label refuses one, and the SEC must name the label's own DIN, product code, division and expiry date.
"""

import re
from dataclasses import dataclass

from labels.isbt128 import ChainOfIdentity, Compound, Din, Expiration, ProductCode
from labels.sec import Sec

IDENTIFIER_MIN, IDENTIFIER_MAX = 4, 40
TEXT_MAX = 80
INTENDED_ROUTE = "For intrathecal use only"
TRIAL_USE = "For clinical trial use only"


class LabelError(ValueError):
    """Label data or a label stock that cannot be printed as asked; the message names what is wrong."""


def check_identifier(value: str, what: str) -> None:
    """Refuse an internal identifier that is not 4-40 printable ASCII characters without space, ``~`` or ``` ` ```."""
    if not isinstance(value, str) or not re.fullmatch(rf"[!-_a-}}]{{{IDENTIFIER_MIN},{IDENTIFIER_MAX}}}", value):
        raise LabelError(f"{what}: {value!r} is not {IDENTIFIER_MIN} to {IDENTIFIER_MAX} printable ASCII characters "
                         "without space, '~' or '`'")


def check_text(value: str, what: str, *, empty: bool = False) -> None:
    """Refuse printed text that is not printable ASCII (at most 80 characters; empty only where allowed)."""
    if not isinstance(value, str) or not re.fullmatch(rf"[ -~]{{{0 if empty else 1},{TEXT_MAX}}}", value):
        raise LabelError(f"{what}: {value!r} is not {'up to' if empty else '1 to'} {TEXT_MAX} printable ASCII "
                         "characters")
    if value != value.strip():
        raise LabelError(f"{what}: {value!r} starts or ends with a space")


def _check_type(value, kind, what: str) -> None:
    if not isinstance(value, kind):
        raise LabelError(f"{what}: expected {kind.__name__}, got {type(value).__name__}")


def eye_readable_din(din: Din) -> str:
    """The DIN as printed: FIN, year and sequence apart (``A9999 26 000001``); no flags, no check character."""
    return f"{din.fin} {din.year} {din.sequence}"


def eye_readable_expiry(expiration: Expiration) -> str:
    """An expiration as printed: local date and time to the minute (``2026-12-31 23:59``)."""
    return f"{expiration.at:%Y-%m-%d %H:%M}"


def _check_isbt(din, product, expiration) -> None:
    _check_type(din, Din, "DIN")
    _check_type(product, ProductCode, "product code")
    _check_type(expiration, Expiration, "expiration")


@dataclass(frozen=True)
class CryovialLabel:
    """A cryovial: the 2-D compound message (DIN with flags, product code with division, expiration), the unit's
    own barcode and the eye-readable DIN with its boxed check character, product code, division, expiry, lot."""

    din: Din
    product: ProductCode
    expiration: Expiration
    unit_barcode: str
    lot_number: str

    def __post_init__(self):
        _check_isbt(self.din, self.product, self.expiration)
        check_identifier(self.unit_barcode, "unit barcode")
        check_text(self.lot_number, "lot number")

    @property
    def compound(self) -> Compound:
        """The compound message carried by the Data Matrix."""
        return Compound((self.din, self.product, self.expiration))


@dataclass(frozen=True)
class BagLabel:
    """A bag or lot container: Code 128 of the DIN, product code and expiration, eye-readable text, and the SEC
    line when the container holds procured tissue (``tissue=True``)."""

    din: Din
    product: ProductCode
    expiration: Expiration
    lot_number: str
    description: str
    tissue: bool = False
    sec: Sec | None = None

    def __post_init__(self):
        _check_isbt(self.din, self.product, self.expiration)
        check_text(self.lot_number, "lot number")
        check_text(self.description, "description")
        _check_type(self.tissue, bool, "tissue")
        if not self.tissue and self.sec is not None:
            raise LabelError("SEC: applies to procured tissue only, not to the drug product")
        if self.tissue:
            if self.sec is None:
                raise LabelError("SEC: a tissue (procurement) container label needs its SEC")
            _check_type(self.sec, Sec, "SEC")
            expected = (self.din.din, self.product.code, self.product.division, self.expiration.at.date())
            if (self.sec.din, self.sec.product_code, self.sec.division, self.sec.expiry) != expected:
                raise LabelError(f"SEC: {self.sec.encode()!r} does not name this label's DIN, product code, "
                                 "division and expiry date")


@dataclass(frozen=True)
class BoxLabel:
    """A storage box: its barcode, where it lives and what it holds (1 to 3 lines)."""

    barcode: str
    location: str
    contents: tuple[str, ...]

    def __post_init__(self):
        check_identifier(self.barcode, "box barcode")
        check_text(self.location, "location")
        object.__setattr__(self, "contents", tuple(self.contents))
        if not 1 <= len(self.contents) <= 3:
            raise LabelError(f"contents: expected 1 to 3 lines, got {len(self.contents)}")
        for number, line in enumerate(self.contents, start=1):
            check_text(line, f"contents line {number}")


@dataclass(frozen=True)
class DoseLabel:
    """A dose (syringe): its barcode, the 2-D compound message (DIN, product, expiry after thaw and, when given,
    the patient's chain of identity), trial code, dose number, DIN with check character, product, expiry after
    thaw, the route and the clinical-trial statement."""

    barcode: str
    trial_code: str
    dose_number: int
    din: Din
    product: ProductCode
    expiration: Expiration
    description: str
    chain_of_identity: ChainOfIdentity | None = None

    def __post_init__(self):
        check_identifier(self.barcode, "dose barcode")
        check_text(self.trial_code, "patient trial code")
        if type(self.dose_number) is not int or not 1 <= self.dose_number <= 99:
            raise LabelError(f"dose number: {self.dose_number!r} is not a whole number from 1 to 99")
        _check_isbt(self.din, self.product, self.expiration)
        check_text(self.description, "description")
        if self.chain_of_identity is not None:
            _check_type(self.chain_of_identity, ChainOfIdentity, "chain of identity")

    @property
    def compound(self) -> Compound:
        """The compound message carried by the Data Matrix."""
        parts = (self.din, self.product, self.expiration)
        return Compound(parts + ((self.chain_of_identity,) if self.chain_of_identity else ()))


@dataclass(frozen=True)
class PatientLabel:
    """A patient identifier (wristband or prescription): the patient's barcode and trial code."""

    barcode: str
    trial_code: str

    def __post_init__(self):
        check_identifier(self.barcode, "patient barcode")
        check_text(self.trial_code, "patient trial code")


Label = CryovialLabel | BagLabel | BoxLabel | DoseLabel | PatientLabel
