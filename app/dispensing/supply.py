"""Supply: the doses every enrolled patient's schedule makes due in the next 90 days, against the usable vials
(released, unexpired, unflagged, unreserved) of each lot; a warning by date for each dose the bank cannot cover."""

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from app.core.types import utcnow
from app.extensions import db
from app.lots.models import Lot
from app.patients.models import ENROLLED, Patient
from app.storage.models import Unit

from . import schedule, stock
from .models import ORDERED

HORIZON_DAYS = 90


@dataclass(frozen=True)
class Due:
    day: dt.date
    patient_code: str
    dose_number: int
    covered_by: str | None  #: the lot whose vial(s) would cover it, or None


def vials_per_dose() -> int:
    """The vials a dose not yet allocated is counted to take (CELLBANK_DOSE_VIALS)."""
    return current_app.config["DOSE_VIALS"]


def due_doses(today: dt.date) -> list[tuple[dt.date, Patient, int]]:
    """(target date, patient, dose number) of each dose due within the horizon that has no vials allocated yet."""
    horizon, due = today + dt.timedelta(days=HORIZON_DAYS), []
    for patient in db.session.scalars(select(Patient).where(Patient.status == ENROLLED).order_by(Patient.code)):
        for slot in schedule.slots(patient):
            needs = slot.dose is None or slot.dose.state == ORDERED
            if needs and slot.target <= horizon:
                due.append((max(slot.target, today), patient, slot.dose_number))
    return sorted(due, key=lambda item: (item[0], item[1].code, item[2]))


def forecast(today: dt.date | None = None) -> list[Due]:
    """Each due dose, in date order, with the lot that covers it first-expiry-first-out (None: not covered)."""
    today = today or utcnow().date()
    counts = db.session.execute(stock.usable_vials(utcnow()).with_only_columns(Lot.id, func.count(Unit.id))
                                .group_by(Lot.id).order_by(None)).all()
    by_id = {lot.id: lot for lot in db.session.scalars(select(Lot).where(Lot.id.in_([i for i, _ in counts])))}
    lots = sorted(([by_id[i], n] for i, n in counts), key=lambda entry: (entry[0].expires_at, entry[0].id))
    found = []
    for day, patient, number in due_doses(today):
        covering = next((entry for entry in lots if entry[1] >= vials_per_dose()
                         and entry[0].expires_at.date() >= day), None)
        if covering is not None:
            covering[1] -= vials_per_dose()
        found.append(Due(day, patient.code, number, covering[0].number if covering else None))
    return found


def warnings(today: dt.date | None = None) -> list[str]:
    """In words, by date: each due dose the bank cannot cover."""
    return [f"{due.day.isoformat()}: dose {due.dose_number} of patient {due.patient_code} cannot be covered: no "
            f"released, unexpired, unflagged, unreserved vials left for it" for due in forecast(today)
            if due.covered_by is None]
