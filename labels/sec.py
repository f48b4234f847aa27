"""EU Single European Code (SEC), eye-readable, for a product identified with ISBT 128 (coding system ``A``).

``CCEEEEEEDDDDDDDDDDDDD APPPPPPPSSSYYYYMMDD``: the donation identification sequence is the country (2 letters),
the establishment code (6 letters or digits) and the DIN (13); after one space the product identification
sequence is the coding system ``A``, the product code as ``00`` + αoooo, the split number ``0`` + ds and the
expiry date YYYYMMDD, ``00000000`` for a product without expiry (``expiry=None``). The acronym "SEC" printed
before it on a label is not part of the string.
"""

import datetime as dt
import re
from dataclasses import dataclass

from labels.isbt128 import (
    Din,
    Expiration,
    Malformed,
    ProductCode,
    validate_din,
    validate_division,
    validate_product_code,
)

CODING_SYSTEM = "A"
NO_EXPIRY = "00000000"


def _prefixed(check, value) -> None:
    """Run a validator from labels.isbt128, naming the SEC in its message."""
    try:
        check(value)
    except Malformed as error:
        raise Malformed(f"SEC: {error}") from None


@dataclass(frozen=True)
class Sec:
    """The SEC's parts; ``expiry`` None means the product has no expiry date."""

    country: str
    establishment: str
    din: str
    product_code: str
    division: str
    expiry: dt.date | None

    def __post_init__(self):
        if not isinstance(self.country, str) or not re.fullmatch(r"[A-Z]{2}", self.country):
            raise Malformed(f"SEC: country {self.country!r} is not 2 letters A-Z")
        if not isinstance(self.establishment, str) or not re.fullmatch(r"[A-Z0-9]{6}", self.establishment):
            raise Malformed(f"SEC: establishment code {self.establishment!r} is not 6 letters A-Z or digits")
        _prefixed(validate_din, self.din)
        _prefixed(validate_product_code, self.product_code)
        _prefixed(validate_division, self.division)
        if self.expiry is not None and type(self.expiry) is not dt.date:
            raise Malformed(f"SEC: expiry {self.expiry!r} is not a date (or None for no expiry)")

    @classmethod
    def of(cls, country: str, establishment: str, din: Din, product: ProductCode,
           expiration: Expiration | None) -> "Sec":
        """The SEC of a labelled product from its ISBT 128 structures."""
        expiry = expiration.at.date() if expiration is not None else None
        return cls(country, establishment, din.din, product.code, product.division, expiry)

    def encode(self) -> str:
        """The eye-readable SEC: donation identification sequence, a space, product identification sequence."""
        expiry = NO_EXPIRY if self.expiry is None else f"{self.expiry.year:04d}{self.expiry:%m%d}"
        return (f"{self.country}{self.establishment}{self.din} "
                f"{CODING_SYSTEM}00{self.product_code}0{self.division}{expiry}")


def _parse_expiry(text: str) -> dt.date | None:
    """YYYYMMDD -> date, ``00000000`` -> None."""
    if text == NO_EXPIRY:
        return None
    if not re.fullmatch(r"[0-9]{8}", text):
        raise Malformed(f"SEC: expiry {text!r} is not 8 digits YYYYMMDD")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise Malformed(f"SEC: expiry {text!r} is not a calendar date YYYYMMDD") from None


def parse_sec(text: str) -> Sec:
    """The eye-readable SEC string -> Sec."""
    if not isinstance(text, str):
        raise Malformed(f"SEC: expected a string, got {type(text).__name__}")
    parts = text.split(" ")
    if len(parts) != 2 or len(parts[0]) != 21 or len(parts[1]) != 19:
        lengths = " + ".join(str(len(part)) for part in parts)
        raise Malformed("SEC: expected donation identification sequence (21 characters), one space and product "
                        f"identification sequence (19 characters), got {lengths} characters")
    donation, product = parts
    if product[0] != CODING_SYSTEM:
        raise Malformed(f"SEC: coding system {product[0]!r} is not ISBT 128 ({CODING_SYSTEM!r})")
    if product[1:3] != "00":
        raise Malformed(f"SEC: product code must start with '00' before αoooo, got {product[1:8]!r}")
    if product[8] != "0":
        raise Malformed(f"SEC: split number must be '0' followed by the division, got {product[8:11]!r}")
    return Sec(donation[:2], donation[2:8], donation[8:], product[3:8], product[9:11], _parse_expiry(product[11:]))
