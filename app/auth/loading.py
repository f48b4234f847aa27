"""Who is making this request: session cookie or personal Bearer token; name them to the audit trail."""

from flask import session
from flask_login import current_user, login_user

from app.core.errors import AuthenticationFailed, LoginRequired
from app.extensions import db, login_manager

from .models import User
from .operations import act_as, user_for_token


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active and not user.locked else None


@login_manager.request_loader
def load_user_from_bearer_token(request) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = user_for_token(header.removeprefix("Bearer ").strip())
    if user is None:
        raise AuthenticationFailed("the Bearer token is unknown, revoked, or its user is deactivated or locked")
    return user


@login_manager.unauthorized_handler
def unauthorized():
    raise LoginRequired()


def name_request_actor() -> None:
    act_as(current_user)


def start_session(user: User) -> None:
    """Open a fresh session cookie for this user; it ends after the idle timeout."""
    session.clear()
    login_user(user)
    session.permanent = True
