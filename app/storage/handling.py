"""Rules for units leaving storage: dispatch eligibility, thaw with its expiry, destruction."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import RuleViolation
from app.core.i18n import N_
from app.core.permissions import guarded
from app.core.types import utcnow
from app.custody import operations as custody
from app.custody.places import GONE, Person
from app.extensions import db
from app.lots.models import Lot, ProductCode

from .models import UNIT_STATES, Unit
from .signals import unit_leaving


def _require_in_hand(unit: Unit, doing: str) -> None:
    if unit.state != "in_storage" or unit.box_id is not None:
        where = "in a box: retrieve it first" if unit.box_id is not None else f"{unit.state}"
        raise RuleViolation(_("unit %(barcode)s is %(where)s; %(doing)s needs it in hand", barcode=unit.barcode,
                              where=where, doing=_(doing)))


def _require_free_to_leave(unit: Unit, doing: str) -> None:
    """Refuse (409) with the first reason a package above gives for keeping the unit (an open excursion flag)."""
    reasons = [reason for _, reason in unit_leaving.send(unit, doing=doing) if reason]
    if reasons:
        raise RuleViolation(reasons[0])


def check_dispatchable(unit: Unit) -> None:
    """A unit may leave in a shipment when it is in hand and its lot is released (or it is a QC sample)."""
    _require_in_hand(unit, N_("dispatch"))
    _require_free_to_leave(unit, N_("dispatch"))
    lot = db.session.get(Lot, unit.lot_id)
    if lot.state != "released" and not unit.qc_sample:
        raise RuleViolation(_("unit %(barcode)s: lot %(number)s is %(state)s, not released", barcode=unit.barcode,
                              number=lot.number, state=lot.state))


@guarded("units.thaw")
def thaw(unit: Unit, actor, confirmation: str = "scan", manual_reason: str | None = None) -> Unit:
    """Thaw a unit in hand; allowed before release only for QC samples, recorded as such."""
    _require_in_hand(unit, N_("thawing"))
    _require_free_to_leave(unit, N_("thawing"))
    lot = db.session.get(Lot, unit.lot_id)
    if lot.state != "released" and not unit.qc_sample:
        raise RuleViolation(_("unit %(barcode)s: lot %(number)s is %(state)s; only QC samples of an unreleased lot "
                              "may be thawed", barcode=unit.barcode, number=lot.number, state=lot.state))
    hours = _thaw_hours(lot)
    now = utcnow()
    purpose = "thawed as a QC sample of an unreleased lot" if lot.state != "released" else "thawed"
    with audit.action(db.session, "unit.thawed", purpose):
        unit.state, unit.thawed_at, unit.thaw_expires_at = "thawed", now, now + dt.timedelta(hours=hours)
    custody.record(unit, "thawed", Person(actor.id), actor, confirmation, manual_reason)
    return unit


def _thaw_hours(lot: Lot) -> int:
    hours = db.session.scalar(select(ProductCode.thaw_expiry_hours).where(ProductCode.code == lot.product_code))
    if hours is None:
        raise RuleViolation(_("no expiry after thaw is configured for product code %(product_code)s",
                              product_code=lot.product_code))
    return hours


def use_before_if_thawed_now(unit: Unit) -> dt.datetime:
    """When the unit would have to be used by if it were thawed now (shown before the irreversible thaw)."""
    return utcnow() + dt.timedelta(hours=_thaw_hours(db.session.get(Lot, unit.lot_id)))


@guarded("units.destroy")
def destroy(unit: Unit, actor, reason: str) -> Unit:
    """Destroy a unit (never delete it): it leaves every position and its chain ends."""
    reason = validators.reason(reason)
    UNIT_STATES.require(unit, "destroyed")
    with audit.action(db.session, "unit.destroyed", reason):
        unit.state = "destroyed"
        unit.box_id = unit.row = unit.col = None
    custody.record(unit, "destroyed", GONE, actor, "manual", reason)
    return unit
