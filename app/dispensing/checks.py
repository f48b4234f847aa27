"""The two-scan dispense check: the scanned dose and patient belong together and every rule of handing it over
holds. The first rule broken is named in words (409); the check itself changes nothing."""

import datetime as dt
from functools import cache
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

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
from .ordering import no_dose


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


class Facts(NamedTuple):
    """What the dispense check reads of a dose: its patient, lot, the patient's latest checklist, the id of another
    dose of the same number already given, and its vials and syringe, each with whether an excursion flag on it is
    open (by id)."""

    dose: Dose
    patient: Patient
    lot: Lot | None
    checklist: EligibilityChecklist | None
    given_id: int | None
    units: list[tuple[Unit, bool]]


@cache
def _facts_query(key: str):
    """The dose by its id or its barcode with all its Facts, in one query (a row per allocated vial). Built once with
    a bound parameter: the check is on the pharmacist's critical path, and building a statement costs more than
    running it."""
    other, vial, syringe = aliased(Dose), aliased(Unit), aliased(Unit)
    given = (select(other.id).where(other.patient_id == Dose.patient_id, other.id != Dose.id,
                                    other.dose_number == Dose.dose_number,
                                    other.state.in_((ADMINISTERED, DISPENSED))).limit(1).scalar_subquery())
    return (select(Dose, Patient, Lot, EligibilityChecklist, given.label("given_id"),
                   vial, has_open_flag(vial.id), syringe, has_open_flag(syringe.id))
            .join(Patient, Patient.id == Dose.patient_id)
            .outerjoin(Lot, Lot.id == Dose.lot_id)
            .outerjoin(EligibilityChecklist, (EligibilityChecklist.patient_id == Dose.patient_id)
                       & (EligibilityChecklist.id == latest_checklist_id(Dose.patient_id)))
            .outerjoin(DoseAllocation, (DoseAllocation.dose_id == Dose.id) & DoseAllocation.released_at.is_(None))
            .outerjoin(vial, vial.id == DoseAllocation.unit_id)
            .outerjoin(syringe, syringe.id == Dose.syringe_unit_id)
            .where(getattr(Dose, key) == bindparam("key")))


def _facts(key: str, value) -> Facts | None:
    rows = db.session.execute(_facts_query(key), {"key": value}).all()
    if not rows:
        return None
    units = {unit.id: (unit, flagged) for row in rows for unit, flagged in (row[5:7], row[7:9]) if unit is not None}
    return Facts(*rows[0][:5], [units[unit_id] for unit_id in sorted(units)])


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


def _refusal(facts: Facts, dose_code: str, patient_code: str, lock: bool) -> str | None:
    dose, units, moment = facts.dose, facts.units, now()
    for problem in (_identity(dose, facts.patient, dose_code, patient_code),
                    hold_refusal([unit for unit, _flagged in units], dose, N_("dispensing"), lock=lock),
                    _dose_state(dose), _patient(facts.patient, facts.checklist), _number(dose, facts.given_id),
                    _lot(facts.lot, moment)):
        if problem:
            return problem
    if dose.expires_at is not None and dose.expires_at <= moment:
        return f"dose {dose.barcode} expired after thaw at {_when(dose.expires_at)}"
    return _flags(units)


def verdict(dose_code: str, patient_code: str) -> tuple[Dose, str | None]:
    """The scanned dose and the first rule that keeps it from being handed over to the scanned patient (None: none
    does); 404 when no dose has the code. Read without locks: the signed dispense checks again, locked."""
    facts = _facts("barcode", dose_code.strip())
    if facts is None:
        raise no_dose(dose_code)
    return facts.dose, _refusal(facts, dose_code, patient_code, lock=False)


def refused(problem: str) -> RuleViolation:
    """The 409 of a dispense the named rule refuses."""
    return RuleViolation(_("dispense refused: %(problem)s", problem=problem), {"rule": [problem]})


def require_dispensable(dose: Dose, dose_code: str, patient_code: str) -> None:
    """Refuse (409) the dispense of a dose the caller has locked unless every rule holds, the units' lots locked for
    share against a recall opening at the same moment."""
    if problem := _refusal(_facts("id", dose.id), dose_code, patient_code, lock=True):
        raise refused(problem)
