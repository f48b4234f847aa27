"""The hash chain: how an entry is hashed and how entries are appended, one writer at a time."""

import datetime as dt
import hashlib

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from . import canonical
from .schema import audit_log

DOMAIN_TAG = b"cellbank.audit.v1\x00"
GENESIS_HASH = "0" * 64
#: key of the PostgreSQL advisory lock that serialises appends
ADVISORY_LOCK_KEY = 0x43454C4C  # "CELL"


def entry_hash(prev_hash: str, payload: bytes) -> str:
    """SHA-256 over the domain tag, the previous entry's hash and the payload bytes."""
    return hashlib.sha256(DOMAIN_TAG + prev_hash.encode("ascii") + payload).hexdigest()


# Built once, not per append: constructing the tail SELECT and its cache key on every append cost several
# times more than running it, a visible share of one audited update.
_LOCK = f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"
_TAIL = "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1"
_INSERT = insert(audit_log)


def lock_tail(conn: Connection) -> tuple[int, str]:
    """Take the append lock for this transaction and return (last seq, last hash)."""
    if conn.dialect.name == "postgresql":
        row = _pg_lock_tail(conn.connection.driver_connection)
    else:
        # SQLite: the transaction began with BEGIN IMMEDIATE, so it already holds the write lock.
        row = conn.exec_driver_sql(_TAIL).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def _pg_lock_tail(raw):
    """Lock, then read the tail, in one round trip: two statements in a psycopg pipeline. They stay two
    statements, so under READ COMMITTED the tail is read with a snapshot taken after the lock is granted."""
    with raw.pipeline():
        raw.execute(_LOCK)
        cursor = raw.execute(_TAIL)
    return cursor.fetchone()


def build_rows(entries: list[dict], last_seq: int, last_hash: str, now: dt.datetime) -> list[dict]:
    """Number, time-stamp, serialise and hash entries after the given tail."""
    recorded_at = canonical.utc_iso(now)
    rows = []
    for entry in entries:
        last_seq += 1
        fields = {**entry, "seq": last_seq, "recorded_at": recorded_at}
        payload = canonical.dumps(fields)
        digest = entry_hash(last_hash, payload)
        rows.append(
            {
                "seq": last_seq,
                "recorded_at": recorded_at,
                "actor_id": fields["actor_id"],
                "actor_username": fields["actor_username"],
                "action": fields["action"],
                "entity_type": fields["entity_type"],
                "entity_id": fields["entity_id"],
                "operation": fields["operation"],
                "payload": payload,
                "prev_hash": last_hash,
                "entry_hash": digest,
            }
        )
        last_hash = digest
    return rows


def append(conn: Connection, entries: list[dict]) -> list[dict]:
    """Append entries to the chain inside the caller's transaction; return the stored rows."""
    if not entries:
        return []
    last_seq, last_hash = lock_tail(conn)
    rows = build_rows(entries, last_seq, last_hash, dt.datetime.now(dt.UTC))
    conn.execute(_INSERT, rows)
    return rows
