"""The audit trail's throughput: append through the real write path, verify, and their baselines."""

import hashlib
from time import perf_counter

from sqlalchemy import insert

import audit
from app.extensions import db
from audit.chain import DOMAIN_TAG
from audit.schema import MIRRORED_COLUMNS

STORED_COLUMNS = (*MIRRORED_COLUMNS, "payload", "prev_hash", "entry_hash")


def append(app, count: int, batch: int) -> float:
    """Record count events through audit.record, committing every batch; return seconds."""
    with app.app_context():
        session = db.session
        audit.set_actor(session, None, "bench")
        start = perf_counter()
        for first in range(0, count, batch):
            for i in range(first, min(first + batch, count)):
                audit.record(session, "bench.event", "bench", i, "reason", {"field": [f"value {i}", f"value {i + 1}"]})
            session.commit()
        elapsed = perf_counter() - start
        db.session.remove()
    return elapsed


def stored_rows(app) -> list[tuple]:
    """Every stored audit entry as a tuple of STORED_COLUMNS, in seq order."""
    with app.app_context(), db.engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(f"SELECT {', '.join(STORED_COLUMNS)} FROM audit_log "
                                                           "ORDER BY seq")]


def plain_insert(app, table, rows: list[tuple], batch: int) -> float:
    """Insert the same rows into a plain table, one transaction per batch; return seconds (inserts only)."""
    elapsed = 0.0
    with app.app_context():
        engine = db.engine
        for first in range(0, len(rows), batch):
            params = [dict(zip(STORED_COLUMNS, row, strict=True)) for row in rows[first:first + batch]]
            start = perf_counter()
            with engine.begin() as conn:
                conn.execute(insert(table), params)
            elapsed += perf_counter() - start
    return elapsed


def verify(app, checkpoint: audit.Checkpoint) -> tuple[float, audit.Verdict]:
    """Run audit.verify over the whole trail (with a checkpoint); return seconds and the verdict."""
    with app.app_context(), db.engine.connect() as conn:
        start = perf_counter()
        verdict = audit.verify(conn, checkpoint)
        return perf_counter() - start, verdict


def raw_read(app) -> float:
    """Read every entry's stored columns through the driver as verify does, checking nothing; return seconds."""
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        postgresql = conn.dialect.name == "postgresql"
        cursor = raw.cursor(name="bench_read", binary=True) if postgresql else raw.cursor()
        start = perf_counter()
        cursor.execute(f"SELECT {', '.join(STORED_COLUMNS)} FROM audit_log ORDER BY seq")
        for rows in iter(lambda: cursor.fetchmany(20_000), []) if postgresql else (cursor,):
            for _row in rows:
                pass
        elapsed = perf_counter() - start
        cursor.close()
        conn.rollback()
    return elapsed


def bare_sha256(rows: list[tuple]) -> float:
    """Hash the stored (prev_hash, payload) bytes, already in memory, as the chain does; return seconds."""
    pairs = [(row[-2].encode("ascii"), bytes(row[-3])) for row in rows]
    sha256, tag = hashlib.sha256, DOMAIN_TAG
    start = perf_counter()
    for prev, payload in pairs:
        sha256(tag + prev + payload).hexdigest()
    return perf_counter() - start

