"""Which units were in a storage unit during a span of time, from custody events and current positions.

A custody event's ``to_place``, a box position, says where the unit was from the event's ``at``
until its next event. Boxes are attributed to the storage unit they are under today: a whole box moved
between storage units is covered by ``flag_if_in_excursion`` at the time of the move, not by this history.
"""

import datetime as dt
from itertools import groupby

from sqlalchemy import select

from app.custody import places
from app.custody.models import CustodyEvent
from app.extensions import db
from app.storage.models import StorageLocation, Unit

CHUNK = 400


def storage_unit_of(location_id: int | None) -> StorageLocation | None:
    """The storage unit a box (or rack) is in, walking up the tree; None outside any."""
    location = db.session.get(StorageLocation, location_id) if location_id is not None else None
    while location is not None and location.kind != "storage_unit":
        location = db.session.get(StorageLocation, location.parent_id) if location.parent_id else None
    return location


def boxes_under(storage_unit: StorageLocation) -> set[int]:
    """Ids of every box anywhere under the storage unit."""
    boxes, frontier = set(), [storage_unit.id]
    while frontier:
        children = db.session.execute(select(StorageLocation.id, StorageLocation.kind)
                                      .where(StorageLocation.parent_id.in_(frontier))).all()
        boxes |= {i for i, kind in children if kind == "box"}
        frontier = [i for i, kind in children if kind != "box"]
    return boxes


def _box_of(key: str) -> int | None:
    place = places.parse(key)
    return place.box_id if isinstance(place, places.BoxPosition) else None


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _candidates(boxes: set[int], end: dt.datetime | None) -> set[int]:
    """Units that ever went into one of the boxes before the end, or are in one now."""
    found = set()
    for part in _chunks(sorted(boxes)):
        query = select(CustodyEvent.unit_id).where(places.in_boxes(CustodyEvent.to_place, part))
        if end is not None:
            query = query.where(CustodyEvent.at < end)
        found |= set(db.session.scalars(query.distinct()))
        found |= set(db.session.scalars(select(Unit.id).where(Unit.box_id.in_(part))))
    return found


def units_present(storage_unit: StorageLocation, start: dt.datetime, end: dt.datetime | None) -> set[int]:
    """Ids of the units that were in a box of the storage unit at some moment of [start, end) (end None: now)."""
    boxes = boxes_under(storage_unit)
    if not boxes:
        return set()
    present = set()
    candidates = sorted(_candidates(boxes, end))
    if end is None:
        present |= {unit_id for part in _chunks(candidates)
                    for unit_id in db.session.scalars(select(Unit.id).where(Unit.id.in_(part),
                                                                            Unit.box_id.in_(boxes)))}
    for part in _chunks(candidates):
        events = db.session.execute(select(CustodyEvent.unit_id, CustodyEvent.at, CustodyEvent.to_place)
                                    .where(CustodyEvent.unit_id.in_(part))
                                    .order_by(CustodyEvent.unit_id, CustodyEvent.sequence)).all()
        for unit_id, chain in groupby(events, key=lambda e: e.unit_id):
            chain = list(chain)
            for event, after in zip(chain, [*chain[1:], None], strict=True):
                left = after.at if after is not None else None
                if (_box_of(event.to_place) in boxes and (end is None or event.at < end)
                        and (left is None or left > start)):
                    present.add(unit_id)
                    break
    return present
