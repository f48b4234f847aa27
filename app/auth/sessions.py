"""Server-side sessions: the signed cookie carries a random token; the session lives, and ends, on the server.

A session ends at logout, when its user's password is changed or reset, when the account is deactivated or
locked, after the idle timeout, and at the absolute lifetime, whatever the cookie says: a cookie copied before
its session ended is refused afterwards. Sessions are bookkeeping, not GMP records: what ends them (a logout, a
password change, a lockout) is audited where it happens.
"""

import datetime as dt
import hashlib
import secrets

from flask import current_app, session
from sqlalchemy import select

from app.core.transaction import on_rollback
from app.core.types import utcnow
from app.extensions import db

from .models import User, UserSession

#: the key of the session token in the signed cookie
COOKIE_KEY = "sid"
#: last_seen_at is written at most this often, not on every request
TOUCH_EVERY = dt.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> UserSession:
    """Open a server session for the user and put its token in the (cleared) cookie."""
    token = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, token_hash=_digest(token))
    db.session.add(record)
    db.session.flush()
    session.clear()
    session[COOKIE_KEY] = token
    session.permanent = True
    return record


def _limits() -> tuple[dt.timedelta, dt.timedelta]:
    config = current_app.config
    return dt.timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]), dt.timedelta(hours=config["SESSION_MAX_HOURS"])


def _expiry_reason(record: UserSession, now: dt.datetime) -> str | None:
    idle, lifetime = _limits()
    if now - record.last_seen_at > idle:
        return "idle timeout"
    if now - record.started_at > lifetime:
        return "absolute session lifetime reached"
    return None


def current(user_id: int) -> UserSession | None:
    """The live server session named by this request's cookie for this user, touched; None if there is none."""
    token = session.get(COOKIE_KEY)
    if not isinstance(token, str):
        return None
    record = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if record is None or record.user_id != user_id or record.ended_at is not None:
        return None
    now = utcnow()
    if reason := _expiry_reason(record, now):
        _keep(_end_by_id, record.id, reason, now)
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        _keep(_touch_by_id, record.id, now)
    return record


def _keep(change, *args) -> None:
    """Make a bookkeeping change now, and again after a rollback if this request is refused."""
    change(*args)
    on_rollback(lambda: change(*args))


def _touch_by_id(session_id: int, now: dt.datetime) -> None:
    db.session.get(UserSession, session_id).last_seen_at = now


def _end_by_id(session_id: int, reason: str, now: dt.datetime) -> None:
    record = db.session.get(UserSession, session_id)
    if record.ended_at is None:
        _end([record], reason, now)


def _end(records: list[UserSession], reason: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    for record in records:
        record.ended_at, record.end_reason = now, reason
    db.session.flush()


def end_current(user: User, reason: str = "logout") -> None:
    """End the session of this request's cookie, and clear the cookie."""
    record = current(user.id)
    if record is not None:
        _end([record], reason)
    session.clear()


def end_all(user: User, reason: str) -> None:
    """End every live session of the user (password changed or reset, deactivation, lockout)."""
    live = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                        UserSession.ended_at.is_(None))).all()
    if live:
        _end(list(live), reason)
