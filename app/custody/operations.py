"""Recording custody events and checking every unit's chain."""

from flask_babel import gettext as _
from sqlalchemy import func, select

import audit
from app.core import validators
from app.core.errors import InvalidInput
from app.extensions import db

from .models import CustodyEvent
from .places import Place, parse


def last_event(unit_id: int) -> CustodyEvent | None:
    return db.session.scalar(select(CustodyEvent).where(CustodyEvent.unit_id == unit_id)
                             .order_by(CustodyEvent.sequence.desc()).limit(1))


def last_events(unit_ids) -> dict[int, CustodyEvent]:
    """The last event of each unit's chain, in one query."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    last = (select(CustodyEvent.unit_id, func.max(CustodyEvent.sequence).label("sequence"))
            .where(CustodyEvent.unit_id.in_(unit_ids)).group_by(CustodyEvent.unit_id).subquery())
    events = db.session.scalars(select(CustodyEvent).join(last, (CustodyEvent.unit_id == last.c.unit_id)
                                                          & (CustodyEvent.sequence == last.c.sequence)))
    return {event.unit_id: event for event in events}


_LOOK_UP = object()


def record(unit, event_type: str, to_place: Place, actor, confirmation: str = "scan",
           manual_reason: str | None = None, previous=_LOOK_UP) -> CustodyEvent:
    """Append the next event of the unit's chain; it starts where the previous one ended (looked up unless
    given: None for a unit without events)."""
    if not isinstance(to_place, Place):
        raise TypeError(f"a custody event goes to a place of app.custody.places, not {to_place!r}")
    if confirmation not in ("scan", "manual"):
        raise InvalidInput(_("identity is confirmed by scan or manual entry"), {"confirmation": [_("scan or manual")]})
    manual_reason = validators.optional_reason(manual_reason, "manual_reason", max_length=500)
    if confirmation == "manual" and manual_reason is None:
        raise InvalidInput(_("a manual identity confirmation needs a reason"), {"manual_reason": [_("required")]})
    if previous is _LOOK_UP:
        previous = last_event(unit.id)
    event = CustodyEvent(unit_id=unit.id, sequence=previous.sequence + 1 if previous else 1,
                         previous_id=previous.id if previous else None, event_type=event_type,
                         from_place=previous.to_place if previous else None, to_place=str(to_place), actor_id=actor.id,
                         confirmation=confirmation, manual_reason=manual_reason)
    with audit.action(db.session, f"custody.{event_type}"):
        db.session.add(event)
    return event


def record_each(units: list, event_type: str, place_of, actor, confirmation: str = "scan",
                manual_reason: str | None = None) -> list[CustodyEvent]:
    """One event per unit (to place_of(unit)), their previous events read in one query, not one per unit."""
    previous = last_events(unit.id for unit in units)
    return [record(unit, event_type, place_of(unit), actor, confirmation, manual_reason, previous.get(unit.id))
            for unit in units]


def chain(unit_id: int) -> list[CustodyEvent]:
    return list(db.session.scalars(select(CustodyEvent).where(CustodyEvent.unit_id == unit_id)
                                   .order_by(CustodyEvent.sequence)))


def broken_links(events: list[CustodyEvent], current_place: Place | None) -> list[str]:
    """What is wrong with one unit's chain (empty if it is whole)."""
    problems = []
    if not events or events[0].event_type != "created":
        problems.append("the chain does not start with the unit's creation")
    for number, (before, event) in enumerate(zip([None, *events], events, strict=False), start=1):
        if event.sequence != number:
            problems.append(f"event {event.id}: sequence {event.sequence}, expected {number}")
        if before is not None and (event.previous_id != before.id or event.from_place != before.to_place):
            problems.append(f"event {event.id} does not start where event {before.id} ended")
    for event, after in zip(events, events[1:], strict=False):
        if event.event_type == "dispatched" and after.event_type != "received":
            problems.append(f"dispatch event {event.id} is not closed by a receipt")
    if events and current_place is not None and parse(events[-1].to_place) != current_place:
        problems.append(f"the unit is at {current_place} but its last event left it at {events[-1].to_place}")
    return problems
