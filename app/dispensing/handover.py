"""After preparation: the pharmacist's signed dispense to the ward, administration, return and destruction."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput
from app.core.i18n import N_
from app.core.permissions import guarded
from app.core.types import utcnow
from app.custody import operations as custody
from app.custody.places import GONE, InPatient, Person, Ward
from app.extensions import db
from app.signatures.operations import signed_change
from app.storage.models import UNIT_STATES, Unit

from .checks import require_dispensable
from .holds import require_free
from .models import ADMINISTERED, DESTROYED, DISPENSE, DISPENSED, DOSE_STATES, RETURNED, ROUTE, Dose, DoseAllocation
from .ordering import lock_dose


def _syringe(dose: Dose) -> Unit | None:
    return db.session.get(Unit, dose.syringe_unit_id) if dose.syringe_unit_id else None


@guarded("doses.dispense")
def dispense(dose: Dose, signer, password: str, dose_code: str, patient_code: str) -> Dose:
    """Hand the dose to the ward after both scans match and every rule holds; the pharmacist signs."""
    dose = lock_dose(dose.id)
    require_dispensable(dose, dose_code, patient_code)
    now = utcnow()
    signed_change(dose, signer, password, DISPENSE, "dose.dispensed", None,
                  {"state": DISPENSED, "dispensed_by_id": signer.id, "dispensed_at": now}, "dispense_signature_id")
    syringe = _syringe(dose)
    with audit.action(db.session, "unit.dispensed", f"dose {dose.barcode}"):
        UNIT_STATES.move(syringe, DISPENSED)
    custody.record(syringe, "dispensed", Ward(dose.patient_id), signer)
    return dose


@guarded("doses.administer")
def administer(dose: Dose, actor, administered_at: dt.datetime | None = None, route: str = ROUTE) -> Dose:
    """The clinician records the intrathecal injection: when, by whom."""
    dose = lock_dose(dose.id)
    DOSE_STATES.require(dose, ADMINISTERED)
    require_free([_syringe(dose)], dose, N_("administering it"))
    if route != ROUTE:
        raise InvalidInput(_("the protocol's route is %(route)s", route=ROUTE), {"route": [ROUTE]})
    administered_at = validators.past_moment(administered_at, "administered_at") if administered_at else utcnow()
    if administered_at < dose.dispensed_at:
        raise InvalidInput(_("administered_at is before the dispense (%(dispensed_at)s UTC)",
                             dispensed_at=format(dose.dispensed_at, "%Y-%m-%d %H:%M")),
                           {"administered_at": [_("after the dispense")]})
    with audit.action(db.session, "dose.administered", f"administered {route}"):
        dose.state, dose.administered_at, dose.administered_by_id, dose.route = (ADMINISTERED, administered_at,
                                                                                  actor.id, route)
        UNIT_STATES.move(_syringe(dose), ADMINISTERED)
    custody.record(_syringe(dose), "administered", InPatient(dose.patient_id), actor)
    return dose


@guarded("doses.return")
def return_dose(dose: Dose, actor, reason: str) -> Dose:
    """A prepared or dispensed dose comes back to the pharmacy, unused."""
    reason = validators.reason(reason)
    dose = lock_dose(dose.id)
    DOSE_STATES.require(dose, RETURNED)
    with audit.action(db.session, "dose.returned", reason):
        dose.state, dose.end_reason = RETURNED, reason
        UNIT_STATES.move(_syringe(dose), RETURNED)
    custody.record(_syringe(dose), "returned", Person(actor.id), actor, "scan")
    return dose


#: the unit states before a thaw (UNIT_STATES): a vial in one of them can still be given to another dose
FROZEN = ("in_storage", "in_transit", "quarantined")


def _release_frozen_vials(dose: Dose, actor, reason: str, now) -> None:
    """Give back the vials of a dose that were never thawed: their allocations are released, not deleted."""
    held = db.session.scalars(select(DoseAllocation).join(Unit, Unit.id == DoseAllocation.unit_id)
                              .where(DoseAllocation.dose_id == dose.id, DoseAllocation.released_at.is_(None),
                                     Unit.state.in_(FROZEN)).order_by(Unit.id).with_for_update(key_share=True))
    for allocation in held:
        allocation.released_at, allocation.released_by_id, allocation.release_reason = now, actor.id, reason


@guarded("doses.destroy")
def destroy(dose: Dose, actor, reason: str) -> Dose:
    """A dose that will not be given is destroyed (never deleted), with its syringe when it has one; vials reserved
    for it and still frozen go back to stock, thawed ones stay with it (to be destroyed as units)."""
    reason = validators.reason(reason)
    dose = lock_dose(dose.id)
    DOSE_STATES.require(dose, DESTROYED)
    syringe = _syringe(dose)
    with audit.action(db.session, "dose.destroyed", reason):
        dose.state, dose.end_reason = DESTROYED, reason
        if syringe is not None:
            UNIT_STATES.move(syringe, DESTROYED)
    with audit.action(db.session, "dose.vials_released", reason):
        _release_frozen_vials(dose, actor, reason, utcnow())
    if syringe is not None:
        custody.record(syringe, "destroyed", GONE, actor, "manual", reason)
    return dose
