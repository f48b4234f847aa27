"""Personal API tokens: issued once in plain, stored only as a SHA-256, revoked with a reason."""

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import NotFound, RuleViolation
from app.core.permissions import guarded
from app.core.types import utcnow
from app.core.validators import MAX_ID
from app.extensions import db

from .models import ApiToken, User

TOKEN_PREFIX = "cbt_"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@guarded("account.own")
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the plain token is returned once and stored only hashed."""
    name = validators.text(name, "name", 100)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_token_digest(plain))
    with audit.action(db.session, "token.issue"):
        db.session.add(token)
    return token, plain


@guarded("account.own")
def revoke_token(user: User, token_id: int, reason: str) -> ApiToken:
    reason = validators.reason(reason)
    token = db.session.get(ApiToken, token_id) if 1 <= token_id <= MAX_ID else None
    if token is None or token.user_id != user.id:
        raise NotFound(_("you have no token with id %(token_id)s", token_id=token_id))
    if token.revoked_at is not None:
        raise RuleViolation(_("this token is already revoked"))
    with audit.action(db.session, "token.revoke", reason):
        token.revoked_at = utcnow()
    return token


def user_for_token(plain: str) -> User | None:
    """The active, unlocked user owning this unrevoked token, if any."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(plain)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    return user if user.active and not user.locked else None
