"""Recall test helpers: open a recall through the API, and what a refusal must leave unchanged."""

from sqlalchemy import func, select

import audit
from app.custody.models import CustodyEvent
from app.recalls.models import Recall, RecallUnit
from app.signatures.models import Signature
from tests.helpers import PASSWORD

REASON = "donor look-back: late HCV NAT positive"


def open_recall(bank, target: str, reason: str = REASON, user: str = "qa1", expect: int = 201) -> dict:
    bank.as_user(user)
    return bank.post("/api/v1/recalls", {"target": target, "reason": reason, "password": PASSWORD}, expect=expect)


def written(session) -> tuple:
    """Counts of what any change writes: signatures, custody events, recalls and their units, and audit entries other
    than the sign-in checks (a wrong password at signing is counted toward lockout, by design)."""
    entries = session.scalar(select(func.count()).select_from(audit.audit_log)
                             .where(audit.audit_log.c.action.not_like("auth.%")))
    return tuple(session.scalar(select(func.count()).select_from(model)) for model in (
        Signature, CustodyEvent, Recall, RecallUnit)) + (entries,)
