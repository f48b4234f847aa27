"""Scan resolution: any printed code resolves to exactly one object, or is refused in words.

A unit barcode, a location barcode, a code a package above names (a dose, a patient: the ``code_scanned``
signal), a box position (``<box barcode>/C7``), or ISBT 128 structures naming one product by DIN + product
code + division: a unit, or a lot as a whole (division 00 for the first lot of its DIN and product code). Codes
that could name several objects are refused (422), never resolved to one of them.
"""

from flask_babel import gettext
from sqlalchemy import select

from app.core.errors import InvalidInput, NotFound
from app.extensions import db
from app.lots.models import Lot
from labels import isbt128

from .locations import parse_position
from .models import StorageLocation, Unit
from .signals import code_scanned


def _unit(unit: Unit) -> dict:
    return {"type": "unit", "id": unit.id, "barcode": unit.barcode, "lot_id": unit.lot_id, "state": unit.state,
            "box_id": unit.box_id, "row": unit.row, "col": unit.col}


def _location(location: StorageLocation) -> dict:
    return {"type": location.kind, "id": location.id, "barcode": location.barcode, "name": location.name}


def _position(code: str) -> dict:
    box_code, _, label = code.partition("/")
    box = db.session.scalar(select(StorageLocation).where(StorageLocation.barcode == box_code))
    if box is None or box.kind != "box":
        raise NotFound(gettext("no box with barcode %(box_code)s", box_code=box_code))
    row, col = parse_position(box, label)
    occupant = db.session.scalar(select(Unit.id).where(Unit.box_id == box.id, Unit.row == row, Unit.col == col))
    return {"type": "position", "box_id": box.id, "row": row, "col": col, "label": box.position_label(row, col),
            "unit_id": occupant}


def _lot(lot: Lot) -> dict:
    return {"type": "lot", "id": lot.id, "number": lot.number, "din": lot.din, "product_code": lot.product_code,
            "division": lot.division, "state": lot.state}


def _isbt(code: str) -> dict:
    """DIN + product code + division name one product: a unit (A0, B0 …) or a lot as a whole (its bag label).

    The code is a compound message (the vial's Data Matrix) or the structures of a bag read together (DIN and
    product code concatenated); one DIN or one product code alone names no single object and is refused."""
    try:
        parts = isbt128.parse_structures(code)
    except isbt128.Malformed as error:
        raise InvalidInput(gettext("malformed ISBT 128 code: %(error)s", error=error), {"code": [str(error)]}) from None
    dins = [p for p in parts if isinstance(p, isbt128.Din)]
    products = [p for p in parts if isinstance(p, isbt128.ProductCode)]
    if len(dins) != 1 or len(products) != 1:
        raise InvalidInput(gettext("an ISBT 128 code names one unit or lot only with one DIN and one product code "
                                   "(with its division), e.g. a 2-D compound message"),
                           {"code": [gettext("ambiguous")]})
    din, product = dins[0].din, products[0]
    family = (Lot.din == din, Lot.product_code == product.code)
    found = [_unit(u) for u in db.session.scalars(select(Unit).join(Lot).where(
        *family, Unit.division == product.division).order_by(Unit.id).limit(2))]
    found += [_lot(lot) for lot in db.session.scalars(select(Lot).where(
        *family, Lot.division == product.division).order_by(Lot.id).limit(2))]
    what = f"DIN {din}, product code {product.code} and division {product.division}"
    if not found:
        raise NotFound(gettext("no unit or lot with %(what)s", what=what))
    if len(found) > 1:
        names = ", ".join(f"{f['type']} {f.get('barcode') or f.get('number')}" for f in found)
        raise InvalidInput(gettext("%(what)s name more than one object (%(names)s): the code is refused, identify the "
                             "container by its own barcode", what=what, names=names), {"code": [gettext("ambiguous")]})
    return found[0]


def resolve(code: str) -> dict:
    """The one object this scanned code names."""
    code = code.strip()
    if not code:
        raise InvalidInput(gettext("empty code"), {"code": [gettext("empty")]})
    if code[0] in "=&":
        return _isbt(code)
    if "/" in code:
        return _position(code)
    for _, found in code_scanned.send(code):
        if found is not None:
            return found
    unit = db.session.scalar(select(Unit).where(Unit.barcode == code))
    if unit is not None:
        return _unit(unit)
    location = db.session.scalar(select(StorageLocation).where(StorageLocation.barcode == code))
    if location is not None:
        return _location(location)
    raise NotFound(gettext("nothing known has the code %(code)s", code=repr(code)))


def resolve_units(codes: list[str]) -> dict[int, Unit]:
    """The units these scanned codes name, by id; any code that is not a unit is refused. Unit barcodes are read in
    one query; other codes (ISBT 128 structures) one by one."""
    codes = [code.strip() for code in codes]
    plain = {code for code in codes if code and code[0] not in "=&" and "/" not in code}
    by_barcode = {unit.barcode: unit for unit in db.session.scalars(select(Unit).where(Unit.barcode.in_(plain)))
                  } if plain else {}
    units = {}
    for code in codes:
        if code in by_barcode:
            units[by_barcode[code].id] = by_barcode[code]
            continue
        found = resolve(code)
        if found["type"] != "unit":
            raise InvalidInput(gettext("%(code)s is a %(found)s, not a unit", code=repr(code), found=found['type']),
                               {"codes": [code]})
        units[found["id"]] = db.session.get(Unit, found["id"])
    return units
