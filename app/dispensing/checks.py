"""The two-scan dispense check: the scanned dose and patient belong together and every rule of handing it over
holds. The first rule broken is named in words (409); the check itself changes nothing."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import RuleViolation
from app.core.i18n import N_
from app.core.types import utcnow
from app.extensions import db
from app.lots.models import Lot
from app.monitoring.operations import flag_refusal
from app.patients.models import ENROLLED, Patient
from app.patients.operations import checklist_of
from app.storage.models import Unit

from .holds import hold_refusal
from .models import ADMINISTERED, DISPENSED, PREPARED, Dose
from .ordering import allocated_units


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


def _patient(patient: Patient) -> str | None:
    if patient.status != ENROLLED:
        return f"patient {patient.code} is {patient.status}, not enrolled: no dose is dispensed"
    checklist = checklist_of(patient)
    if checklist is None or checklist.outcome != "eligible":
        unmet = "; ".join(checklist.unmet_list) if checklist else "no signed eligibility checklist"
        return f"patient {patient.code} is not eligible: {unmet}"
    return None


def _number(dose: Dose) -> str | None:
    given = db.session.scalar(select(Dose).where(Dose.patient_id == dose.patient_id, Dose.id != dose.id,
                                                 Dose.dose_number == dose.dose_number,
                                                 Dose.state.in_((ADMINISTERED, DISPENSED))).limit(1))
    if given is not None:
        return (f"dose number {dose.dose_number} of this patient is already {given.state} (dose {given.barcode}): "
                "it is given once")
    return None


def _lot(dose: Dose, moment: dt.datetime) -> str | None:
    lot = db.session.get(Lot, dose.lot_id)
    if lot.state != "released":
        return f"lot {lot.number} is {lot.state}, not released"
    if lot.expires_at is None or lot.expires_at <= moment:
        return f"lot {lot.number} expired at {_when(lot.expires_at)}" if lot.expires_at else \
            f"lot {lot.number} has no expiry date"
    return None


def _flags(vials: list[Unit]) -> str | None:
    for unit in vials:
        if refusal := flag_refusal(unit, "dispensing"):
            return refusal
    return None


def _holds(dose: Dose, vials: list[Unit]) -> str | None:
    syringe = db.session.get(Unit, dose.syringe_unit_id) if dose.syringe_unit_id else None
    return hold_refusal([*vials, syringe], dose, N_("dispensing"))


def refusal(dose: Dose, dose_code: str, patient_code: str) -> str | None:
    """The first rule that keeps this dose from being handed over for the scanned patient, or None."""
    patient = db.session.get(Patient, dose.patient_id)
    moment, vials = now(), allocated_units(dose)
    for problem in (_identity(dose, patient, dose_code, patient_code), _holds(dose, vials), _dose_state(dose),
                    _patient(patient), _number(dose), _lot(dose, moment)):
        if problem:
            return problem
    if dose.expires_at is not None and dose.expires_at <= moment:
        return f"dose {dose.barcode} expired after thaw at {_when(dose.expires_at)}"
    return _flags(vials)


def require_dispensable(dose: Dose, dose_code: str, patient_code: str) -> None:
    if problem := refusal(dose, dose_code, patient_code):
        raise RuleViolation(_("dispense refused: %(problem)s", problem=problem), {"rule": [problem]})
