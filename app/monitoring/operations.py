"""Rules for temperature readings, excursions and their flags on stored units.

- A reading belongs to a storage unit that has a range (min and/or max, inclusive); one per unit and instant.
- The first out-of-range reading opens an excursion; further out-of-range readings widen it (extremes; an
  earlier start when recorded late); the first in-range reading after its last out-of-range one ends it.
  A reading recorded late never shortens or splits an excursion already recorded, so no unit loses a flag.
- Every unit that was in a box of the storage unit during the excursion is flagged (``presence``); so is a
  unit placed there while it goes on (``flag_if_in_excursion``, and again when the excursion ends).
- QA closes a flag with a signed assessment once the excursion has ended. An assessed excursion is frozen:
  a reading that would change its span or extremes is refused.
- An open flag forbids dispatch, thaw and dispense (``require_unflagged``; storage asks through its
  ``unit_leaving`` signal, answered in receivers.py).
"""

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.timezones import local
from app.core.types import utcnow
from app.extensions import db
from app.signatures.operations import signed_change, signed_changes
from app.storage.models import StorageLocation, Unit

from .models import Excursion, ExcursionFlag, TemperatureReading, tenths
from .presence import storage_unit_of, units_present


def get_excursion(excursion_id: int) -> Excursion:
    return get_or_404(Excursion, excursion_id, "excursion")


def get_flag(flag_id: int) -> ExcursionFlag:
    return get_or_404(ExcursionFlag, flag_id, "excursion flag")


def when(moment: dt.datetime | None) -> str:
    """A time in words, site-local."""
    return local(moment).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "now"


def in_range(storage_unit: StorageLocation, value: Decimal) -> bool:
    low, high = storage_unit.min_temp_c, storage_unit.max_temp_c
    return (low is None or value >= low) and (high is None or value <= high)


def check_reading(storage_unit: StorageLocation, measured_at: dt.datetime, value_c: Decimal) -> Decimal:
    """Refuse a reading that cannot be recorded (409 wrong place, 422 bad value); answers the value in tenths."""
    if storage_unit.kind != "storage_unit":
        raise RuleViolation(_("%(name)s is a %(kind)s: readings are of storage units", name=storage_unit.name,
                              kind=storage_unit.kind))
    if storage_unit.min_temp_c is None and storage_unit.max_temp_c is None:
        raise RuleViolation(_("storage unit %(name)s has no temperature range: set it before recording",
                              name=storage_unit.name))
    validators.past_moment(measured_at, "measured_at")
    if not value_c.is_finite() or value_c.as_tuple().exponent < -1:
        raise InvalidInput(_("%(value_c)s °C: temperatures are recorded to 0.1 °C", value_c=value_c),
                           {"value_c": [_("one decimal")]})
    if not Decimal("-273.1") <= value_c <= Decimal("999.9"):
        raise InvalidInput(_("%(value_c)s °C is not a possible temperature", value_c=value_c),
                           {"value_c": [_("out of bounds")]})
    return tenths(value_c)


def lock_storage_unit(storage_unit: StorageLocation) -> None:
    """Serialise readings and placements of one storage unit (PostgreSQL row lock; SQLite writes are serial)."""
    db.session.execute(select(StorageLocation.id).where(StorageLocation.id == storage_unit.id).with_for_update())


def _duplicate(storage_unit: StorageLocation, measured_at: dt.datetime) -> bool:
    found = db.session.scalar(select(TemperatureReading.id).where(
        TemperatureReading.storage_unit_id == storage_unit.id, TemperatureReading.measured_at == measured_at))
    return found is not None


def new_reading(storage_unit: StorageLocation, measured_at: dt.datetime, value_c: Decimal, actor,
                source: str) -> TemperatureReading:
    return TemperatureReading(storage_unit_id=storage_unit.id, measured_at=measured_at, value_c=value_c,
                              in_range=in_range(storage_unit, value_c), source=source, recorded_by_id=actor.id)


@guarded("temperature.record")
def record_reading(storage_unit: StorageLocation, measured_at: dt.datetime, value_c: Decimal, actor,
                   source: str = "manual", flag: bool = True) -> tuple[TemperatureReading, Excursion | None]:
    """Record a reading, apply it to the excursions and flag (unless flag=False: then the caller runs flag_span)."""
    value_c = check_reading(storage_unit, measured_at, value_c)
    lock_storage_unit(storage_unit)
    if _duplicate(storage_unit, measured_at):
        raise RuleViolation(_("a reading of %(name)s at %(when)s is already recorded", name=storage_unit.name,
                              when=when(measured_at)))
    reading = new_reading(storage_unit, measured_at, value_c, actor, source)
    try:
        with audit.action(db.session, f"temperature.reading_{source}"):
            db.session.add(reading)
    except IntegrityError:
        raise RuleViolation(_("a reading of %(name)s at %(when)s was just recorded", name=storage_unit.name,
                              when=when(measured_at))) from None
    excursion, span_changed = _apply(storage_unit, reading)
    if flag and span_changed:
        flag_span(excursion)
    return reading, excursion


def _containing(storage_unit: StorageLocation, moment: dt.datetime) -> Excursion | None:
    return db.session.scalar(select(Excursion).where(
        Excursion.storage_unit_id == storage_unit.id, Excursion.started_at <= moment,
        or_(Excursion.ended_at.is_(None), Excursion.ended_at > moment)).order_by(Excursion.started_at.desc()).limit(1))


def _next_reading(reading: TemperatureReading) -> TemperatureReading | None:
    return db.session.scalar(select(TemperatureReading).where(
        TemperatureReading.storage_unit_id == reading.storage_unit_id,
        TemperatureReading.measured_at > reading.measured_at).order_by(TemperatureReading.measured_at).limit(1))


def _apply(storage_unit: StorageLocation, reading: TemperatureReading) -> tuple[Excursion | None, bool]:
    """The excursion the reading changed, if any, and whether its span changed (then flags are due)."""
    moment, value = reading.measured_at, reading.value_c
    excursion = _containing(storage_unit, moment)
    if reading.in_range:
        if excursion is not None and excursion.is_open and _next_reading(reading) is None:
            return end_excursion(storage_unit, excursion, moment), True
        return None, False  # a late in-range reading never shortens or splits an excursion
    if excursion is not None:
        return widen(storage_unit, excursion, value), False
    after = _next_reading(reading)
    if after is not None and not after.in_range:
        following = db.session.scalar(select(Excursion).where(Excursion.storage_unit_id == storage_unit.id,
                                                              Excursion.started_at == after.measured_at))
        if following is not None:
            return widen(storage_unit, following, value, moment), True
    return open_excursion(storage_unit, moment, value, after.measured_at if after is not None else None), True


def open_excursion(storage_unit: StorageLocation, moment: dt.datetime, value: Decimal,
                   ended_at: dt.datetime | None) -> Excursion:
    excursion = Excursion(storage_unit_id=storage_unit.id, started_at=moment, ended_at=ended_at, lowest_c=value,
                          highest_c=value, min_temp_c=storage_unit.min_temp_c, max_temp_c=storage_unit.max_temp_c)
    with audit.action(db.session, "excursion.open", f"{value} °C in {storage_unit.name} at {when(moment)}"):
        db.session.add(excursion)
    return excursion


def widen(storage_unit: StorageLocation, excursion: Excursion, value: Decimal,
          start: dt.datetime | None = None) -> Excursion:
    changes = {}
    if value < excursion.lowest_c:
        changes["lowest_c"] = value
    if value > excursion.highest_c:
        changes["highest_c"] = value
    if start is not None and start < excursion.started_at:
        changes["started_at"] = start
    if not changes:
        return excursion
    assessed = [f for f in excursion.flags if not f.is_open]
    if assessed:
        raise RuleViolation(_("excursion %(id)s of %(name)s was already assessed by QA (flag %(id2)s): a reading of "
                              "%(value)s °C that changes its span or extremes cannot be recorded; open a deviation "
                              "instead", id=excursion.id, name=storage_unit.name, id2=assessed[0].id, value=value))
    with audit.action(db.session, "excursion.widen", f"out-of-range reading of {value} °C"):
        for name, new in changes.items():
            setattr(excursion, name, new)
    return excursion


def end_excursion(storage_unit: StorageLocation, excursion: Excursion, moment: dt.datetime) -> Excursion:
    with audit.action(db.session, "excursion.end", f"back in range at {when(moment)}"):
        excursion.ended_at = moment
    return excursion


def flag_span(excursion: Excursion) -> list[ExcursionFlag]:
    """Flag every unit in the storage unit during the span so far (also catches placements that missed a flag)."""
    storage_unit = db.session.get(StorageLocation, excursion.storage_unit_id)
    return flag_units(excursion, units_present(storage_unit, excursion.started_at, excursion.ended_at))


def flag_units(excursion: Excursion, unit_ids: set[int]) -> list[ExcursionFlag]:
    """Flag the units for the excursion, each once."""
    already = set(db.session.scalars(select(ExcursionFlag.unit_id).where(ExcursionFlag.excursion_id == excursion.id)))
    new = [ExcursionFlag(excursion_id=excursion.id, unit_id=unit_id) for unit_id in sorted(unit_ids - already)]
    if new:
        with audit.action(db.session, "excursion.flag", f"stored in storage unit {excursion.storage_unit_id} "
                          f"during excursion {excursion.id}"):
            excursion.flags.extend(new)
    return new


def flag_if_in_excursion(units: list[Unit]) -> list[ExcursionFlag]:
    """Call after placing or moving units (or their boxes): flag those whose storage unit has an excursion going on."""
    by_storage_unit: dict[int, tuple[StorageLocation, set[int]]] = {}
    for box_id in sorted({unit.box_id for unit in units if unit.box_id is not None}):
        storage_unit = storage_unit_of(box_id)
        if storage_unit is not None:
            by_storage_unit.setdefault(storage_unit.id, (storage_unit, set()))[1].update(
                unit.id for unit in units if unit.box_id == box_id)
    flags = []
    for storage_unit, unit_ids in by_storage_unit.values():
        lock_storage_unit(storage_unit)
        going_on = db.session.scalars(select(Excursion).where(Excursion.storage_unit_id == storage_unit.id,
                                                              Excursion.ended_at.is_(None)))
        flags += [flag for excursion in going_on for flag in flag_units(excursion, unit_ids)]
    return flags


def flagged_unit_ids(unit_ids: list[int]) -> set[int]:
    """Which of these units have a flag QA has not assessed yet."""
    if not unit_ids:
        return set()
    return set(db.session.scalars(select(ExcursionFlag.unit_id).where(ExcursionFlag.unit_id.in_(unit_ids),
                                                                      ExcursionFlag.closed_at.is_(None))))


def has_open_flag(unit_id=Unit.id):
    """Whether the unit of the enclosing query (by its id column) has a flag QA has not assessed yet, as SQL."""
    return exists().where(ExcursionFlag.unit_id == unit_id, ExcursionFlag.closed_at.is_(None))


def open_flags(unit: Unit) -> list[ExcursionFlag]:
    """The unit's flags that QA has not assessed yet, oldest first."""
    return list(db.session.scalars(select(ExcursionFlag).where(ExcursionFlag.unit_id == unit.id,
                                                               ExcursionFlag.closed_at.is_(None))
                                   .order_by(ExcursionFlag.id)))


def describe(excursion: Excursion) -> str:
    place = db.session.get(StorageLocation, excursion.storage_unit_id)
    low, high = (v if v is not None else "…" for v in (excursion.min_temp_c, excursion.max_temp_c))
    return (f"{place.name}, {when(excursion.started_at)} to {when(excursion.ended_at)}, "
            f"{excursion.lowest_c} to {excursion.highest_c} °C, range {low} to {high} °C")


def flag_refusal(unit: Unit, doing: str) -> str | None:
    """Why what is being done to a unit is refused while an excursion flag on it is open; None when none is."""
    flags = open_flags(unit)
    if not flags:
        return None
    excursion = flags[0].excursion
    return _("unit %(barcode)s is flagged by excursion %(excursion)s (%(excursion_text)s): %(doing)s is not allowed "
             "until QA assesses it", barcode=unit.barcode, excursion=excursion.id, excursion_text=describe(excursion),
             doing=_(doing))


def require_unflagged(unit: Unit, doing: str) -> None:
    """Refuse (409) what is being done to a unit while an excursion flag on it is open."""
    refusal = flag_refusal(unit, doing)
    if refusal:
        raise RuleViolation(refusal)


def _require_ended(excursion: Excursion) -> None:
    if excursion.is_open:
        raise RuleViolation(_("excursion %(id)s is still going on: its flags are assessed once it ends",
                              id=excursion.id))


@guarded("excursions.assess")
def close_flag(flag: ExcursionFlag, signer, password: str, assessment: str) -> ExcursionFlag:
    """QA closes a flag with its assessment and an e-signature, once the excursion has ended."""
    assessment = validators.text(assessment, "assessment", 5000, min_length=3, multiline=True)
    if not flag.is_open:
        raise RuleViolation(_("excursion flag %(id)s was already closed at %(when)s", id=flag.id,
                              when=when(flag.closed_at)))
    _require_ended(flag.excursion)
    signed_change(flag, signer, password, "excursion assessed", "excursion_flag.close", assessment,
                  {"assessment": assessment, "closed_at": utcnow()}, "closure_signature_id")
    return flag


@guarded("excursions.assess")
def close_open_flags(excursion: Excursion, signer, password: str, assessment: str) -> list[ExcursionFlag]:
    """QA assesses every open flag of an ended excursion at once: one assessment, one password, a signature each."""
    assessment = validators.text(assessment, "assessment", 5000, min_length=3, multiline=True)
    _require_ended(excursion)
    flags = [flag for flag in excursion.flags if flag.is_open]
    if not flags:
        raise RuleViolation(_("excursion %(id)s has no open flag left to assess", id=excursion.id))
    signed_changes(flags, signer, password, "excursion assessed", "excursion_flag.close", assessment,
                   {"assessment": assessment, "closed_at": utcnow()}, "closure_signature_id")
    return flags
