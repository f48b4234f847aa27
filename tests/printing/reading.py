"""Reading printed labels back with two independent decoders per symbology, and what each label must carry.

Code 128 is read by zbar and zxing-cpp, Data Matrix by libdmtx and zxing-cpp (tests/labels/scanning.py), here on
whole label images: every symbol of the label at once, as a scanner aimed at it would find them.
"""

import datetime as dt
import warnings

from labels.isbt128 import Compound, Expiration, ProductCode, din_with_flag
from tests.labels.scanning import NO_DMTX, needs_dmtx, needs_zbar, zbar, zxing

if NO_DMTX is None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "distutils Version classes are deprecated", DeprecationWarning)
        from pylibdmtx import pylibdmtx

#: what every label of these tests expires at: tests/printing/helpers.EXPIRY in site time (Europe/Paris)
EXPIRES = Expiration(dt.datetime(2027, 6, 30, 23, 59))
COLLECTION_TYPE = "V"
#: both decoders' system libraries are needed (without them the tests skip, saying which to install)
DECODERS = [needs_zbar, needs_dmtx]


def read(image, matrix: bool) -> list[str]:
    """Every symbol on the image, read by both decoders of its symbology, which must agree."""
    if matrix:
        # libdmtx searches the whole image for as many symbols as it is told to expect: as many as zxing-cpp saw
        seen = zxing(image, matrix=True)
        found = {"libdmtx": [r.data.decode("ascii")
                             for r in pylibdmtx.decode(image, max_count=max(len(seen), 1), timeout=8000)],
                 "zxing-cpp": seen}
    else:
        found = {"zbar": zbar(image), "zxing-cpp": zxing(image, matrix=False)}
    first, second = (sorted(texts) for texts in found.values())
    assert first == second, f"the decoders disagree: {found}"
    return first


def vial_texts(lot: dict, unit: dict) -> list[str]:
    """What a cryovial label carries: the unit barcode and the compound message (DIN with flag, product code with
    the unit's division, expiration)."""
    compound = Compound((din_with_flag(lot["din"]), ProductCode(lot["product_code"], COLLECTION_TYPE, unit["division"]),
                         EXPIRES))
    return sorted([unit["barcode"], compound.encode()])


def bag_texts(lot: dict, division: str) -> list[str]:
    """What a bag label carries: Code 128 of the DIN with flag, of the product code with division, of the expiry."""
    return sorted([din_with_flag(lot["din"]).encode(),
                   ProductCode(lot["product_code"], COLLECTION_TYPE, division).encode(), EXPIRES.encode()])


def concatenated(lot: dict, division: str) -> str:
    """What a scanner reading a bag's DIN and product code together sends."""
    return din_with_flag(lot["din"]).encode() + ProductCode(lot["product_code"], COLLECTION_TYPE, division).encode()
