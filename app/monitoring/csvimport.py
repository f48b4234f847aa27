"""Importing a temperature monitor's CSV export, all or nothing.

Format: comma-separated, UTF-8 (a BOM is ignored), a header line naming at least the columns
``timestamp``, ``sensor`` and ``temperature_c`` (any order, any case; other columns are ignored).
``sensor`` is the storage unit's barcode; ``timestamp`` is ISO-8601, with its UTC offset or else read
as site-local time; ``temperature_c`` uses a decimal point and at most one decimal. Any bad line
refuses the whole file (422 naming every bad line, up to 20); then nothing is recorded. Good files are
applied in time order per storage unit, so excursions open, widen and end as if the readings had been
typed one by one (``series``).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import DomainError, InvalidInput, RuleViolation
from app.core.permissions import guarded
from app.core.timezones import site_time
from app.core.validators import check_characters
from app.extensions import db
from app.storage.models import StorageLocation

from .models import Excursion, TemperatureReading
from .operations import check_reading, flag_span, when
from .series import record_series

COLUMNS = ("timestamp", "sensor", "temperature_c")
MAX_LINES = 10_000  # a month of 5-minute readings of one sensor fits; bench: 5,000 lines ≈ 3 s on PostgreSQL
MAX_ERRORS = 20


@dataclass
class Line:
    number: int
    storage_unit: StorageLocation
    measured_at: dt.datetime
    value_c: Decimal


class _Lines:
    """Parses rows one by one, remembering the storage units seen and what went wrong on which line."""

    def __init__(self):
        self.places: dict[str, StorageLocation | None] = {}
        self.errors: dict[str, list[str]] = {}
        self.seen: dict[tuple[int, dt.datetime], int] = {}

    def place(self, code: str) -> StorageLocation:
        if code not in self.places:
            self.places[code] = db.session.scalar(select(StorageLocation).where(StorageLocation.barcode == code))
        if self.places[code] is None:
            raise InvalidInput(_("no storage unit has the barcode %(code)s", code=repr(code)))
        return self.places[code]

    def parse(self, number: int, row: dict) -> Line:
        raw = {name: (row.get(name) or "").strip() for name in COLUMNS}
        if missing := [name for name in COLUMNS if not raw[name]]:
            raise InvalidInput(_("empty %(missing)s", missing=', '.join(missing)))
        try:
            moment = site_time(dt.datetime.fromisoformat(raw["timestamp"])).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise InvalidInput(_("%(raw)s is not an ISO-8601 time", raw=repr(raw['timestamp']))) from None
        try:
            value = Decimal(raw["temperature_c"])
        except InvalidOperation:
            raise InvalidInput(_("%(raw)s is not a number", raw=repr(raw['temperature_c']))) from None
        storage_unit = self.place(raw["sensor"])
        value = check_reading(storage_unit, moment, value)
        key = (storage_unit.id, moment)
        if key in self.seen:
            raise InvalidInput(_("same sensor and time as line %(seen)s", seen=self.seen[key]))
        self.seen[key] = number
        return Line(number, storage_unit, moment, value)

    def fail(self, number: int, message: str) -> None:
        self.errors[f"line {number}"] = [message]


def _header(reader: csv.DictReader) -> None:
    names = [name.strip().lower() for name in reader.fieldnames or []]
    if missing := [name for name in COLUMNS if name not in names]:
        raise InvalidInput(_("line 1: the header lacks %(missing)s (needs %(columns)s)", missing=', '.join(missing),
                             columns=', '.join(COLUMNS)),
                           {"line 1": [_("header")]})
    reader.fieldnames = names


def _by_storage_unit(lines: list[Line]) -> dict[int, list[Line]]:
    """The lines grouped by storage unit id, each group in file order."""
    groups: dict[int, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.storage_unit.id, []).append(line)
    return groups


def _already_recorded(lines: list[Line], parsed: _Lines) -> None:
    for place_id, group in _by_storage_unit(lines).items():
        times = {line.measured_at for line in group}
        existing = set(db.session.scalars(select(TemperatureReading.measured_at).where(
            TemperatureReading.storage_unit_id == place_id, TemperatureReading.measured_at >= min(times),
            TemperatureReading.measured_at <= max(times))))
        for line in group:
            if line.measured_at in existing:
                parsed.fail(line.number, f"a reading of {line.storage_unit.name} at {when(line.measured_at)} "
                                         "is already recorded")


def parse(text: str) -> list[Line]:
    """Every line of the file, checked; InvalidInput naming the bad lines if any is wrong."""
    check_characters(text, "csv")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    try:
        _header(reader)
        parsed, lines = _Lines(), []
        for row in reader:
            if reader.line_num > MAX_LINES:
                raise InvalidInput(_("line %(line_num)s: a file holds at most %(max_lines)s lines",
                                     line_num=reader.line_num, max_lines=MAX_LINES),
                                   {"csv": [_("too long")]})
            try:
                lines.append(parsed.parse(reader.line_num, row))
            except DomainError as error:
                parsed.fail(reader.line_num, error.message)
    except csv.Error as error:
        raise InvalidInput(_("line %(line_num)s: not readable as CSV (%(error)s)", line_num=reader.line_num,
                             error=error), {"csv": [str(error)]}) from None
    if not lines and not parsed.errors:
        raise InvalidInput(_("the file holds no readings"), {"csv": [_("empty")]})
    _already_recorded(lines, parsed)
    if parsed.errors:
        numbered = sorted(parsed.errors.items(), key=lambda item: int(item[0].split()[1]))[:MAX_ERRORS]
        raise InvalidInput(_("the file was refused, nothing was recorded: %(problems)s",
                             problems="; ".join(f"{where}: {messages[0]}" for where, messages in numbered)),
                           dict(numbered))
    return lines


@guarded("temperature.record")
def import_csv(text: str, actor) -> dict:
    """Record every reading of a monitor export in time order; answers how many and the excursions changed."""
    lines = parse(text)
    changed: dict[int, Excursion] = {}
    for group in _by_storage_unit(lines).values():
        try:
            excursions = record_series(group[0].storage_unit, [(line.measured_at, line.value_c) for line in group],
                                       actor, "csv")
        except RuleViolation as error:
            raise RuleViolation(_("%(message)s; nothing was recorded", message=error.message)) from None
        changed.update((excursion.id, excursion) for excursion in excursions)
    excursions = [changed[key] for key in sorted(changed)]
    for excursion in excursions:  # once the whole file is in: an excursion ended later in the file is not open
        flag_span(excursion)
    return {"recorded": len(lines), "excursions": excursions}
