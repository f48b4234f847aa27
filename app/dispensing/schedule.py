"""The protocol's schedule: 3 intrathecal doses, the first after enrolment, then every 3 months within a window,
and follow-up visits to month 12."""

import calendar
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.patients.models import Patient

from .models import ACTIVE, ADMINISTERED, Dose

DOSES = 3
FOLLOW_UP_MONTHS = (1, 3, 6, 9, 12)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_days() -> int:
    return current_app.config.get("DOSE_WINDOW_DAYS", 14)


@dataclass(frozen=True)
class Slot:
    """One dose of the schedule: its target date, the window around it, and the dose that fills it (if any)."""

    dose_number: int
    target: dt.date
    earliest: dt.date
    latest: dt.date
    dose: Dose | None

    def holds(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest


def active_doses(patient: Patient) -> list[Dose]:
    return list(db.session.scalars(select(Dose).where(Dose.patient_id == patient.id, Dose.state.in_(ACTIVE))
                                   .order_by(Dose.dose_number, Dose.id)))


def slots(patient: Patient) -> list[Slot]:
    """The three doses: dose 1 at enrolment, each next one 3 months after the previous administration (or target)."""
    if patient.enrolled_on is None:
        return []
    interval, window = current_app.config.get("DOSE_INTERVAL_MONTHS", 3), dt.timedelta(days=window_days())
    doses = {}
    for dose in active_doses(patient):
        current = doses.get(dose.dose_number)
        if current is None or dose.state == ADMINISTERED:
            doses[dose.dose_number] = dose
    found, target = [], patient.enrolled_on
    for number in range(1, DOSES + 1):
        dose = doses.get(number)
        found.append(Slot(number, target, target - window if number > 1 else target, target + window, dose))
        given = dose.administered_at.date() if dose is not None and dose.administered_at else target
        target = add_months(given, interval)
    return found


def follow_up(patient: Patient) -> list[tuple[int, dt.date]]:
    """(month, date) of each follow-up visit to month 12 after enrolment."""
    if patient.enrolled_on is None:
        return []
    return [(month, add_months(patient.enrolled_on, month)) for month in FOLLOW_UP_MONTHS]
