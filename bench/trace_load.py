"""Bulk loading of a synthetic bank's rows straight into the database, bypassing the app: benchmark set-up only.

One transaction per backend, as bench/storage_load.py does for units: on PostgreSQL the loaded tables' user
triggers are disabled, the rows COPYed, each trigger put back in its former mode (checked) and the sequences moved
past the loaded ids; on SQLite the tables' triggers are dropped, the rows inserted in batches and the triggers
re-created from their own SQL (checked). The unit tallies are recounted from the units. Then ANALYZE. The rows
are neither journaled nor audited: they stand for a bank's past. Foreign keys and unique constraints stay on and
check every row.
"""

import itertools
from collections.abc import Iterator

from sqlalchemy import create_engine, insert

from app.extensions import db
from app.storage import tallies

#: table name -> (columns, rows in that order), in foreign-key order
Rows = dict[str, tuple[tuple[str, ...], Iterator[tuple]]]
SQLITE_BATCH = 20_000
PG_TRIGGER_MODES = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA", "D": "DISABLE"}


def _pg_modes(conn, table: str) -> dict[str, str]:
    return dict(conn.exec_driver_sql(f"SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = '{table}'::regclass "
                                     "AND NOT tgisinternal ORDER BY tgname").all())


def load_postgresql(owner_url: str, tables: Rows) -> None:
    engine = create_engine(owner_url)
    try:
        with engine.begin() as conn:
            modes = {table: _pg_modes(conn, table) for table in tables}
            for table in tables:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for table, (columns, rows) in tables.items():
                quoted = ", ".join(f'"{c}"' for c in columns)
                with conn.connection.driver_connection.cursor() as cursor, \
                        cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in tables:
                for name, mode in modes[table].items():
                    conn.exec_driver_sql(f"ALTER TABLE {table} {PG_TRIGGER_MODES[mode]} TRIGGER {name}")
                if _pg_modes(conn, table) != modes[table]:
                    raise RuntimeError(f"the triggers of {table} did not come back as they were")
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table}))")
            tallies.recount(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


def _sqlite_triggers(conn, tables) -> list[tuple[str, str]]:
    names = ", ".join(f"'{t}'" for t in tables)
    return [tuple(row) for row in conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({names}) ORDER BY name")]


def load_sqlite(engine, tables: Rows) -> None:
    """engine is the app's (BEGIN IMMEDIATE, no implicit commits), so the DDL stays inside the transaction."""
    with engine.begin() as conn:
        triggers = _sqlite_triggers(conn, tables)
        for name, _ in triggers:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        for table, (columns, rows) in tables.items():
            statement = insert(db.metadata.tables[table])
            while batch := list(itertools.islice(rows, SQLITE_BATCH)):
                conn.execute(statement, [dict(zip(columns, row, strict=True)) for row in batch])
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
        if _sqlite_triggers(conn, tables) != triggers:
            raise RuntimeError("the triggers did not come back as they were; the load is rolled back")
        tallies.recount(conn)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
