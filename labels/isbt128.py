"""ISBT 128 (ST-001) identifiers: the DIN check character and the barcode data structures, encoded and parsed.

Pure code, stdlib only. Each structure is a frozen dataclass that validates itself on construction and has
``encode()``; ``parse_*`` turn a scanned string back into it, and ``parse`` dispatches on the data identifier.
Anything that breaks the format raises ``Malformed`` (a ``ValueError``) whose message names what is wrong.

Choices where DESIGN §4 leaves room:
- FIN: a letter A-Z, then 4 letters or digits (ICCBBA assigns 1 letter + 4 digits, e.g. A9999).
- DIN flags: two digits; ``00`` none, ``01``-``59`` type 1 (ICCBBA-defined, carried as is), ``60``-``96``
  type 3, which must equal 60 + the value of the check character; anything else is refused.
- Product code ``αoooo``: α is ``S`` (cellular therapy) or a local code ``A``-``D``; the collection type is one
  letter or digit; the division ``ds`` is ``00`` (undivided), ``D0`` or ``Ds`` (D in A-Z, s in a-z).
- Expiration ``cyy``: the last three digits of the year (2026 -> ``026``), so years 2000-2999; the time is the
  facility's local time as a naive datetime at minute precision (ISBT 128 carries no time zone).
- Compound message: 1 to 99 structures, no nested compound message; ``bbb`` is any 3 digits (``000`` undefined).
- Input is taken exactly as scanned: no trimming, no case folding.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
PRODUCT_TYPES = "SABCD"
COMPOUND_MAX = 99


class Malformed(ValueError):
    """An ISBT 128 value or scanned string that breaks the format; the message names what is wrong."""


def _fits(pattern: str, value: object) -> bool:
    """Whether value is a string matching pattern in full."""
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def check_value(din: str) -> int:
    """ISO/IEC 7064 MOD 37-2 check value (0-36) over the 13 characters of a DIN (each one of 0-9, A-Z)."""
    if not isinstance(din, str) or len(din) != 13:
        raise Malformed(f"DIN: expected 13 characters, got {din!r}")
    total = 0
    for position, character in enumerate(din, start=1):
        if character not in _VALUE or character == "*":
            raise Malformed(f"DIN: character {character!r} at position {position} is not one of 0-9, A-Z")
        total = ((total + _VALUE[character]) * 2) % 37
    return (38 - total) % 37


def check_character(din: str) -> str:
    """The check character K of a DIN, printed boxed beside the eye-readable DIN, never in the barcode."""
    return ALPHABET[check_value(din)]


def type3_flag(din: str) -> int:
    """The type-3 flag value of a DIN: 60 + the value of its check character."""
    return 60 + check_value(din)


def validate_fin(fin: str, what: str = "DIN") -> None:
    """Refuse a Facility Identification Number that is not a letter followed by 4 letters or digits."""
    if not _fits(r"[A-Z][A-Z0-9]{4}", fin):
        raise Malformed(f"{what}: facility identification number {fin!r} is not a letter A-Z and 4 letters or digits")


def validate_din(din: str) -> None:
    """Refuse a DIN that is not FIN(5) + year(2 digits) + sequence(6 digits)."""
    if not isinstance(din, str) or len(din) != 13:
        raise Malformed(f"DIN: expected 13 characters (FIN 5, year 2, sequence 6), got {din!r}")
    validate_fin(din[:5])
    if not _fits(r"[0-9]{2}", din[5:7]):
        raise Malformed(f"DIN: year {din[5:7]!r} is not 2 digits")
    if not _fits(r"[0-9]{6}", din[7:]):
        raise Malformed(f"DIN: sequence number {din[7:]!r} is not 6 digits")


def _validate_flags(din: str, flags: str) -> None:
    """Refuse flags that are not 00-59, or a type-3 flag 60-96 that does not match the check character."""
    if not _fits(r"[0-9]{2}", flags):
        raise Malformed(f"DIN: flags {flags!r} are not 2 digits")
    if 60 <= int(flags) <= 96 and int(flags) != type3_flag(din):
        raise Malformed(f"DIN: flags {flags} do not match check character {check_character(din)} ({type3_flag(din)})")
    if int(flags) > 96:
        raise Malformed(f"DIN: flags {flags} are not defined (00-59 type 1, 60-96 type 3)")


def validate_product_code(code: str) -> None:
    """Refuse a product code that is not α (S, or A-D local) followed by 4 digits."""
    if not _fits(rf"[{PRODUCT_TYPES}][0-9]{{4}}", code):
        raise Malformed(f"product code: {code!r} is not one of {', '.join(PRODUCT_TYPES)} followed by 4 digits")


def validate_division(division: str) -> None:
    """Refuse a division that is not 00 (undivided), D0 or Ds (D in A-Z, s in a-z)."""
    if not _fits(r"00|[A-Z][0a-z]", division):
        raise Malformed(f"product code: division {division!r} is not 00, A-Z then 0, or A-Z then a-z")


@dataclass(frozen=True)
class Din:
    """Donation Identification Number (FIN + year + sequence) with its 2 flag digits; data identifier ``=``."""

    din: str
    flags: str = "00"

    def __post_init__(self):
        validate_din(self.din)
        _validate_flags(self.din, self.flags)

    @property
    def fin(self) -> str:
        """Facility Identification Number (5 characters)."""
        return self.din[:5]

    @property
    def year(self) -> str:
        """Year of the DIN (2 digits)."""
        return self.din[5:7]

    @property
    def sequence(self) -> str:
        """Sequence number within the facility and year (6 digits)."""
        return self.din[7:]

    @property
    def check_character(self) -> str:
        """MOD 37-2 check character K."""
        return check_character(self.din)

    def encode(self) -> str:
        """``=`` + DIN + flags."""
        return f"={self.din}{self.flags}"


def din_with_flag(din: str) -> Din:
    """The DIN carrying its type-3 flag (60 + the value of its check character)."""
    validate_din(din)
    return Din(din, f"{type3_flag(din):02d}")


@dataclass(frozen=True)
class ProductCode:
    """Product code ``αoooo`` + collection type ``t`` + division ``ds``; data identifier ``=<``."""

    code: str
    collection_type: str
    division: str = "00"

    def __post_init__(self):
        validate_product_code(self.code)
        if not _fits(r"[A-Za-z0-9]", self.collection_type):
            raise Malformed(f"product code: collection type {self.collection_type!r} is not one letter or digit")
        validate_division(self.division)

    def encode(self) -> str:
        """``=<`` + αoooo + t + ds."""
        return f"=<{self.code}{self.collection_type}{self.division}"


@dataclass(frozen=True)
class Expiration:
    """Expiration date and time, local to the facility, to the minute; data identifier ``&>``."""

    at: dt.datetime

    def __post_init__(self):
        if not isinstance(self.at, dt.datetime):
            raise Malformed(f"expiration: expected a datetime, got {type(self.at).__name__}")
        if self.at.tzinfo is not None:
            raise Malformed("expiration: expected a naive local time (ISBT 128 carries no time zone)")
        if self.at.second or self.at.microsecond:
            raise Malformed(f"expiration: {self.at.isoformat()} is not a whole minute")
        if not 2000 <= self.at.year <= 2999:
            raise Malformed(f"expiration: year {self.at.year} is outside 2000-2999")

    def encode(self) -> str:
        """``&>`` + cyy (year - 2000) + jjj (day of the year) + hhmm."""
        return f"&>{self.at.year - 2000:03d}{self.at.timetuple().tm_yday:03d}{self.at:%H%M}"


@dataclass(frozen=True)
class ChainOfIdentity:
    """Chain of identity identifier ``CH`` + FIN + year + 6 letters or digits; data identifier ``&/``."""

    fin: str
    year: str
    serial: str

    def __post_init__(self):
        validate_fin(self.fin, "chain of identity")
        if not _fits(r"[0-9]{2}", self.year):
            raise Malformed(f"chain of identity: year {self.year!r} is not 2 digits")
        if not _fits(r"[A-Z0-9]{6}", self.serial):
            raise Malformed(f"chain of identity: {self.serial!r} is not 6 letters A-Z or digits")

    def encode(self) -> str:
        """``&/CH`` + FIN + yy + 6 characters."""
        return f"&/CH{self.fin}{self.year}{self.serial}"


Simple = Din | ProductCode | Expiration | ChainOfIdentity


@dataclass(frozen=True)
class Compound:
    """Compound message: ``aa`` structures under reference ``bbb`` (``000`` undefined); data identifier ``=+``."""

    structures: tuple[Simple, ...]
    reference: str = "000"

    def __post_init__(self):
        object.__setattr__(self, "structures", tuple(self.structures))
        if not 1 <= len(self.structures) <= COMPOUND_MAX:
            raise Malformed(f"compound: holds {len(self.structures)} data structures, not 1 to {COMPOUND_MAX}")
        for number, structure in enumerate(self.structures, start=1):
            if not isinstance(structure, Simple):
                raise Malformed(f"compound: structure {number} is a {type(structure).__name__}, not a data structure")
        if not _fits(r"[0-9]{3}", self.reference):
            raise Malformed(f"compound: reference {self.reference!r} is not 3 digits")

    def encode(self) -> str:
        """``=+`` + aa + bbb + the structures, each with its data identifier."""
        return f"=+{len(self.structures):02d}{self.reference}" + "".join(s.encode() for s in self.structures)


Structure = Simple | Compound


def _expect(code: str, identifier: str, what: str, length: int, layout: str) -> str:
    """The data after identifier, refusing a code that lacks the identifier or has the wrong length."""
    if not isinstance(code, str):
        raise Malformed(f"{what}: expected a string, got {type(code).__name__}")
    if not code.startswith(identifier):
        raise Malformed(f"{what}: expected data identifier {identifier!r}, got {code[:len(identifier)]!r}")
    data = code[len(identifier):]
    if len(data) != length:
        raise Malformed(f"{what}: expected {layout} after {identifier!r}, got {len(data)} characters")
    return data


def parse_din(code: str) -> Din:
    """``=`` + DIN(13) + flags(2) -> Din."""
    data = _expect(code, "=", "DIN", 15, "13 characters and 2 flag digits")
    return Din(data[:13], data[13:])


def parse_product_code(code: str) -> ProductCode:
    """``=<αooootds`` -> ProductCode."""
    data = _expect(code, "=<", "product code", 8, "8 characters (αooootds)")
    return ProductCode(data[:5], data[5], data[6:])


def parse_expiration(code: str) -> Expiration:
    """``&>cyyjjjhhmm`` -> Expiration, checking the day exists in that year and the time of day."""
    data = _expect(code, "&>", "expiration", 10, "10 digits (cyyjjjhhmm)")
    if not _fits(r"[0-9]{10}", data):
        raise Malformed(f"expiration: {data!r} is not 10 digits (cyyjjjhhmm)")
    year, day, hour, minute = 2000 + int(data[:3]), int(data[3:6]), int(data[6:8]), int(data[8:])
    if not 1 <= day <= 365 + calendar.isleap(year):
        raise Malformed(f"expiration: Julian day {day:03d} does not exist in {year}")
    if hour > 23:
        raise Malformed(f"expiration: hour {hour:02d} is not 00-23")
    if minute > 59:
        raise Malformed(f"expiration: minute {minute:02d} is not 00-59")
    return Expiration(dt.datetime(year, 1, 1, hour, minute) + dt.timedelta(days=day - 1))


def parse_chain_of_identity(code: str) -> ChainOfIdentity:
    """``&/CH`` + FIN + yy + 6 characters -> ChainOfIdentity."""
    data = _expect(code, "&/", "chain of identity", 15, "15 characters (CH, FIN 5, year 2, 6 characters)")
    if data[:2] != "CH":
        raise Malformed(f"chain of identity: expected 'CH' after '&/', got {data[:2]!r}")
    return ChainOfIdentity(data[2:7], data[7:9], data[9:])


#: data identifier -> (parser, length of the whole structure); longer identifiers first
_SIMPLE = (("=<", parse_product_code, 10), ("&>", parse_expiration, 12), ("&/", parse_chain_of_identity, 17))
IDENTIFIERS = "'=' (DIN), '=<' (product code), '&>' (expiration), '=+' (compound message), '&/' (chain of identity)"


def _simple_kind(code: str):
    """(parser, length) of the simple structure code starts with, or None."""
    for identifier, parser, length in _SIMPLE:
        if code.startswith(identifier):
            return parser, length
    if code[:1] == "=" and code[1:2].isascii() and code[1:2].isalnum():
        return parse_din, 16
    return None


def parse_compound(code: str) -> Compound:
    """``=+aabbb`` + concatenated structures -> Compound, checking the announced count."""
    if not isinstance(code, str) or not code.startswith("=+"):
        raise Malformed(f"compound: expected data identifier '=+', got {str(code)[:2]!r}")
    header, rest, position = code[2:7], code[7:], 8
    if not _fits(r"[0-9]{5}", header):
        raise Malformed(f"compound: expected 5 digits (aabbb) after '=+', got {header!r}")
    structures = []
    while rest:
        kind = _simple_kind(rest)
        if kind is None:
            found = "a nested compound message" if rest.startswith("=+") else f"data identifier {rest[:2]!r}"
            raise Malformed(f"compound: {found} at position {position} is not allowed; expected one of {IDENTIFIERS}")
        parser, length = kind
        try:
            structures.append(parser(rest[:length]))
        except Malformed as error:
            raise Malformed(f"compound: structure {len(structures) + 1} at position {position}: {error}") from None
        rest, position = rest[length:], position + length
    if len(structures) != int(header[:2]):
        raise Malformed(f"compound: header announces {int(header[:2])} data structures, found {len(structures)}")
    return Compound(tuple(structures), header[2:])


def parse(code: str) -> Structure:
    """Any supported ISBT 128 data structure, chosen by its data identifier."""
    if not isinstance(code, str) or not code:
        raise Malformed(f"expected a scanned ISBT 128 string, got {code!r}")
    if code.startswith("=+"):
        return parse_compound(code)
    kind = _simple_kind(code)
    if kind is None:
        raise Malformed(f"unknown data identifier {code[:2]!r}: expected one of {IDENTIFIERS}")
    return kind[0](code)


def parse_structures(code: str) -> tuple[Simple, ...]:
    """The data structures a scan carries: those of a compound message, or of one or more simple structures read
    together (a scanner concatenating the DIN and product code of a bag: ``=A99992600000170=<S1004V00``)."""
    if not isinstance(code, str) or not code:
        raise Malformed(f"expected a scanned ISBT 128 string, got {code!r}")
    if code.startswith("=+"):
        return parse_compound(code).structures
    structures, rest, position = [], code, 1
    while rest:
        kind = _simple_kind(rest)
        if kind is None:
            found = "a compound message" if rest.startswith("=+") else f"data identifier {rest[:2]!r}"
            raise Malformed(f"{found} at position {position} is not allowed here; expected one of {IDENTIFIERS}")
        parser, length = kind
        try:
            structures.append(parser(rest[:length]))
        except Malformed as error:
            raise Malformed(f"structure {len(structures) + 1} at position {position}: {error}") from None
        rest, position = rest[length:], position + length
    return tuple(structures)
