"""Password checks: login, lockout, the password re-entered at each signing, the owner's password change.

A refused login answers the same words, after the same single Argon2 verification, whether the username is
unknown, the password wrong, or the account locked or deactivated: neither the answer nor its time tells which.
"""

from flask import current_app
from flask_babel import gettext as _

import audit
from app.core.errors import AuthenticationFailed, Forbidden, RuleViolation
from app.core.i18n import N_
from app.core.permissions import ANONYMOUS, guarded
from app.core.transaction import on_rollback
from app.core.types import utcnow
from app.extensions import db

from . import sessions
from .models import User
from .operations import check_password_rules, find_user
from .passwords import hash_password, needs_rehash, password_matches

LOGIN_REFUSED = ("login refused: wrong username or password, or the account is locked or deactivated "
                 "(5 failed attempts lock an account until an administrator unlocks it)")
MUST_CHANGE = N_("change the password an administrator set for you before doing anything else")


def _register_failure(username: str, purpose: str, reason: str) -> None:
    """Count a failed password check after the refused request was rolled back; lock at the limit."""
    user = find_user(username, lock=True)
    if user is None:
        audit.record(db.session, f"auth.{purpose}_failed", "users", None, reason, {"username": username})
        return
    if user.locked:
        audit.record(db.session, f"auth.{purpose}_refused_locked", "users", user.id, reason)
        return
    with audit.action(db.session, f"auth.{purpose}_failed", reason):
        user.failed_logins += 1
    if user.failed_logins >= current_app.config["MAX_FAILED_LOGINS"]:
        with audit.action(db.session, "auth.lockout", f"{user.failed_logins} consecutive failed password checks"):
            user.locked_at = utcnow()
        sessions.end_all(user, "account locked")


def _refuse(username: str, purpose: str, reason: str, message: str):
    on_rollback(lambda: _register_failure(username, purpose, reason))
    raise AuthenticationFailed(message)


def check_credentials(username: str, password: str, purpose: str = "login") -> User:
    """Return the user if the password is right and the account usable; else count a failure and refuse."""
    user = find_user(username, lock=True)
    matches = password_matches(user.password_hash if user else None, password)
    message = LOGIN_REFUSED if purpose == "login" else f"{purpose} refused: wrong password"
    if user is not None and user.locked:
        _refuse(username, purpose, f"{purpose} on a locked account", message)
    if user is None or not matches:
        _refuse(username, purpose, "wrong username or password", message)
    if not user.active:
        _refuse(username, purpose, f"{purpose} on a deactivated account", message)
    return user


def act_as(user: User | None) -> None:
    """Tell the audit trail who acts in this session from now on."""
    if user is not None and user.is_authenticated:
        audit.set_actor(db.session, user.id, user.username, user.roles, user.full_name)
    else:
        audit.set_actor(db.session, None, ANONYMOUS)


def login(username: str, password: str) -> User:
    """Check credentials and record the login, made by the user who just proved who they are."""
    user = check_credentials(username, password)
    act_as(user)
    with audit.action(db.session, "auth.login", "password verified"):
        user.failed_logins = 0
        user.last_login_at = utcnow()
        if needs_rehash(user.password_hash):
            # hashed at other Argon2 costs: rehash, so every check costs the same as the stand-in's
            user.password_hash = hash_password(password)
    return user


@guarded("account.own")
def logout(user: User) -> None:
    """End this request's server session (its cookie is refused from now on) and record the logout."""
    audit.record(db.session, "auth.logout", "users", user.id)
    sessions.end_current(user, "logout")


def verify_signer(user: User, password: str) -> None:
    """Re-check the signer's password at each signing; a wrong one counts toward lockout."""
    if user.must_change_password:
        raise Forbidden(_("%(must_change)s: a password an administrator set cannot sign", must_change=_(MUST_CHANGE)))
    check_credentials(user.username, password, purpose="signature")
    if user.failed_logins:
        with audit.action(db.session, "auth.signature_password_ok", "password verified at signing"):
            user.failed_logins = 0


@guarded("account.own")
def change_password(user: User, current: str, new: str) -> User:
    """The owner changes their password after proving the current one; every session of theirs ends."""
    check_credentials(user.username, current, purpose="password change")
    check_password_rules(new)
    if password_matches(user.password_hash, new):
        raise RuleViolation(_("the new password must differ from the current one"))
    with audit.action(db.session, "user.password_change", "changed by its owner"):
        user.password_hash = hash_password(new)
        user.failed_logins = 0
        user.must_change_password = False
    sessions.end_all(user, "password changed")
    return user
