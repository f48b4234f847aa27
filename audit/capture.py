"""Automatic capture: every flushed change of an audited model becomes a pending audit entry.

Models opt in with ``__audited__ = True`` or opt out with ``__audit_exempt__ = "why"``. Columns
listed in ``__audit_redact__`` are recorded as changed without their values (password hashes).
Pending entries are hashed into the chain just before the transaction commits, in the same
transaction, so a rolled-back change leaves no entry and a failed append rolls the change back.
"""

from contextlib import contextmanager

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper, Session, configure_mappers
from sqlalchemy.orm.base import PASSIVE_NO_INITIALIZE

from . import chain
from .canonical import plain

REDACTED = "<redacted>"
#: tables of the audited models configured so far (filled by the mapper_configured hook that install() sets)
_audited_tables: set[str] = set()


class AuditError(Exception):
    """A change that the audit trail refuses to record."""


class ReasonRequired(AuditError):
    """A change to an existing GMP record was attempted without a reason."""


def is_audited(mapper: Mapper) -> bool:
    return bool(getattr(mapper.class_, "__audited__", False))


def audited_tables() -> frozenset[str]:
    """The tables of every model marked audited: the ones whose journal and delete guards the verifier checks."""
    configure_mappers()
    return frozenset(_audited_tables)


def set_actor(session: Session, actor_id: int | None, username: str, roles: str = "", name: str = "") -> None:
    """Name who is acting in this session; every entry carries it."""
    session.info["audit_actor"] = {"actor_id": actor_id, "actor_username": username, "actor_roles": roles,
                                   "actor_name": name}


def actor(session: Session) -> dict:
    try:
        return session.info["audit_actor"]
    except KeyError:
        raise AuditError("no actor is set for this session; audited changes need one") from None


@contextmanager
def action(session: Session, name: str, reason: str | None = None):
    """Give the changes flushed inside this block a business action name and a reason."""
    stack = session.info.setdefault("audit_action", [])
    stack.append((name, reason))
    try:
        yield
        session.flush()
    finally:
        stack.pop()


def _current_action(session: Session) -> tuple[str | None, str | None]:
    stack = session.info.get("audit_action")
    return stack[-1] if stack else (None, None)


def record(session: Session, action_name: str, entity_type: str | None = None, entity_id=None,
           reason: str | None = None, changes: dict | None = None) -> None:
    """Add an explicit event (a login, a failed signature) to this transaction's entries."""
    _pending(session).append(
        {**actor(session), "action": action_name, "entity_type": entity_type,
         "entity_id": None if entity_id is None else str(entity_id), "operation": "event",
         "reason": reason, "changes": plain(changes or {})}
    )


def _pending(session: Session) -> list:
    return session.info.setdefault("audit_pending", [])


def _row_changes(state, mapper: Mapper, inserting: bool) -> dict:
    redact = getattr(mapper.class_, "__audit_redact__", ())
    changes = {}
    for attr in mapper.column_attrs:
        history = state.get_history(attr.key, PASSIVE_NO_INITIALIZE)  # what state.attrs[key].history asks, without
        # building the object's whole attribute view first (a recall flushes a thousand rows at once)
        if inserting:
            new = history.added[0] if history.added else state.dict.get(attr.key)
            if new is None:
                continue
            old = None
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
        else:
            continue
        column = attr.columns[0].name
        changes[column] = [REDACTED, REDACTED] if column in redact else [plain(old), plain(new)]
    return changes


def _before_flush(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        mapper = inspect(obj).mapper
        if is_audited(mapper):
            raise AuditError(f"{mapper.class_.__name__} records are never deleted; void or supersede them "
                             "with a reason")
    _, reason = _current_action(session)
    if reason and reason.strip():
        return
    for obj in session.dirty:
        mapper = inspect(obj).mapper
        if is_audited(mapper) and session.is_modified(obj, include_collections=False):
            raise ReasonRequired(f"a reason is required to change an existing {mapper.class_.__name__} record")


def _after_flush(session: Session, flush_context) -> None:
    action_name, reason = _current_action(session)
    who = None
    for objects, inserting in ((session.new, True), (session.dirty, False)):
        for obj in objects:
            state = inspect(obj)
            mapper = state.mapper
            if not is_audited(mapper):
                continue
            changes = _row_changes(state, mapper, inserting)
            if not inserting and not changes:
                continue
            who = who or actor(session)
            table = mapper.local_table.name
            operation = "insert" if inserting else "update"
            _pending(session).append(
                {**who, "action": action_name or f"{table}.{operation}", "entity_type": table,
                 "entity_id": str(mapper.primary_key_from_instance(obj)[0]), "operation": operation, "reason": reason,
                 "changes": changes}
            )


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a released SAVEPOINT: its entries wait for the real commit
    session.flush()
    entries = session.info.pop("audit_pending", None)
    if entries:
        chain.append(session.connection(), entries)


def _after_transaction_create(session: Session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault("audit_savepoints", {})[transaction] = len(_pending(session))


def _after_soft_rollback(session: Session, previous) -> None:
    """A rolled-back SAVEPOINT drops only the entries pending since it began; any other rollback drops them all."""
    marks = session.info.get("audit_savepoints", {})
    if previous.nested and previous in marks:
        del _pending(session)[marks.pop(previous):]
    else:
        session.info.pop("audit_pending", None)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("audit_savepoints", None)


def install(session_class: type[Session]) -> None:
    """Capture audited changes for every session of this class."""
    if event.contains(session_class, "before_flush", _before_flush):
        return
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_transaction_create", _after_transaction_create)
    event.listen(session_class, "after_soft_rollback", _after_soft_rollback)
    event.listen(session_class, "after_transaction_end", _after_transaction_end)
    event.listen(Mapper, "mapper_configured", _load_old_values)


def _load_old_values(mapper: Mapper, class_) -> None:
    """Make audited column attributes load their old value before it is replaced; note the model's table."""
    if not is_audited(mapper):
        return
    _audited_tables.add(mapper.local_table.name)
    for attr in mapper.column_attrs:
        event.listen(getattr(class_, attr.key), "set", _noop_set, active_history=True)


def _noop_set(target, value, oldvalue, initiator):
    return value
