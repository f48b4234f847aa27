"""Bulk loading of lots, their stored units and the units' custody events straight into the database, bypassing
the app. The units come in lots of 702, the most one DIN and product code can hold (ISBT 128 divisions A0 … Zz).

Benchmark set-up only, never a GMP path. The whole load is one transaction:
- PostgreSQL, as the database owner: ALTER TABLE … DISABLE TRIGGER USER on lots, units and custody_events (journal,
  audited, no_delete, no_truncate, units' tallies), COPY … FROM STDIN, then each trigger back in its former mode
  (ENABLE ALWAYS), checked against pg_trigger; the sequences are moved past the loaded ids; the unit tallies are
  recounted from the units; then VACUUM ANALYZE (whole database).
- SQLite: the tables' triggers (journal_insert, journal_update, no_delete) are dropped, the rows inserted by
  SQLAlchemy Core executemany, the triggers re-created from their own stored SQL, checked against sqlite_master;
  the unit tallies recounted; then ANALYZE (whole database) and a WAL checkpoint.
The loaded rows are neither journaled nor audited: they stand for a bank's past, not for changes made through
the app. Foreign keys and unique constraints stay on and check every loaded row.
"""

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import create_engine, insert

from app.custody.models import CustodyEvent
from app.custody.places import LAB, BoxPosition
from app.lots.divisions import SEQUENCE
from app.lots.models import Lot
from app.storage import tallies
from app.storage.models import Unit

TABLES = ("lots", "units", "custody_events")
LOT_COLUMNS = ("id", "number", "kind", "din", "product_code", "division", "state", "expires_at", "created_at")
UNIT_COLUMNS = ("id", "barcode", "lot_id", "division", "container_type", "volume_ml", "cells", "state", "box_id",
                "row", "col", "qc_sample", "created_at")
EVENT_COLUMNS = ("id", "unit_id", "sequence", "previous_id", "event_type", "from_place", "to_place", "actor_id",
                 "at", "confirmation")
DIVISIONS = SEQUENCE
UNITS_PER_LOT = len(DIVISIONS)
CREATED_AT = dt.datetime(2026, 4, 20, 8, 0, tzinfo=dt.UTC)
STORED_AT = CREATED_AT + dt.timedelta(minutes=30)
SQLITE_BATCH = 20_000
PG_TRIGGER_MODES = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA", "D": "DISABLE"}


def barcode(number: int) -> str:
    """The barcode of loaded unit number (0-based)."""
    return f"BU{number:09d}"


@dataclass(frozen=True)
class Load:
    """What to load: count units in lots like `lot` (its kind, DIN, product code and state; a number of their
    own), stored by one person, the k-th at places()'s k-th (box, row, col)."""

    count: int
    lot: dict
    actor_id: int
    places: Callable[[], Iterator[tuple[int, int, int]]]
    first: dict[str, int]

    def lot_rows(self) -> Iterator[tuple]:
        """Rows in LOT_COLUMNS order: one lot per UNITS_PER_LOT units."""
        expires_at = dt.datetime.fromisoformat(self.lot["expires_at"]) if self.lot.get("expires_at") else None
        for n in range(math.ceil(self.count / UNITS_PER_LOT)):
            yield (self.first["lots"] + n, f"{self.lot['number']}-{n + 1:05d}", self.lot["kind"], self.lot["din"],
                   self.lot["product_code"], "00", self.lot["state"], expires_at, CREATED_AT)

    def unit_rows(self) -> Iterator[tuple]:
        """Rows in UNIT_COLUMNS order: stored cryovials, each lot's divisions A0 … Zz."""
        volume = Decimal("1.50")
        for k, (box, row, col) in enumerate(itertools.islice(self.places(), self.count)):
            lot, division = divmod(k, UNITS_PER_LOT)
            yield (self.first["units"] + k, barcode(k), self.first["lots"] + lot, DIVISIONS[division], "cryovial",
                   volume, 25_000_000, "in_storage", box, row, col, False, CREATED_AT)

    def event_rows(self) -> Iterator[tuple]:
        """Rows in EVENT_COLUMNS order: each unit's chain, created in the lab, then stored at its position."""
        for k, (box, row, col) in enumerate(itertools.islice(self.places(), self.count)):
            unit, created = self.first["units"] + k, self.first["custody_events"] + 2 * k
            yield created, unit, 1, None, "created", None, str(LAB), self.actor_id, CREATED_AT, "scan"
            yield (created + 1, unit, 2, created, "stored", str(LAB), str(BoxPosition(box, row, col)), self.actor_id,
                   STORED_AT, "scan")


def next_ids(conn) -> dict[str, int]:
    """The first free id of each loaded table."""
    return {t: conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}").scalar() for t in TABLES}


# --- PostgreSQL ------------------------------------------------------------------------------------

def _pg_trigger_modes(conn, table: str) -> dict[str, str]:
    return dict(conn.exec_driver_sql(f"SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = '{table}'::regclass "
                                     "AND NOT tgisinternal ORDER BY tgname").all())


def _pg_copy(conn, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with conn.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _pg_restore_triggers(conn, table: str, modes: dict[str, str]) -> None:
    for name, mode in modes.items():
        conn.exec_driver_sql(f"ALTER TABLE {table} {PG_TRIGGER_MODES[mode]} TRIGGER {name}")
    if _pg_trigger_modes(conn, table) != modes:
        raise RuntimeError(f"the triggers of {table} did not come back as they were; the load is rolled back")


def load_postgresql(owner_url: str, load: Callable[[dict[str, int]], Load]) -> None:
    """COPY the units and events as the owner with the tables' user triggers off, in one transaction."""
    engine = create_engine(owner_url)
    try:
        with engine.begin() as conn:
            spec = load(next_ids(conn))
            modes = {table: _pg_trigger_modes(conn, table) for table in TABLES}
            for table in TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            _pg_copy(conn, "lots", LOT_COLUMNS, spec.lot_rows())
            _pg_copy(conn, "units", UNIT_COLUMNS, spec.unit_rows())
            _pg_copy(conn, "custody_events", EVENT_COLUMNS, spec.event_rows())
            for table in TABLES:
                _pg_restore_triggers(conn, table, modes[table])
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table}))")
            tallies.recount(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


# --- SQLite ----------------------------------------------------------------------------------------

def _sqlite_triggers(conn) -> list[tuple[str, str]]:
    tables = ", ".join(f"'{t}'" for t in TABLES)
    return [tuple(row) for row in conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({tables}) ORDER BY name")]


def _sqlite_insert(conn, table, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
    statement = insert(table)
    while batch := list(itertools.islice(rows, SQLITE_BATCH)):
        conn.execute(statement, [dict(zip(columns, row, strict=True)) for row in batch])


def load_sqlite(engine, load: Callable[[dict[str, int]], Load]) -> None:
    """Insert the units and events with the tables' triggers dropped and re-created, in one transaction.

    engine is the app's engine (BEGIN IMMEDIATE, no implicit commits), so the DDL stays inside the transaction."""
    with engine.begin() as conn:
        spec = load(next_ids(conn))
        triggers = _sqlite_triggers(conn)
        for name, _ in triggers:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        _sqlite_insert(conn, Lot.__table__, LOT_COLUMNS, spec.lot_rows())
        _sqlite_insert(conn, Unit.__table__, UNIT_COLUMNS, spec.unit_rows())
        _sqlite_insert(conn, CustodyEvent.__table__, EVENT_COLUMNS, spec.event_rows())
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
        if _sqlite_triggers(conn) != triggers:
            raise RuntimeError("the triggers did not come back as they were; the load is rolled back")
        tallies.recount(conn)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
