"""The one table of which dose state may follow which, checked before every change."""

from flask_babel import gettext as _

from app.core.errors import RuleViolation

from .models import TRANSITIONS, Dose


def require_next(dose: Dose, state: str) -> None:
    """Refuse (409) a change the transition table does not allow, naming the dose's state."""
    if state not in TRANSITIONS[dose.state]:
        raise RuleViolation(_("dose %(barcode)s is %(state)s: it cannot be %(state2)s now", barcode=dose.barcode,
                              state=dose.state, state2=state))
