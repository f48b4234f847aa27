"""Rules for the storage tree: what may hold what, boxes and their grids, and whole-tank templates."""

import secrets
import string

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.extensions import db

from .models import BlockedPosition, StorageLocation

#: which kinds may hold which
ALLOWED_PARENTS = {"site": (None,), "room": ("site",), "storage_unit": ("room",), "rack": ("storage_unit", "rack"),
                   "box": ("rack", "storage_unit")}
PREFIX = {"site": "ST", "room": "RM", "storage_unit": "SU", "rack": "RK", "box": "BX"}


def get_location(location_id: int) -> StorageLocation:
    return get_or_404(StorageLocation, location_id, "storage location")


def _barcode(kind: str) -> str:
    return f"{PREFIX[kind]}-{''.join(secrets.choice(string.digits + 'BCDFGHJKLMNPQRSTVWXZ') for _ in range(8))}"


def _check_box(data: dict) -> dict:
    rows, columns = data.get("rows"), data.get("columns")
    if not rows or not columns:
        raise InvalidInput(_("a box needs rows and columns"), {"rows": [_("required for a box")]})
    row_labels = data.get("row_labels") or string.ascii_uppercase[:rows]
    column_labels = data.get("column_labels") or ",".join(str(n) for n in range(1, columns + 1))
    if len(row_labels) != rows or len(column_labels.split(",")) != columns:
        raise InvalidInput(_("there must be one label per row and per column"), {"row_labels": [_("count")]})
    return {**data, "row_labels": row_labels, "column_labels": column_labels,
            "fill_order": data.get("fill_order") or "row"}


@guarded("storage.configure")
def create_location(parent: StorageLocation | None, kind: str, name: str, **details) -> StorageLocation:
    """Add a site, room, storage unit, rack or box under its parent."""
    name = validators.text(name, "name", 100)
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise RuleViolation(_("a %(kind)s cannot be placed in a %(value)s", kind=kind,
                              value=parent_kind or 'nothing (top level)'))
    if kind == "storage_unit" and not details.get("unit_type"):
        raise InvalidInput(_("a storage unit needs its type"), {"unit_type": [_("required")]})
    if kind == "box":
        details = _check_box(details)
    location = StorageLocation(parent_id=parent.id if parent else None, kind=kind, name=name.strip(),
                               barcode=_barcode(kind), **details)
    with audit.action(db.session, "storage.location_create"):
        db.session.add(location)
    return location


@guarded("storage.configure")
def create_tank(room: StorageLocation, name: str, racks: int, boxes_per_rack: int, box: dict,
                **unit_details) -> StorageLocation:
    """A whole storage unit with its racks and boxes, in one call."""
    tank = create_location(room, "storage_unit", name, **unit_details)
    for r in range(1, racks + 1):
        rack = create_location(tank, "rack", f"{name} rack {r}")
        for b in range(1, boxes_per_rack + 1):
            create_location(rack, "box", f"{name} R{r} box {b}", **box)
    return tank


@guarded("storage.configure")
def block_position(box: StorageLocation, row: int, col: int, reason: str) -> BlockedPosition:
    reason = validators.reason(reason, max_length=200)
    check_position(box, row, col)
    blocked = BlockedPosition(box_id=box.id, row=row, col=col, reason=reason, active=True)
    with audit.action(db.session, "storage.position_block"):
        db.session.add(blocked)
    return blocked


def require_box(location: StorageLocation) -> StorageLocation:
    """Refuse (409) a location that is not a box where a box is meant."""
    if location.kind != "box":
        raise RuleViolation(_("%(name)s is a %(kind)s, not a box", name=location.name, kind=location.kind))
    return location


def check_position(box: StorageLocation, row: int, col: int) -> None:
    require_box(box)
    if not (1 <= row <= box.rows and 1 <= col <= box.columns):
        raise InvalidInput(_("position (%(row)s, %(col)s) is outside %(name)s (%(rows)s × %(columns)s)", row=row,
                             col=col, name=box.name, rows=box.rows, columns=box.columns),
                           {"position": [_("outside the box")]})


def blocked_positions(box: StorageLocation) -> set[tuple[int, int]]:
    rows = db.session.execute(select(BlockedPosition.row, BlockedPosition.col).where(
        BlockedPosition.box_id == box.id, BlockedPosition.active.is_(True)))
    return {(r, c) for r, c in rows}


def parse_position(box: StorageLocation, label: str) -> tuple[int, int]:
    """'C7' → (3, 7) with the box's own labels."""
    require_box(box)
    label = label.strip().upper()
    columns = [c.upper() for c in box.column_labels.split(",")]
    if len(label) >= 2 and label[0] in box.row_labels.upper() and label[1:] in columns:
        return box.row_labels.upper().index(label[0]) + 1, columns.index(label[1:]) + 1
    raise InvalidInput(_("%(label)s is not a position of %(name)s", label=repr(label), name=box.name),
                       {"position": [_("unknown label")]})
