"""ISBT 128 divisions: DIN + product code + division names one physical product, so no two share them.

A division belongs to the whole family of a DIN and a product code: every lot of that donation and product code
(its bag label) and every unit made from such a lot. The first lot of a DIN and product code is the undivided
product, ``00``; any later lot, and every unit, takes the next division of ``A0 … Z0, Aa … Zz`` that no lot or unit
of the family holds. Allocation locks the donation's procurement row first, so two lots or two batches of units of
one donation made at the same moment never get the same division (on SQLite writes are serial anyway).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.donors.models import Procurement
from app.extensions import db

from .models import Lot
from .signals import divisions_held

UNDIVIDED = "00"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: every division after 00, in the order they are given
SEQUENCE = tuple([f"{letter}0" for letter in LETTERS]
                 + [f"{letter}{small}" for letter in LETTERS for small in LETTERS.lower()])


def lock_donation(din: str) -> None:
    """Serialise division allocation within one donation (PostgreSQL row lock on its procurement)."""
    db.session.execute(select(Procurement.id).where(Procurement.din == din).with_for_update())


def taken(din: str, product_code: str) -> set[str]:
    """The divisions held by the lots of this DIN and product code and by what was made from them (their units,
    answered by storage through the divisions_held signal)."""
    family = db.session.execute(select(Lot.id, Lot.division).where(Lot.din == din,
                                                                   Lot.product_code == product_code)).all()
    held = {division for _, division in family}
    for _receiver, answer in divisions_held.send(__name__, lot_ids=[lot_id for lot_id, _division in family]):
        held |= answer
    return held


def for_lot(din: str, product_code: str) -> str:
    """The division of a new lot: 00 when it is the first of its DIN and product code, else the next free one."""
    lock_donation(din)
    if not db.session.scalar(select(Lot.id).where(Lot.din == din, Lot.product_code == product_code).limit(1)):
        return UNDIVIDED
    return _next(taken(din, product_code), 1, "lot", "product_code")[0]


def for_units(lot: Lot, count: int) -> list[str]:
    """Divisions for count new units of the lot, none held by its family yet."""
    lock_donation(lot.din)
    return _next(taken(lot.din, lot.product_code), count, "unit", "count")


def _next(held: set[str], count: int, what: str, field: str) -> list[str]:
    free = [division for division in SEQUENCE if division not in held]
    if count > len(free):
        raise InvalidInput(_("only %(len)s divisions are left for this DIN and product code: at most %(len)s more "
                             "%(what)ss", len=len(free), what=what), {field: [_("no division left")]})
    return free[:count]
