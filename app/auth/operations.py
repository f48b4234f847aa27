"""Rules for accounts: creation, roles, deactivation, unlocking and passwords set by an administrator.

Separation of duties: an administrator changes neither their own roles nor their own account's state, and at
least one active administrator always remains (the active administrators' rows are locked before that is
counted, so two administrators demoting each other at the same moment cannot both succeed).
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.i18n import LOCALES
from app.core.lookup import get_or_404
from app.core.permissions import ADMIN, ROLES, check_actor, guarded
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
        raise InvalidInput(_("the password must have at least %(minimum)s characters", minimum=minimum),
                           {"password": [_("shorter than %(minimum)s characters", minimum=minimum)]})


def _role_string(roles) -> str:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InvalidInput(_("unknown role(s): %(unknown)s; roles are %(roles)s", unknown=', '.join(unknown),
                             roles=', '.join(ROLES)),
                           {"roles": [_("unknown: %(unknown)s", unknown=', '.join(unknown))]})
    if not roles:
        raise InvalidInput(_("a user needs at least one role"), {"roles": [_("empty")]})
    return ",".join(sorted(set(roles)))


@guarded("users.manage")
def create_user(username: str, full_name: str, password: str, roles, must_change_password: bool = False) -> User:
    """Create an account; usernames are unique forever. An administrator's choice of password is temporary."""
    username = username.strip().lower()
    full_name = validators.text(full_name, "full_name", 200)
    check_password_rules(password)
    role_string = _role_string(roles)
    if find_user(username) is not None:
        raise RuleViolation(_("the username %(username)s is already taken (usernames are never reused)",
                              username=repr(username)))
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
        raise RuleViolation(_("%(username)s is no longer an active administrator", username=actor.username))
    if not admin_ids - {user.id}:
        raise RuleViolation(_("%(username)s is the last active administrator: at least one must remain",
                              username=user.username))


@guarded("users.manage")
def set_roles(actor: User, user: User, roles, reason: str) -> User:
    reason = validators.reason(reason)
    _refuse_own_account(actor, user, _("an administrator cannot change their own roles; another administrator must"))
    role_string = _role_string(roles)
    if ADMIN in user.role_set and ADMIN not in role_string.split(","):
        _keep_an_admin(actor, user)
    with audit.action(db.session, "user.roles_change", reason):
        user.roles = role_string
    return user


@guarded("users.manage")
def deactivate(actor: User, user: User, reason: str) -> User:
    reason = validators.reason(reason)
    _refuse_own_account(actor, user, _("an administrator cannot deactivate their own account"))
    if not user.active:
        raise RuleViolation(_("%(username)s is already deactivated", username=user.username))
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
        raise RuleViolation(_("%(username)s is already active", username=user.username))
    with audit.action(db.session, "user.activate", reason):
        user.active = True
    return user


@guarded("users.manage")
def unlock(user: User, reason: str) -> User:
    reason = validators.reason(reason)
    if not user.locked:
        raise RuleViolation(_("%(username)s is not locked", username=user.username))
    with audit.action(db.session, "user.unlock", reason):
        user.locked_at = None
        user.failed_logins = 0
    return user


@guarded("users.manage")
def reset_password(actor: User, user: User, new: str, reason: str) -> User:
    """An administrator sets a new initial password, with a reason; its owner must change it before anything else."""
    _refuse_own_account(actor, user, _("change your own password with your current one, not as an administrator"))
    check_password_rules(new)
    reason = validators.reason(reason)
    with audit.action(db.session, "user.password_reset", reason):
        user.password_hash = hash_password(new)
        user.must_change_password = True
    sessions.end_all(user, "password reset by an administrator")
    return user


def set_locale(actor: User, user: User, locale: str | None) -> User:
    """A user's language for pages and messages (none: the site's): their own choice, or an administrator's."""
    if actor.id != user.id:
        check_actor("users.manage")
    locale = locale or None
    if locale is not None and locale not in LOCALES:
        raise InvalidInput(_("unknown language %(locale)s; the languages are %(locales)s",
                             locale=locale, locales=", ".join(LOCALES)), {"locale": [_("unknown language")]})
    if locale != user.locale:
        with audit.action(db.session, "user.locale_change", "language preference"):
            user.locale = locale
    return user
