"""Holds that packages above dispensing put on vials and doses (a recall), asked through the units_in_use signal."""

from app.core.errors import RuleViolation

from .signals import units_in_use


def hold_refusal(units, dose, doing: str, lock: bool = True) -> str | None:
    """The first reason a package above gives for not using these units or this dose now; None when there is none.
    lock=False for a check that writes nothing (what is then done checks again, locked)."""
    reasons = [reason for _, reason in units_in_use.send(doing, units=list(units), dose=dose, lock=lock) if reason]
    return reasons[0] if reasons else None


def require_free(units, dose, doing: str) -> None:
    if refusal := hold_refusal(units, dose, doing):
        raise RuleViolation(refusal)
