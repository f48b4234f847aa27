"""The one table of which dose state may follow which, checked before every change."""

from app.core.errors import RuleViolation

from .models import TRANSITIONS, Dose


def require_next(dose: Dose, state: str) -> None:
    """Refuse (409) a change the transition table does not allow, naming the dose's state."""
    if state not in TRANSITIONS[dose.state]:
        raise RuleViolation(f"dose {dose.barcode} is {dose.state}: it cannot be {state} now")
