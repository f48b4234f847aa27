"""Rules for units: creation from a lot, placement in a box position, moves and retrieval, each a custody event."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import audit
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.custody import operations as custody
from app.custody.places import LAB, BoxPosition, Person
from app.extensions import db
from app.lots import divisions
from app.lots.models import Lot
from app.lots.operations import donors_of

from .locations import blocked_positions, check_position, require_box
from .models import StorageLocation, Unit
from .signals import units_placed


def get_unit(unit_id: int) -> Unit:
    return get_or_404(Unit, unit_id, "unit")


def units_by_id(unit_ids) -> dict[int, Unit]:
    """Units by id, read in one query (ids that do not exist are left out)."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    return {unit.id: unit for unit in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}


def place_of(unit: Unit) -> BoxPosition | None:
    """The custody place of the unit's box position, or None when it is not in a box."""
    return BoxPosition(unit.box_id, unit.row, unit.col) if unit.box_id else None


@guarded("units.create")
def create_units(lot: Lot, actor, count: int, container_type: str, volume_ml: Decimal, cells: int,
                 qc_samples: int = 0) -> list[Unit]:
    """Cryopreserve a lot into count units at once, each with its barcode, division and a first custody event.

    Divisions are never 00 (the lot as a whole) and never one another lot or unit of the same DIN and product code
    holds (app/lots/divisions.py), so DIN + product code + division names this unit alone."""
    if lot.state not in ("in_process", "quarantine", "released"):
        raise RuleViolation(_("lot %(number)s is %(state)s: no units can be made from it", number=lot.number,
                              state=lot.state))
    if any(d.consent_withdrawn for d in donors_of(lot)):
        raise RuleViolation(_("the donor of lot %(number)s withdrew consent: no further processing", number=lot.number))
    if db.session.scalar(select(Unit.id).where(Unit.lot_id == lot.id).limit(1)) is not None:
        raise RuleViolation(_("lot %(number)s already has units: divisions are given once", number=lot.number))
    if not 0 <= qc_samples <= count:
        raise InvalidInput(_("qc_samples must be between 0 and count"), {"qc_samples": [_("out of range")]})
    units = [Unit(barcode=f"{lot.number}-{division}", lot_id=lot.id, division=division,
                  container_type=container_type, volume_ml=volume_ml, cells=cells, state="in_storage",
                  qc_sample=index < qc_samples) for index, division in enumerate(divisions.for_units(lot, count))]
    with audit.action(db.session, "unit.create"):
        db.session.add_all(units)
    for unit in units:
        custody.record(unit, "created", LAB, actor, previous=None)
    return units


def next_free_position(box: StorageLocation) -> tuple[int, int]:
    require_box(box)
    taken = {(r, c) for r, c in db.session.execute(select(Unit.row, Unit.col).where(Unit.box_id == box.id))}
    taken |= blocked_positions(box)
    cells = [(r, c) for r in range(1, box.rows + 1) for c in range(1, box.columns + 1)]
    if box.fill_order == "column":
        cells.sort(key=lambda rc: (rc[1], rc[0]))
    for cell in cells:
        if cell not in taken:
            return cell
    raise RuleViolation(_("%(name)s is full", name=box.name))


def _occupy(unit: Unit, box: StorageLocation, row: int, col: int, event_type: str, actor, confirmation: str,
            manual_reason: str | None) -> Unit:
    check_position(box, row, col)
    where = f"position {box.position_label(row, col)} of {box.name}"
    if (row, col) in blocked_positions(box):
        raise RuleViolation(_("%(where)s is blocked", where=where))
    occupant = db.session.scalar(select(Unit.barcode).where(Unit.box_id == box.id, Unit.row == row, Unit.col == col))
    if occupant is not None:
        raise RuleViolation(_("%(where)s is occupied by %(occupant)s", where=where, occupant=occupant))
    try:
        with audit.action(db.session, f"unit.{event_type}", f"{event_type} to {where}"):
            unit.box_id, unit.row, unit.col = box.id, row, col
    except IntegrityError:
        # Someone else's placement committed between our check and our write; the database kept them apart.
        raise RuleViolation(_("%(where)s was just taken by someone else", where=where)) from None
    custody.record(unit, event_type, place_of(unit), actor, confirmation, manual_reason)
    units_placed.send(actor, units=[unit])
    return unit


@guarded("units.store")
def store(unit: Unit, box: StorageLocation, actor, row: int | None = None, col: int | None = None,
          confirmation: str = "scan", manual_reason: str | None = None) -> Unit:
    """Place a unit that is in the lab into a box position (or the next free one in the box's fill order)."""
    if unit.state != "in_storage" or unit.box_id is not None:
        raise RuleViolation(_("unit %(barcode)s is not in hand in the lab (state %(state)s, %(value)s)",
                              barcode=unit.barcode, state=unit.state,
                              value='in a box' if unit.box_id else 'no position'))
    if row is None or col is None:
        row, col = next_free_position(box)
    return _occupy(unit, box, row, col, "stored", actor, confirmation, manual_reason)


@guarded("units.store")
def move(unit: Unit, box: StorageLocation, actor, row: int | None = None, col: int | None = None,
         confirmation: str = "scan", manual_reason: str | None = None) -> Unit:
    """Move a stored unit to another position."""
    if unit.box_id is None:
        raise RuleViolation(_("unit %(barcode)s is not in a box; store it instead", barcode=unit.barcode))
    if row is None or col is None:
        row, col = next_free_position(box)
    with audit.action(db.session, "unit.vacate", "moving to another position"):
        unit.box_id = unit.row = unit.col = None
    return _occupy(unit, box, row, col, "moved", actor, confirmation, manual_reason)


def require_in_box(unit: Unit, box: StorageLocation) -> None:
    """Refuse (409) taking a unit out of a box it is not in: the scanned box and the scanned unit disagree."""
    if unit.box_id != box.id:
        where = "in no box" if unit.box_id is None else f"in {db.session.get(StorageLocation, unit.box_id).name}"
        raise RuleViolation(_("unit %(barcode)s is not in the scanned box %(name)s: it is %(where)s",
                              barcode=unit.barcode, name=box.name, where=where))


@guarded("units.store")
def retrieve(unit: Unit, actor, confirmation: str = "scan", manual_reason: str | None = None) -> Unit:
    """Take a unit out of its position into the hands of the actor."""
    if unit.box_id is None:
        raise RuleViolation(_("unit %(barcode)s is not in a box", barcode=unit.barcode))
    with audit.action(db.session, "unit.retrieved", "retrieved from storage"):
        unit.box_id = unit.row = unit.col = None
    custody.record(unit, "retrieved", Person(actor.id), actor, confirmation, manual_reason)
    return unit
