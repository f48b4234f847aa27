"""The labels of the bank's own records: a unit (cryovial or bag), a lot as a whole (its bag), a storage box.

ISBT 128 data come from the lot: its DIN (with its type-3 flag), its product code with the collection type of
the facility's donations (``CELLBANK_ISBT_COLLECTION_TYPE``, V: volunteer allogeneic) and the division of the
unit or of the lot, and its expiry. A record that cannot be labelled truthfully is refused (409) in words: a lot
without an expiry, a closed lot, a destroyed unit, text the label cannot carry.
"""

import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.errors import RuleViolation
from app.core.timezones import local
from app.extensions import db
from app.lots.models import Lot, ProductCode
from app.lots.operations import get_lot
from app.storage.locations import get_location
from app.storage.models import StorageLocation, Unit
from app.storage.operations import get_unit
from labels import isbt128
from labels.content import BagLabel, BoxLabel, CryovialLabel, LabelError
from labels.sec import Sec

from .sources import LabelSource, register

LABELLED_LOT_STATES = ("in_process", "quarantine", "released")
#: characters a label's ASCII text writes otherwise (accents are dropped by NFKD)
_ASCII = str.maketrans({"°": " deg", "−": "-", "–": "-", "—": "-", "×": "x", "µ": "u", "’": "'", "‘": "'"})
PATH_MAX = 80


def ascii_text(text: str) -> str:
    """Text as a label prints it: printable ASCII, accents dropped, a few signs spelled out, anything else '?'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" else "?" for c in plain)


def _require_labelled(lot: Lot) -> None:
    if lot.state not in LABELLED_LOT_STATES:
        raise RuleViolation(_("lot %(number)s is %(state)s: its labels are no longer printed", number=lot.number,
                              state=lot.state))
    if lot.expires_at is None:
        raise RuleViolation(_("lot %(number)s has no expiry yet: set it (POST /api/v1/lots/%(id)s/expiry) before "
                              "printing its labels", number=lot.number, id=lot.id))


def isbt_parts(lot: Lot, division: str) -> tuple[isbt128.Din, isbt128.ProductCode, isbt128.Expiration]:
    """The DIN with its flag, the product code with this division, and the lot's expiry in site time."""
    expiry = local(lot.expires_at).replace(tzinfo=None, second=0, microsecond=0)
    product = isbt128.ProductCode(lot.product_code, current_app.config["ISBT_COLLECTION_TYPE"], division)
    return isbt128.din_with_flag(lot.din), product, isbt128.Expiration(expiry)


def made(what: str, build):
    """Build label data; a value the label cannot carry is refused in words."""
    try:
        return build()
    except (LabelError, isbt128.Malformed) as error:
        raise RuleViolation(_("the label of %(what)s cannot be printed: %(error)s", what=what, error=error)) from None


def bag_label(lot: Lot, division: str, what: str) -> BagLabel:
    """The bag label of a lot (division 00 or its own) or of a unit in a bag."""
    din, product, expiration = isbt_parts(lot, division)
    description = ascii_text(db.session.scalar(select(ProductCode.description)
                                               .where(ProductCode.code == lot.product_code)))
    tissue = lot.kind == "tissue"

    def build():
        sec = None
        if tissue:
            config = current_app.config
            sec = Sec.of(config["SEC_COUNTRY"], config["SEC_ESTABLISHMENT"], din, product, expiration)
        return BagLabel(din, product, expiration, lot.number, description, tissue, sec)

    return made(what, build)


def isbt_scan(label) -> list[str]:
    """What a scanner reading a bag's DIN and product code together sends."""
    return [label.din.encode() + label.product.encode()]


# --- units --------------------------------------------------------------------------------------------------
def unit_kind(unit: Unit) -> str:
    if unit.container_type == "syringe":
        raise RuleViolation(_("unit %(barcode)s is a syringe: it is labelled as a dose, from its dose record",
                              barcode=unit.barcode))
    return "bag" if unit.container_type == "bag" else "cryovial"


def unit_label(unit: Unit):
    what = f"unit {unit.barcode}"
    if unit.state == "destroyed":
        raise RuleViolation(_("unit %(barcode)s is destroyed: it gets no label", barcode=unit.barcode))
    lot = db.session.get(Lot, unit.lot_id)
    _require_labelled(lot)
    if unit_kind(unit) == "bag":
        return bag_label(lot, unit.division, what)
    din, product, expiration = isbt_parts(lot, unit.division)
    return made(what, lambda: CryovialLabel(din, product, expiration, unit.barcode, lot.number))


def unit_scans(label) -> list[str]:
    if isinstance(label, CryovialLabel):
        return [label.unit_barcode, label.compound.encode()]
    return isbt_scan(label)


# --- lots ---------------------------------------------------------------------------------------------------
def lot_label(lot: Lot) -> BagLabel:
    _require_labelled(lot)
    return bag_label(lot, lot.division, f"lot {lot.number}")


# --- boxes --------------------------------------------------------------------------------------------------
def get_box(box_id: int) -> StorageLocation:
    location = get_location(box_id)
    if location.kind != "box":
        raise RuleViolation(_("%(name)s is a %(kind)s, not a box: only boxes get a box label", name=location.name,
                              kind=location.kind))
    return location


def location_path(box: StorageLocation) -> str:
    """From the storage unit down to the box ("LN2-01 / LN2-01 rack 1 / LN2-01 R1 box 1"), at most 80 characters."""
    names, location = [], box
    while location is not None and location.kind not in ("room", "site"):
        names.insert(0, ascii_text(location.name).strip())
        location = db.session.get(StorageLocation, location.parent_id) if location.parent_id else None
    path = " / ".join(names)
    return path if len(path) <= PATH_MAX else "..." + path[-(PATH_MAX - 3):]


def contents(box: StorageLocation) -> tuple[str, ...]:
    """What the box holds, by lot: at most three lines."""
    rows = db.session.execute(select(Lot.number, func.count()).join(Unit, Unit.lot_id == Lot.id)
                              .where(Unit.box_id == box.id).group_by(Lot.number).order_by(Lot.number)).all()
    lines = [f"Lot {number}: {count} unit{'s' if count > 1 else ''}" for number, count in rows]
    if not lines:
        return ("empty",)
    if len(lines) > 3:
        rest = sum(count for _, count in rows[2:])
        lines = [*lines[:2], f"and {len(rows) - 2} more lots: {rest} units"]
    return tuple(lines)


def box_label(box: StorageLocation) -> BoxLabel:
    return made(f"box {box.barcode}", lambda: BoxLabel(box.barcode, location_path(box), contents(box)))


register(LabelSource("unit", Unit, get_unit, unit_kind, unit_label, unit_scans, lambda unit: unit.barcode,
                     "labels.print"))
register(LabelSource("lot", Lot, get_lot, lambda lot: "bag", lot_label, isbt_scan, lambda lot: lot.number,
                     "labels.print"))
register(LabelSource("box", StorageLocation, get_box, lambda box: "box", box_label,
                     lambda label: [label.barcode], lambda box: box.barcode, "labels.print"))
