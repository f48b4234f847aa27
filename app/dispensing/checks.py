"""The two-scan dispense check: the scanned dose and patient belong together and every rule of handing it over
holds. The first rule broken is named in words (409); the check itself changes nothing."""

import datetime as dt
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, select

from app.core.errors import RuleViolation
from app.core.i18n import N_
from app.core.types import utcnow
from app.extensions import db
from app.lots.models import Lot
from app.monitoring.operations import flag_refusal, has_open_flag
from app.patients.models import ENROLLED, EligibilityChecklist, Patient
from app.patients.operations import latest_checklist_id
from app.storage.models import Unit

from .holds import hold_refusal
from .models import ADMINISTERED, DISPENSED, PREPARED, Dose, DoseAllocation


def now() -> dt.datetime:
    """The dispense check's clock (one place, so tests can move it)."""
    return utcnow()


def _when(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _identity(dose: Dose, patient: Patient, dose_code: str, patient_code: str) -> str | None:
    if dose_code.strip() != dose.barcode:
        return f"the scanned dose label {dose_code.strip()!r} is not dose {dose.barcode}"
    if patient_code.strip() != patient.barcode:
        other = db.session.scalar(select(Patient.code).where(Patient.barcode == patient_code.strip()))
        scanned = f"patient {other}" if other else f"{patient_code.strip()!r}, which is no patient"
        return (f"wrong patient: dose {dose.barcode} is for patient {patient.code}, the scanned identifier is "
                f"{scanned}")
    return None


def _dose_state(dose: Dose) -> str | None:
    if dose.state == DISPENSED or dose.dispensed_at is not None:
        return f"dose {dose.barcode} was already dispensed at {_when(dose.dispensed_at)}: it is dispensed once"
    if dose.state != PREPARED:
        return f"dose {dose.barcode} is {dose.state}, not prepared: only a prepared dose is dispensed"
    return None


@cache
def _facts_query():
    """The dose's patient, lot, the patient's latest checklist and the id of another dose of the same number already
    given, in one query. Built once with bound parameters: the check is on the pharmacist's critical path, and
    building a statement costs more than running it."""
    patient_id = bindparam("patient_id", type_=Integer)
    given = (select(Dose.id).where(Dose.patient_id == patient_id, Dose.id != bindparam("dose_id", type_=Integer),
                                   Dose.dose_number == bindparam("dose_number", type_=Integer),
                                   Dose.state.in_((ADMINISTERED, DISPENSED))).limit(1).scalar_subquery())
    return (select(Patient, Lot, EligibilityChecklist, given.label("given_id")).select_from(Patient)
            .where(Patient.id == patient_id)
            .outerjoin(Lot, Lot.id == bindparam("lot_id", type_=Integer))
            .outerjoin(EligibilityChecklist, EligibilityChecklist.id == latest_checklist_id(patient_id)))


def _facts(dose: Dose):
    return db.session.execute(_facts_query(), {"patient_id": dose.patient_id, "dose_id": dose.id,
                                               "dose_number": dose.dose_number, "lot_id": dose.lot_id}).one()


@cache
def _units_query():
    """The vials allocated to a dose and its syringe, each with whether an excursion flag on it is open (built once;
    a union, not an OR: PostgreSQL would scan every unit for the OR)."""
    ids = select(DoseAllocation.unit_id).where(DoseAllocation.dose_id == bindparam("dose_id", type_=Integer),
                                               DoseAllocation.released_at.is_(None))
    ids = ids.union_all(select(bindparam("syringe_id", type_=Integer)))
    return select(Unit, has_open_flag()).where(Unit.id.in_(ids)).order_by(Unit.id)


def _units(dose: Dose) -> list[tuple[Unit, bool]]:
    return list(db.session.execute(_units_query(), {"dose_id": dose.id, "syringe_id": dose.syringe_unit_id}))


def _patient(patient: Patient, checklist: EligibilityChecklist | None) -> str | None:
    if patient.status != ENROLLED:
        return f"patient {patient.code} is {patient.status}, not enrolled: no dose is dispensed"
    if checklist is None or checklist.outcome != "eligible":
        unmet = "; ".join(checklist.unmet_list) if checklist else "no signed eligibility checklist"
        return f"patient {patient.code} is not eligible: {unmet}"
    return None


def _number(dose: Dose, given_id: int | None) -> str | None:
    if given_id is not None:
        given = db.session.get(Dose, given_id)
        return (f"dose number {dose.dose_number} of this patient is already {given.state} (dose {given.barcode}): "
                "it is given once")
    return None


def _lot(lot: Lot, moment: dt.datetime) -> str | None:
    if lot.state != "released":
        return f"lot {lot.number} is {lot.state}, not released"
    if lot.expires_at is None or lot.expires_at <= moment:
        return f"lot {lot.number} expired at {_when(lot.expires_at)}" if lot.expires_at else \
            f"lot {lot.number} has no expiry date"
    return None


def _flags(units: list[tuple[Unit, bool]]) -> str | None:
    for unit, flagged in units:
        if flagged and (refusal := flag_refusal(unit, "dispensing")):
            return refusal
    return None


def refusal(dose: Dose, dose_code: str, patient_code: str) -> str | None:
    """The first rule that keeps this dose from being handed over for the scanned patient, or None."""
    patient, lot, checklist, given_id = _facts(dose)
    moment, units = now(), _units(dose)
    for problem in (_identity(dose, patient, dose_code, patient_code),
                    hold_refusal([unit for unit, _flagged in units], dose, N_("dispensing")), _dose_state(dose),
                    _patient(patient, checklist), _number(dose, given_id), _lot(lot, moment)):
        if problem:
            return problem
    if dose.expires_at is not None and dose.expires_at <= moment:
        return f"dose {dose.barcode} expired after thaw at {_when(dose.expires_at)}"
    return _flags(units)


def require_dispensable(dose: Dose, dose_code: str, patient_code: str) -> None:
    if problem := refusal(dose, dose_code, patient_code):
        raise RuleViolation(_("dispense refused: %(problem)s", problem=problem), {"rule": [problem]})
