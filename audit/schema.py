"""Tables of the audit trail: the hash-chained log and the change journal kept by triggers."""

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, MetaData, String, Table

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
})

_big_id = BigInteger().with_variant(Integer, "sqlite")
#: set by PostgreSQL triggers, NULL on SQLite; outside the hashed payload: it only lets the commit check count
#: a row's changes and entries of the committing transaction instead of the row's whole history
TXID = "PostgreSQL top-level transaction id (txid_current()) of the write; not hashed"

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", _big_id, primary_key=True, autoincrement=False, comment="contiguous from 1"),
    Column("recorded_at", String(27), nullable=False, comment="UTC, ISO-8601, e.g. 2026-11-28T04:26:35.000000Z"),
    Column("actor_id", Integer, nullable=True),
    Column("actor_username", String(80), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity_type", String(80), nullable=True),
    Column("entity_id", String(80), nullable=True),
    Column("operation", String(10), nullable=False, comment="insert, update or event"),
    Column("payload", LargeBinary, nullable=False, comment="the exact canonical JSON bytes that were hashed"),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("entry_hash", String(64), nullable=False, unique=True),
    Column("txid", BigInteger, nullable=True, comment=TXID),
    Index("ix_audit_log_entity", "entity_type", "entity_id", "txid"),
    Index("ix_audit_log_actor_id", "actor_id"),
    Index("ix_audit_log_action", "action"),
    Index("ix_audit_log_recorded_at", "recorded_at"),
)

audit_journal = Table(
    "audit_journal",
    metadata,
    Column("id", _big_id, primary_key=True, autoincrement=True),
    Column("table_name", String(80), nullable=False),
    Column("row_id", String(80), nullable=False),
    Column("operation", String(10), nullable=False, comment="insert or update, written by a database trigger"),
    Column("txid", BigInteger, nullable=True, comment=TXID),
    Index("ix_audit_journal_row", "table_name", "row_id", "txid"),
)

#: the columns mirrored from the payload, in the order the verifier reads them
MIRRORED_COLUMNS = (
    "seq", "recorded_at", "actor_id", "actor_username", "action", "entity_type", "entity_id", "operation",
)
