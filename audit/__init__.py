"""The append-only, hash-chained audit trail. Features use only what this module exports."""

from .capture import (
    AuditError,
    ReasonRequired,
    action,
    actor,
    audited_tables,
    install,
    is_audited,
    record,
    set_actor,
)
from .query import Filters, entries
from .schema import audit_journal, audit_log, metadata
from .triggers import register_sqlite_functions
from .verify import Checkpoint, Verdict, verify

__all__ = [
    "AuditError", "Checkpoint", "Filters", "ReasonRequired", "Verdict", "action", "actor", "audit_journal",
    "audit_log", "audited_tables", "entries", "install", "is_audited", "metadata", "record",
    "register_sqlite_functions", "set_actor", "verify",
]
