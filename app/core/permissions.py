"""Roles and the decorator that checks them, for the API and the pages alike."""

from functools import wraps

from flask_login import current_user

from .errors import Forbidden, LoginRequired

ADMIN, TECHNICIAN, QA, PHARMACIST, CLINICIAN = "admin", "technician", "qa", "pharmacist", "clinician"
ROLES = (ADMIN, TECHNICIAN, QA, PHARMACIST, CLINICIAN)
#: who may read the audit trail
AUDIT_READERS = (QA, ADMIN)


def require_login() -> None:
    if not current_user.is_authenticated:
        raise LoginRequired()


def check_roles(*roles: str) -> None:
    """Refuse with 401 if nobody is logged in and with 403 unless the user holds one of the roles."""
    require_login()
    if roles and not current_user.has_any_role(roles):
        raise Forbidden(f"this needs the role {' or '.join(roles)}")


def require_roles(*roles: str):
    """Decorator form of check_roles."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            check_roles(*roles)
            return view(*args, **kwargs)

        return wrapper

    return decorator
