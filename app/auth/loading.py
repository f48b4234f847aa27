"""Who is making this request: a live server session or a personal Bearer token; name them to the audit trail."""

from flask import redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.errors import AuthenticationFailed, Forbidden, LoginRequired, wants_json
from app.extensions import db, login_manager

from . import sessions
from .credentials import MUST_CHANGE, act_as
from .models import User
from .tokens import user_for_token

#: what a user whose password an administrator set may still do: change it, or leave
PASSWORD_CHANGE_ENDPOINTS = {"auth_api.MyPassword", "auth_api.Logout", "auth_api.Me", "auth.own_password",
                             "auth.logout", "web.static"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.locked:
        return None
    return user if sessions.current(user.id) is not None else None


@login_manager.request_loader
def load_user_from_bearer_token(request) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = user_for_token(header.removeprefix("Bearer ").strip())
    if user is None:
        raise AuthenticationFailed(_("the Bearer token is unknown, revoked, or its user is deactivated or locked"))
    return user


@login_manager.unauthorized_handler
def unauthorized():
    raise LoginRequired()


def name_request_actor() -> None:
    act_as(current_user)


def require_password_changed():
    """Until its owner changes a password an administrator set, nothing but that change is allowed."""
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS:
        return None
    if wants_json():
        raise Forbidden(_("%(must_change)s (POST /api/v1/me/password)", must_change=_(MUST_CHANGE)))
    return redirect(url_for("auth.own_password"))


def start_session(user: User) -> None:
    """Open a fresh server session for this user; its cookie ends at logout, idle timeout or lifetime."""
    # the user itself: logged in as the current_user proxy, current_user would name itself and never resolve (a
    # crash as soon as anything, such as choosing the page's language, reads it again in the same request)
    user = getattr(user, "_get_current_object", lambda: user)()
    sessions.start(user)
    login_user(user)
    session.permanent = True
