"""State machines: each record type's states and allowed transitions declared once, enforced on every flush.

A model names its machine in ``__state_machine__``. Operations call ``machine.move(record, state)`` (or
``machine.require`` before other work) for a refusal in words; the flush guard checks every new and changed
record against the same table, so a change that skipped the operation's check is refused all the same. The
database holds the list of states as a CHECK constraint (``machine.check()`` in the model's table arguments).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import CheckConstraint, event, inspect
from sqlalchemy.orm import Session

from .errors import RuleViolation
from .terms import term


@dataclass(frozen=True)
class StateMachine:
    """One record type's states (``column``), those a new record starts in, and which state may follow which;
    refusals name the record by its ``named_by`` attribute (a lot by its number, a unit by its barcode)."""

    record: str
    column: str
    transitions: Mapping[str, tuple[str, ...]]
    initial: tuple[str, ...]
    named_by: str = "id"

    def __post_init__(self):
        named = {s for after in self.transitions.values() for s in after} | set(self.initial)
        if unknown := named - set(self.transitions):
            raise ValueError(f"{self.record}: states {sorted(unknown)} have no entry in the transition table")

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    @property
    def final(self) -> tuple[str, ...]:
        return tuple(state for state, after in self.transitions.items() if not after)

    def allows(self, before: str | None, after: str) -> bool:
        """Whether a record may go from ``before`` (None: a new record) to ``after``."""
        if before is None:
            return after in self.initial
        return after in self.transitions.get(before, ())

    def require(self, record, after: str) -> None:
        """Refuse (409) a change the table does not allow, naming the record and its state."""
        before = getattr(record, self.column)
        if not self.allows(before, after):
            raise RuleViolation(self.refusal(record, before, after))

    def move(self, record, after: str) -> None:
        """Change the record's state, if the table allows it."""
        self.require(record, after)
        setattr(record, self.column, after)

    def refusal(self, record, before: str | None, after: str) -> str:
        """The refusal in the reader's words (the record's noun and states through the catalogue)."""
        noun = gettext(self.record)
        if before is None:
            return gettext("a new %(record)s starts %(initial)s, not %(after)s", record=noun,
                           initial=gettext(" or ").join(map(_words, self.initial)), after=_words(after))
        allowed = ", ".join(map(_words, self.transitions.get(before, ()))) or gettext("nothing: it is final")
        return gettext("%(record)s %(name)s is %(before)s: %(after)s may not follow (allowed next: %(allowed)s)",
                       record=noun, name=getattr(record, self.named_by), before=_words(before),
                       after=_words(after), allowed=allowed)

    def check(self) -> CheckConstraint:
        """The database's copy of the list of states (named ``ck_<table>_<column>`` by the naming convention)."""
        listed = ", ".join(f"'{state}'" for state in self.states)
        return CheckConstraint(f"{self.column} IN ({listed})", name=self.column)


def _words(state: str) -> str:
    return term(state).replace("_", " ")


def _check_transitions(session: Session, flush_context, instances) -> None:
    for obj in session.new:
        machine = getattr(type(obj), "__state_machine__", None)
        state = getattr(obj, machine.column) if machine is not None else None
        if state is not None and not machine.allows(None, state):  # None: the column's default applies
            raise RuleViolation(machine.refusal(obj, None, state))
    for obj in session.dirty:
        machine = getattr(type(obj), "__state_machine__", None)
        if machine is None:
            continue
        history = inspect(obj).attrs[machine.column].history
        if not (history.added and history.deleted) or history.added[0] == history.deleted[0]:
            continue
        if not machine.allows(history.deleted[0], history.added[0]):
            raise RuleViolation(machine.refusal(obj, history.deleted[0], history.added[0]))


def install(session_class: type[Session]) -> None:
    """Refuse, for every session of this class, a flush that makes a transition its record's table forbids."""
    if not event.contains(session_class, "before_flush", _check_transitions):
        event.listen(session_class, "before_flush", _check_transitions)
