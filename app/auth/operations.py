"""Rules for accounts: creation, roles, deactivation, unlocking and passwords set by an administrator.

Separation of duties: an administrator changes neither their own roles nor their own account's state, and at
least one active administrator always remains (the active administrators' rows are locked before that is
counted, so two administrators demoting each other at the same moment cannot both succeed).
"""

from flask import current_app
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import ADMIN, ROLES, guarded
from app.extensions import db

from . import sessions
from .models import User
from .passwords import hash_password


def get_user(user_id: int) -> User:
    return get_or_404(User, user_id, "user")


def find_user(username: str, lock: bool = False) -> User | None:
    """The account of this username; with lock, its row is locked (and re-read) first, so that concurrent
    logins and failures of one account are counted one after the other instead of overwriting each other."""
    query = select(User).where(User.username == username.strip().lower())
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def check_password_rules(password: str) -> None:
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


@guarded("users.manage")
def create_user(username: str, full_name: str, password: str, roles, must_change_password: bool = False) -> User:
    """Create an account; usernames are unique forever. An administrator's choice of password is temporary."""
    username = username.strip().lower()
    full_name = validators.text(full_name, "full_name", 200)
    check_password_rules(password)
    role_string = _role_string(roles)
    if find_user(username) is not None:
        raise RuleViolation(f"the username {username!r} is already taken (usernames are never reused)")
    user = User(username=username, full_name=full_name, roles=role_string,
                password_hash=hash_password(password), active=True, failed_logins=0,
                must_change_password=must_change_password)
    with audit.action(db.session, "user.create"):
        db.session.add(user)
    return user


def _refuse_own_account(actor: User, user: User, refusal: str) -> None:
    if actor.id == user.id:
        raise RuleViolation(refusal)


def _keep_an_admin(actor: User, user: User) -> None:
    """Lock the active administrators, then refuse unless one other than `user` remains and `actor` still is one."""
    admins = db.session.scalars(select(User).where(User.active.is_(True), User.roles.contains(ADMIN))
                                .order_by(User.id).with_for_update().execution_options(populate_existing=True))
    admin_ids = {admin.id for admin in admins if ADMIN in admin.role_set}
    if actor.id not in admin_ids:
        raise RuleViolation(f"{actor.username} is no longer an active administrator")
    if not admin_ids - {user.id}:
        raise RuleViolation(f"{user.username} is the last active administrator: at least one must remain")


@guarded("users.manage")
def set_roles(actor: User, user: User, roles, reason: str) -> User:
    reason = validators.reason(reason)
    _refuse_own_account(actor, user, "an administrator cannot change their own roles; another administrator must")
    role_string = _role_string(roles)
    if ADMIN in user.role_set and ADMIN not in role_string.split(","):
        _keep_an_admin(actor, user)
    with audit.action(db.session, "user.roles_change", reason):
        user.roles = role_string
    return user


@guarded("users.manage")
def deactivate(actor: User, user: User, reason: str) -> User:
    reason = validators.reason(reason)
    _refuse_own_account(actor, user, "an administrator cannot deactivate their own account")
    if not user.active:
        raise RuleViolation(f"{user.username} is already deactivated")
    if ADMIN in user.role_set:
        _keep_an_admin(actor, user)
    with audit.action(db.session, "user.deactivate", reason):
        user.active = False
    sessions.end_all(user, "account deactivated")
    return user


@guarded("users.manage")
def activate(user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if user.active:
        raise RuleViolation(f"{user.username} is already active")
    with audit.action(db.session, "user.activate", reason):
        user.active = True
    return user


@guarded("users.manage")
def unlock(user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if not user.locked:
        raise RuleViolation(f"{user.username} is not locked")
    with audit.action(db.session, "user.unlock", reason):
        user.locked_at = None
        user.failed_logins = 0
    return user


@guarded("users.manage")
def reset_password(actor: User, user: User, new: str, reason: str) -> User:
    """An administrator sets a new initial password, with a reason; its owner must change it before anything else."""
    _refuse_own_account(actor, user, "change your own password with your current one, not as an administrator")
    check_password_rules(new)
    reason = validators.reason(reason)
    with audit.action(db.session, "user.password_reset", reason):
        user.password_hash = hash_password(new)
        user.must_change_password = True
    sessions.end_all(user, "password reset by an administrator")
    return user
