"""Lists of storage: one level of the tree at a time (with each location's number of children and, for a box, its
occupied positions), and units filtered; the same queries for the API and the pages."""

from sqlalchemy import func, inspect, select

from app.core.pagination import DEEP_OFFSET, paginate
from app.extensions import db

from . import tallies
from .locations import get_location
from .models import StorageLocation, Unit


class Node:
    """A location as one level of the tree shows it: its columns, how many children, how many units (boxes)."""

    def __init__(self, location: StorageLocation, children: int, occupied: int | None):
        # the columns copied, not looked up through __getattr__ (a tank's level dumps 101 racks × 13 of them)
        self.__dict__.update((key, getattr(location, key)) for key in _COLUMNS)
        self.location, self.children, self.occupied = location, children, occupied

    def __getattr__(self, name):
        return getattr(self.location, name)


_COLUMNS = tuple(inspect(StorageLocation).columns.keys())


def _counts(column, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all())


def level(parent_id: int | None, query: dict) -> dict:
    """A page of the locations directly under parent_id (None: the sites), in three queries whatever their number."""
    statement = select(StorageLocation).order_by(StorageLocation.id)
    if parent_id is None:
        statement = statement.where(StorageLocation.parent_id.is_(None))
    else:
        statement = statement.where(StorageLocation.parent_id == get_location(parent_id).id)
    page = paginate(statement, query)
    ids = [location.id for location in page["items"]]
    children = _counts(StorageLocation.parent_id, ids)
    box_ids = [location.id for location in page["items"] if location.kind == "box"]
    occupied = _counts(Unit.box_id, box_ids)
    page["items"] = [Node(location, children.get(location.id, 0),
                          occupied.get(location.id, 0) if location.kind == "box" else None)
                     for location in page["items"]]
    return page


def path_to(location: StorageLocation) -> list[StorageLocation]:
    """The location's ancestors from the site down, then the location itself (one query per level of depth)."""
    path = [location]
    while path[0].parent_id is not None:
        path.insert(0, db.session.get(StorageLocation, path[0].parent_id))
    return path


def units_page(query: dict, lot_id: int | None = None) -> dict:
    """A page of units in lot order, narrowed by lot, state and box. Units in a box are few and counted; otherwise
    the total, and deep in the list the lot the page starts in, come from the tallies, whatever the bank's size."""
    lot_id, state, box_id = lot_id or query.get("lot_id"), query.get("state"), query.get("box_id")
    statement = select(Unit).order_by(Unit.lot_id, Unit.id)
    for column, value in ((Unit.lot_id, lot_id), (Unit.state, state), (Unit.box_id, box_id)):
        if value is not None:
            statement = statement.where(column == value)
    if box_id is not None:
        return paginate(statement, query)
    page, per_page = query["page"], query["per_page"]
    offset, total = (page - 1) * per_page, tallies.count(lot_id, state)
    items = []
    if offset < total:
        if offset >= DEEP_OFFSET and lot_id is None and (start := tallies.lot_at(offset, state)):
            first_lot, before = start
            statement, offset = statement.where(Unit.lot_id >= first_lot), offset - before
        # rows of columns, not models: a page only shows them, and 200 models cost a third of the request to load
        rows = statement.with_only_columns(*Unit.__table__.columns)
        items = db.session.execute(rows.offset(offset).limit(per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total}
