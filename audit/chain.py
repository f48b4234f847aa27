"""The hash chain: how an entry is hashed and how entries are appended, one writer at a time."""

import datetime as dt
import hashlib

from sqlalchemy import insert, select
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


def lock_tail(conn: Connection) -> tuple[int, str]:
    """Take the append lock for this transaction and return (last seq, last hash)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)" % ADVISORY_LOCK_KEY)
    # SQLite: the transaction began with BEGIN IMMEDIATE, so it already holds the write lock.
    row = conn.execute(select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    return (row.seq, row.entry_hash) if row else (0, GENESIS_HASH)


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
    conn.execute(insert(audit_log), rows)
    return rows
