"""Label values for the tests: one of each template, a DIN for every check character, hypothesis strategies."""

import datetime as dt
import string

from hypothesis import strategies as st

from labels.content import BagLabel, BoxLabel, CryovialLabel, DoseLabel, PatientLabel
from labels.isbt128 import ALPHABET, ChainOfIdentity, Din, Expiration, ProductCode, check_character, din_with_flag
from labels.sec import Sec
from labels.stock import STOCKS

DIN = din_with_flag("A999926000001")
PRODUCT = ProductCode("S1004", "V", "A0")
TISSUE = ProductCode("S1001", "T", "00")
EXPIRY = Expiration(dt.datetime(2026, 12, 31, 23, 59))
CHAIN = ChainOfIdentity("A9999", "26", "ABC123")
#: printable ASCII an identifier may hold (no space, '~' or '`')
IDENTIFIER_ALPHABET = "".join(chr(c) for c in range(0x21, 0x7E) if chr(c) != "`")


def cryovial(din: Din = DIN, product: ProductCode = PRODUCT, expiration: Expiration = EXPIRY,
             unit: str = "DP-26-0001-A0") -> CryovialLabel:
    return CryovialLabel(din, product, expiration, unit, "DP-26-0001")


def bag(din: Din = DIN, tissue: bool = False) -> BagLabel:
    if tissue:
        return BagLabel(din, TISSUE, EXPIRY, "T-26-0001", "Adipose tissue", True,
                        Sec.of("FR", "RNS001", din, TISSUE, EXPIRY))
    return BagLabel(din, PRODUCT, EXPIRY, "DP-26-0001", "ASC drug product")


def box(barcode: str = "BX-BCDF1234") -> BoxLabel:
    return BoxLabel(barcode, "Rennes / Cryo room / LN2-01 / Rack 3 / Box 12",
                    ("Lot DP-26-0001: 10 vials", "Lot DP-26-0002: 4 vials"))


def dose(barcode: str = "DS-26-0001-01", chain: ChainOfIdentity | None = CHAIN,
         din: Din = DIN) -> DoseLabel:
    return DoseLabel(barcode, "MS-ASC-001-004", 2, din, PRODUCT, EXPIRY, "ASC drug product", chain)


def patient(barcode: str = "PT-7K2M9QXW") -> PatientLabel:
    return PatientLabel(barcode, "MS-ASC-001-004")


#: one label of each template with its default stock
EVERY_TEMPLATE = {
    "cryovial": (cryovial(), STOCKS["cryovial"]),
    "bag": (bag(), STOCKS["bag"]),
    "tissue bag": (bag(tissue=True), STOCKS["bag"]),
    "box": (box(), STOCKS["box"]),
    "dose": (dose(), STOCKS["dose"]),
    "patient": (patient(), STOCKS["patient"]),
}


def din_for_each_check_character() -> list[Din]:
    """37 DINs carrying their type-3 flag, the check character of each one a different character of the
    MOD 37-2 alphabet; FINs and years vary too."""
    found: dict[str, Din] = {}
    fins = ("A9999", "G1234", "Z0A9B", "B0000")
    sequence = 0
    while len(found) < len(ALPHABET):
        din = f"{fins[sequence % len(fins)]}{sequence % 100:02d}{sequence * 7919 % 1000000:06d}"
        found.setdefault(check_character(din), din_with_flag(din))
        sequence += 1
    return [found[character] for character in ALPHABET]


def chars(alphabet: str, size: int):
    return st.text(st.sampled_from(alphabet), min_size=size, max_size=size)


fins = st.builds(str.__add__, st.sampled_from(string.ascii_uppercase), chars(string.digits + string.ascii_uppercase, 4))
din_values = st.builds(lambda fin, year, seq: fin + year + seq, fins, chars(string.digits, 2), chars(string.digits, 6))
dins = din_values.flatmap(lambda din: st.sampled_from([Din(din), din_with_flag(din), Din(din, "07")]))
divisions = st.one_of(st.just("00"), st.builds(str.__add__, st.sampled_from(string.ascii_uppercase),
                                                st.sampled_from("0" + string.ascii_lowercase)))
products = st.builds(ProductCode, st.builds(str.__add__, st.sampled_from("SABCD"), chars(string.digits, 4)),
                     st.sampled_from(string.ascii_uppercase + string.digits), divisions)
expirations = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2999, 12, 31, 23, 59)).map(
    lambda at: Expiration(at.replace(second=0, microsecond=0)))
identifiers = st.text(st.sampled_from(IDENTIFIER_ALPHABET), min_size=4, max_size=13)
chains = st.builds(ChainOfIdentity, fins, chars(string.digits, 2), chars(string.digits + string.ascii_uppercase, 6))
