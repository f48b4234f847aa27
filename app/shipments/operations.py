"""Dispatch in a shipper and receipt by another person who scans every unit; discrepancies block the receipt."""

from flask_babel import gettext as _

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.custody import operations as custody
from app.custody.places import InShipment, Person
from app.extensions import db
from app.storage.handling import check_dispatchable
from app.storage.models import UNIT_STATES

from .models import Shipment, ShipmentItem


def get_shipment(shipment_id: int) -> Shipment:
    return get_or_404(Shipment, shipment_id, "shipment")


@guarded("shipments.dispatch")
def dispatch(units: list, destination: str, shipper: str, actor) -> Shipment:
    """Send units (each in hand, its lot released, unflagged) to a destination; each gets a 'dispatched' event."""
    if not units:
        raise RuleViolation(_("a shipment needs at least one unit"))
    destination = validators.text(destination, "destination", 200, min_length=2)
    shipper = validators.text(shipper, "shipper", 60)
    if len({unit.id for unit in units}) != len(units):
        raise InvalidInput(_("each unit is listed once in a shipment"), {"unit_ids": [_("duplicate")]})
    for unit in units:
        check_dispatchable(unit)
    shipment = Shipment(destination=destination, shipper=shipper, dispatched_by_id=actor.id,
                        items=[ShipmentItem(unit_id=u.id) for u in units])
    with audit.action(db.session, "shipment.dispatch"):
        db.session.add(shipment)
    with audit.action(db.session, "unit.dispatched", f"dispatched to {shipment.destination}"):
        for unit in units:
            UNIT_STATES.move(unit, "in_transit")
    custody.record_each(units, "dispatched", lambda unit: InShipment(shipment.id), actor)
    return shipment


@guarded("shipments.receive")
def receive(shipment: Shipment, scanned_unit_ids: set[int], receiver, resolution: str | None,
            units_by_id: dict) -> Shipment:
    """Close a shipment: every unit scanned by a receiver other than the dispatcher; a missing or unexpected
    unit blocks the receipt until it is resolved with a reason."""
    resolution = validators.optional_reason(resolution, "resolution")
    if shipment.received_at is not None:
        raise RuleViolation(_("shipment %(id)s was already received", id=shipment.id))
    if receiver.id == shipment.dispatched_by_id:
        raise RuleViolation(_("the receipt must be made by someone other than the dispatcher"))
    expected = {item.unit_id for item in shipment.items}
    missing, unexpected = sorted(expected - scanned_unit_ids), sorted(scanned_unit_ids - expected)
    problems = [f"missing: {units_by_id[i].barcode}" for i in missing]
    problems += [f"unexpected: {units_by_id[i].barcode}" for i in unexpected]
    if problems and resolution is None:
        raise RuleViolation(_("receipt blocked until resolved with a reason: %(problems)s",
                              problems="; ".join(problems)),
                            {"missing": missing, "unexpected": unexpected})
    with audit.action(db.session, "shipment.receive", resolution or "every unit scanned"):
        shipment.received_by_id, shipment.received_at = receiver.id, utcnow()
        shipment.discrepancy = "; ".join(problems) + f" — resolved: {resolution}" if problems else None
        for item in shipment.items:
            item.received = item.unit_id not in missing
    arrived = [units_by_id[i] for i in sorted(expected - set(missing))]
    with audit.action(db.session, "unit.received", f"received from shipment {shipment.id}"):
        for unit in arrived:
            UNIT_STATES.move(unit, "in_storage")
        for i in missing:
            UNIT_STATES.move(units_by_id[i], "quarantined")
    custody.record_each(arrived, "received", lambda unit: Person(receiver.id), receiver)
    return shipment
