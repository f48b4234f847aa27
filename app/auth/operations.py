"""Rules for accounts: creation, login, lockout, roles, deactivation and API tokens."""

import hashlib
import secrets

from flask import current_app
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import AuthenticationFailed, InvalidInput, NotFound, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import ADMIN, ROLES
from app.core.transaction import on_rollback
from app.core.types import utcnow
from app.core.validators import MAX_ID
from app.extensions import db

from .models import ApiToken, User
from .passwords import hash_password, password_matches

TOKEN_PREFIX = "cbt_"


def get_user(user_id: int) -> User:
    return get_or_404(User, user_id, "user")


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def _check_password_rules(password: str) -> None:
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if len(password) < minimum:
        raise InvalidInput(f"the password must have at least {minimum} characters",
                           {"password": [f"shorter than {minimum} characters"]})


def _role_string(roles) -> str:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InvalidInput(f"unknown role(s): {', '.join(unknown)}; roles are {', '.join(ROLES)}",
                           {"roles": [f"unknown: {', '.join(unknown)}"]})
    if not roles:
        raise InvalidInput("a user needs at least one role", {"roles": ["empty"]})
    return ",".join(sorted(set(roles)))


def create_user(username: str, full_name: str, password: str, roles) -> User:
    """Create an account; usernames are unique forever."""
    username = username.strip().lower()
    full_name = validators.text(full_name, "full_name", 200)
    _check_password_rules(password)
    role_string = _role_string(roles)
    if find_user(username) is not None:
        raise RuleViolation(f"the username {username!r} is already taken (usernames are never reused)")
    user = User(username=username, full_name=full_name, roles=role_string,
                password_hash=hash_password(password), active=True, failed_logins=0)
    with audit.action(db.session, "user.create"):
        db.session.add(user)
    return user


def _register_failure(username: str, purpose: str, reason: str) -> None:
    """Count a failed password check after the refused request was rolled back; lock at the limit."""
    user = find_user(username)
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


def _refuse(username: str, purpose: str, reason: str, message: str):
    on_rollback(lambda: _register_failure(username, purpose, reason))
    raise AuthenticationFailed(message)


def check_credentials(username: str, password: str, purpose: str = "login") -> User:
    """Return the user if the password is right and the account usable; else count a failure and refuse."""
    user = find_user(username)
    if user is not None and user.locked:
        _refuse(username, purpose, f"{purpose} on a locked account", "this account is locked after too many failed "
                "attempts; an administrator must unlock it")
    if user is None or not password_matches(user.password_hash, password):
        _refuse(username, purpose, "wrong username or password", f"{purpose} refused: wrong username or password")
    if not user.active:
        _refuse(username, purpose, f"{purpose} on a deactivated account", "this account is deactivated")
    return user


def act_as(user: User | None) -> None:
    """Tell the audit trail who acts in this session from now on."""
    if user is not None and user.is_authenticated:
        audit.set_actor(db.session, user.id, user.username, user.roles, user.full_name)
    else:
        audit.set_actor(db.session, None, "anonymous")


def login(username: str, password: str) -> User:
    """Check credentials and record the login, made by the user who just proved who they are."""
    user = check_credentials(username, password)
    act_as(user)
    with audit.action(db.session, "auth.login", "password verified"):
        user.failed_logins = 0
        user.last_login_at = utcnow()
    return user


def logout(user: User) -> None:
    audit.record(db.session, "auth.logout", "users", user.id)


def verify_signer(user: User, password: str) -> None:
    """Re-check the signer's password at each signing; a wrong one counts toward lockout."""
    check_credentials(user.username, password, purpose="signature")
    if user.failed_logins:
        with audit.action(db.session, "auth.signature_password_ok", "password verified at signing"):
            user.failed_logins = 0


def change_password(user: User, current: str, new: str) -> User:
    """The user changes their own password after proving the current one (a failure counts toward lockout)."""
    check_credentials(user.username, current, purpose="password change")
    _check_password_rules(new)
    if password_matches(user.password_hash, new):
        raise RuleViolation("the new password must differ from the current one")
    with audit.action(db.session, "user.password_change", "changed by its owner"):
        user.password_hash = hash_password(new)
        user.failed_logins = 0
    return user


def reset_password(user: User, new: str, reason: str) -> User:
    """An administrator sets a new initial password (e.g. a forgotten one), with a reason."""
    _check_password_rules(new)
    reason = validators.reason(reason)
    with audit.action(db.session, "user.password_reset", reason):
        user.password_hash = hash_password(new)
    return user


def set_roles(actor: User, user: User, roles, reason: str) -> User:
    reason = validators.reason(reason)
    role_string = _role_string(roles)
    if user.id == actor.id and ADMIN in user.role_set and ADMIN not in role_string.split(","):
        raise RuleViolation("an administrator cannot remove their own admin role")
    with audit.action(db.session, "user.roles_change", reason):
        user.roles = role_string
    return user


def deactivate(actor: User, user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if user.id == actor.id:
        raise RuleViolation("an administrator cannot deactivate their own account")
    if not user.active:
        raise RuleViolation(f"{user.username} is already deactivated")
    with audit.action(db.session, "user.deactivate", reason):
        user.active = False
    return user


def activate(user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if user.active:
        raise RuleViolation(f"{user.username} is already active")
    with audit.action(db.session, "user.activate", reason):
        user.active = True
    return user


def unlock(user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if not user.locked:
        raise RuleViolation(f"{user.username} is not locked")
    with audit.action(db.session, "user.unlock", reason):
        user.locked_at = None
        user.failed_logins = 0
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the plain token is returned once and stored only hashed."""
    name = validators.text(name, "name", 100)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_token_digest(plain))
    with audit.action(db.session, "token.issue"):
        db.session.add(token)
    return token, plain


def revoke_token(user: User, token_id: int, reason: str) -> ApiToken:
    reason = validators.reason(reason)
    token = db.session.get(ApiToken, token_id) if 1 <= token_id <= MAX_ID else None
    if token is None or token.user_id != user.id:
        raise NotFound(f"you have no token with id {token_id}")
    if token.revoked_at is not None:
        raise RuleViolation("this token is already revoked")
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
