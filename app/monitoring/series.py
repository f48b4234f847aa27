"""Recording a time-ordered series of readings of one storage unit at once (a monitor's export).

The rules are those of ``operations.record_reading``. When the whole series comes after the storage unit's
latest reading (the usual import), they are applied in memory with one insert and one audit action for the
readings; otherwise each reading goes through ``record_reading``. Flags are left to the caller (``flag_span``).
"""

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import audit
from app.core.errors import RuleViolation
from app.extensions import db
from app.storage.models import StorageLocation

from .models import Excursion, TemperatureReading
from .operations import (
    check_reading,
    end_excursion,
    lock_storage_unit,
    new_reading,
    open_excursion,
    record_reading,
    widen,
)


def _one_by_one(storage_unit: StorageLocation, items: list[tuple[dt.datetime, Decimal]], actor,
                source: str) -> list[Excursion]:
    changed = [record_reading(storage_unit, moment, value, actor, source, flag=False)[1] for moment, value in items]
    return list({e.id: e for e in changed if e is not None}.values())


def _widen_by(storage_unit: StorageLocation, excursion: Excursion, values: list[Decimal]) -> None:
    if values:
        widen(storage_unit, excursion, min(values))
        widen(storage_unit, excursion, max(values))


def record_series(storage_unit: StorageLocation, items: list[tuple[dt.datetime, Decimal]], actor,
                  source: str = "csv") -> list[Excursion]:
    """Record readings (time, value) of one storage unit; answers the excursions opened, widened or ended."""
    items = sorted((moment, check_reading(storage_unit, moment, value)) for moment, value in items)
    lock_storage_unit(storage_unit)
    latest = db.session.scalar(select(func.max(TemperatureReading.measured_at))
                               .where(TemperatureReading.storage_unit_id == storage_unit.id))
    if not items or (latest is not None and items[0][0] <= latest):
        return _one_by_one(storage_unit, items, actor, source)
    readings = [new_reading(storage_unit, moment, value, actor, source) for moment, value in items]
    try:
        with audit.action(db.session, f"temperature.reading_{source}"):
            db.session.add_all(readings)
    except IntegrityError:
        raise RuleViolation(_("readings of %(name)s were just recorded by someone else",
                              name=storage_unit.name)) from None
    excursion = db.session.scalar(select(Excursion).where(Excursion.storage_unit_id == storage_unit.id,
                                                          Excursion.ended_at.is_(None)))
    changed, run = {}, []
    for reading in readings:
        if not reading.in_range and excursion is None:
            excursion = open_excursion(storage_unit, reading.measured_at, reading.value_c, None)
        elif not reading.in_range:
            run.append(reading.value_c)
        elif excursion is not None:
            _widen_by(storage_unit, excursion, run)
            changed[excursion.id] = end_excursion(storage_unit, excursion, reading.measured_at)
            excursion, run = None, []
        if excursion is not None:
            changed[excursion.id] = excursion
    if excursion is not None:
        _widen_by(storage_unit, excursion, run)
    return list(changed.values())
