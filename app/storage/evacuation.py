"""Moving whole boxes and evacuating a storage unit: atomic, and every unit still gets its own custody event."""

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core.errors import RuleViolation
from app.core.permissions import guarded
from app.custody import operations as custody
from app.extensions import db

from .models import StorageLocation, Unit
from .operations import place_of
from .signals import units_placed


def _units_in(box_ids: list[int]) -> list[Unit]:
    if not box_ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.box_id.in_(box_ids)).order_by(Unit.id)))


def _boxes_under(location: StorageLocation) -> list[int]:
    ids, frontier = [], [location.id]
    while frontier:
        children = db.session.execute(select(StorageLocation.id, StorageLocation.kind)
                                      .where(StorageLocation.parent_id.in_(frontier))).all()
        ids += [i for i, kind in children if kind == "box"]
        frontier = [i for i, kind in children if kind != "box"]
    return ids


def _record_moves(units: list[Unit], actor, why: str) -> None:
    """Each unit's own custody event; units arriving in a storage unit during an excursion are flagged."""
    custody.record_each(units, "moved", place_of, actor, "manual", why)
    units_placed.send(actor, units=units)


@guarded("storage.move")
def move_box(box: StorageLocation, rack: StorageLocation, actor) -> StorageLocation:
    """Put a whole box into another rack."""
    if box.kind != "box" or rack.kind not in ("rack", "storage_unit"):
        raise RuleViolation(_("a box moves into a rack or a storage unit"))
    why = f"box {box.name} moved to {rack.name}"
    with audit.action(db.session, "storage.box_move", why):
        box.parent_id = rack.id
    _record_moves(_units_in([box.id]), actor, why)
    return box


@guarded("storage.move")
def evacuate(source: StorageLocation, target: StorageLocation, actor) -> list[Unit]:
    """Move every rack and box of one storage unit into another, all or nothing."""
    if source.kind != "storage_unit" or target.kind != "storage_unit" or source.id == target.id:
        raise RuleViolation(_("evacuation moves the contents of one storage unit into another"))
    why = f"{source.name} evacuated to {target.name}"
    units = _units_in(_boxes_under(source))
    with audit.action(db.session, "storage.evacuate", why):
        for child in db.session.scalars(select(StorageLocation).where(StorageLocation.parent_id == source.id)):
            child.parent_id = target.id
    _record_moves(units, actor, why)
    return units
