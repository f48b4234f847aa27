"""A clinician orders a dose; the vials it needs are allocated first-expiry-first-out, each to this dose alone."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import audit
from app.core import validators
from app.core.errors import InvalidInput, NotFound, RuleViolation
from app.core.i18n import N_
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.extensions import db
from app.patients.models import ENROLLED, Patient
from app.patients.operations import lock_patient, new_barcode
from app.storage.models import Unit

from . import schedule, stock
from .holds import require_free
from .models import ALLOCATED, BARCODE_PREFIX, DOSE_STATES, ORDERED, PREPARED, Dose, DoseAllocation


def get_dose(dose_id: int) -> Dose:
    return get_or_404(Dose, dose_id, "dose")


def no_dose(code: str) -> NotFound:
    """The 404 of a scanned code that is no dose's."""
    return NotFound(_("no dose has the code %(code)s", code=repr(code.strip())))


def dose_by_barcode(code: str) -> Dose:
    """The dose whose label was scanned; 404 when none has the code."""
    dose = db.session.scalar(select(Dose).where(Dose.barcode == code.strip()))
    if dose is None:
        raise no_dose(code)
    return dose


def lock_dose(dose_id: int) -> Dose:
    """The dose, its row locked until the commit (PostgreSQL): two people acting on it at once queue up. FOR NO KEY
    UPDATE, not FOR UPDATE: a recall opening meanwhile only key-shares the row (its recall_doses foreign key), so it
    goes on to commit instead of deadlocking with a dispense that waits for the lot the recall holds."""
    dose = db.session.scalar(select(Dose).where(Dose.id == dose_id).with_for_update(key_share=True)
                             .execution_options(populate_existing=True))
    return dose if dose is not None else get_dose(dose_id)


def _require_orderable(patient: Patient, dose_number: int) -> None:
    if patient.status != ENROLLED:
        raise RuleViolation(_("patient %(code)s is %(status)s, not enrolled: no dose can be ordered", code=patient.code,
                              status=patient.status))
    if not 1 <= dose_number <= schedule.DOSES:
        raise InvalidInput(_("dose_number is 1 to %(doses)s", doses=schedule.DOSES),
                           {"dose_number": [_("out of range")]})
    for other in schedule.active_doses(patient):
        if other.dose_number == dose_number and other.state not in (ORDERED, ALLOCATED, PREPARED):
            raise RuleViolation(_("dose %(dose_number)s of patient %(code)s is already %(state)s (dose %(barcode)s)",
                                  dose_number=dose_number, code=patient.code, state=other.state, barcode=other.barcode))
    earlier = {d.dose_number for d in schedule.active_doses(patient)}
    missing = [n for n in range(1, dose_number) if n not in earlier]
    if missing:
        raise RuleViolation(_("dose %(dose_number)s comes after dose %(missing)s, which is not ordered",
                              dose_number=dose_number, missing=missing[0]))


@guarded("doses.order")
def order(patient: Patient, actor, dose_number: int, planned_date: dt.date, prescribed_cells: int,
          override_reason: str | None = None) -> Dose:
    """Order a dose on a planned date inside its window, or outside it with the clinician's reason."""
    patient = lock_patient(patient.id)
    _require_orderable(patient, dose_number)
    validators.bank_date(planned_date, "planned_date")
    if prescribed_cells < 1:
        raise InvalidInput(_("prescribed_cells must be positive"), {"prescribed_cells": [_("must be positive")]})
    override_reason = validators.optional_reason(override_reason, "override_reason")
    slot = schedule.slots(patient)[dose_number - 1]
    if not slot.holds(planned_date) and override_reason is None:
        raise RuleViolation(_("dose %(dose_number)s is due from %(earliest)s to %(latest)s; %(planned_date)s is "
                              "outside that window: a clinician's override with a reason is needed",
                              dose_number=dose_number, earliest=slot.earliest.isoformat(),
                              latest=slot.latest.isoformat(), planned_date=planned_date.isoformat()))
    dose = Dose(patient_id=patient.id, dose_number=dose_number, barcode=new_barcode(BARCODE_PREFIX), state=ORDERED,
                planned_date=planned_date, prescribed_cells=prescribed_cells,
                window_override_reason=None if slot.holds(planned_date) else override_reason, ordered_by_id=actor.id)
    with audit.action(db.session, "dose.ordered", dose.window_override_reason or "ordered"):
        db.session.add(dose)
        db.session.flush()
    return dose


def suggestion(dose: Dose, now: dt.datetime | None = None) -> list[Unit]:
    """Vials of one lot, first expiry first out, holding together at least the prescribed cells."""
    chosen, lot_id, cells = [], None, 0
    for unit, lot in db.session.execute(stock.usable_vials(now or utcnow()).limit(2000)):
        if lot_id is not None and lot.id != lot_id:
            if cells >= dose.prescribed_cells:
                break
            chosen, cells = [], 0
        lot_id = lot.id
        if cells < dose.prescribed_cells:
            chosen.append(unit)
            cells += unit.cells
    return chosen if cells >= dose.prescribed_cells else []


@guarded("doses.allocate")
def allocate(dose: Dose, actor, unit_ids: list[int] | None = None) -> list[DoseAllocation]:
    """Reserve vials for the dose (the suggestion when none are named); a vial is never reserved twice."""
    dose = lock_dose(dose.id)
    DOSE_STATES.require(dose, ALLOCATED)
    now = utcnow()
    if unit_ids:
        units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.id)
                                        .with_for_update(key_share=True)))  # as lock_dose: recall_units key-share
        if len(units) != len(set(unit_ids)):
            raise InvalidInput(_("unit_ids names units that do not exist"), {"unit_ids": [_("unknown unit")]})
        require_free(units, dose, N_("allocating it to a dose"))
        usable = {u.id for u, _ in db.session.execute(stock.usable_vials(now).where(Unit.id.in_(unit_ids)))}
        for unit in units:
            if unit.id not in usable:
                raise RuleViolation(_("vial %(barcode)s cannot be allocated: it must be an unreserved, unflagged "
                                      "cryovial in storage of a released, unexpired lot", barcode=unit.barcode))
        if len({u.lot_id for u in units}) > 1:
            raise RuleViolation(_("a dose is prepared from vials of one lot"))
        if sum(u.cells for u in units) < dose.prescribed_cells:
            raise RuleViolation(_("the vials hold %(sum)s cells, fewer than the %(prescribed_cells)s prescribed",
                                  sum=sum(u.cells for u in units), prescribed_cells=dose.prescribed_cells))
    else:
        units = suggestion(dose, now)
        if not units:
            raise RuleViolation(_("no released, unexpired, unflagged lot has enough unreserved vials for "
                                  "%(prescribed_cells)s cells", prescribed_cells=dose.prescribed_cells))
        require_free(units, dose, N_("allocating it to a dose"))
    allocations = [DoseAllocation(dose_id=dose.id, unit_id=unit.id, allocated_by_id=actor.id) for unit in units]
    try:
        with audit.action(db.session, "dose.allocated", ", ".join(u.barcode for u in units)):
            db.session.add_all(allocations)
            dose.state, dose.lot_id = ALLOCATED, units[0].lot_id
            db.session.flush()
    except IntegrityError:
        raise RuleViolation(_("one of these vials was just reserved for another dose")) from None
    return allocations


def allocated_units(dose: Dose) -> list[Unit]:
    return list(db.session.scalars(select(Unit).join(DoseAllocation, DoseAllocation.unit_id == Unit.id)
                                   .where(DoseAllocation.dose_id == dose.id, DoseAllocation.released_at.is_(None))
                                   .order_by(Unit.id)))
