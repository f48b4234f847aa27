"""Domain errors and the one JSON/HTML shape every error is answered with."""

from http import HTTPStatus

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .field_errors import readable
from .versioning import CHANGED_MEANWHILE

#: PostgreSQL: serialization failure, deadlock, lock not available — another transaction got there first
CONFLICT_SQLSTATES = {"40001", "40P01", "55P03"}


class DomainError(Exception):
    """A refusal with an HTTP status and a message in words."""

    status = 409

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class RuleViolation(DomainError):
    """A rule of the domain forbids this (409)."""

    status = 409


class InvalidInput(DomainError):
    """The input is well-formed but not acceptable (422)."""

    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    """The user lacks the role for this (403)."""

    status = 403


class AuthenticationFailed(DomainError):
    """Wrong, missing or locked credentials (401)."""

    status = 401


class LoginRequired(AuthenticationFailed):
    """Nobody is logged in (401; pages send people to the login page)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("login required"))


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_payload(status: int, name: str, message: str, errors: dict | None = None) -> dict:
    return {"code": status, "status": name, "message": message, "errors": errors or {}}


def render_error(status: int, name: str, message: str, errors: dict | None = None):
    """Answer an error as JSON for the API and as a page for people."""
    if wants_json():
        return error_payload(status, name, message, errors), status
    return render_template("web/error.html", status=status, name=name, message=message), status


def _status_name(status: int) -> str:
    return HTTPStatus(status).phrase


def redisplay(status: int, message: str, errors: dict | None):
    """The refused page form drawn again with its input (app/core/refusals.py), or None."""
    from .refusals import redisplay as draw_again  # imported late: refusals -> transaction -> extensions -> errors

    return draw_again(status, message, errors)


def handle_domain_error(error: DomainError):
    if isinstance(error, LoginRequired) and not wants_json():
        return redirect(url_for("auth.login", next=request.path))
    errors = readable(error.errors)
    page = redisplay(error.status, error.message, errors)
    if page is not None:
        return page
    return render_error(error.status, _status_name(error.status), error.message, errors)


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = readable(data.get("errors") or data.get("messages") or {})
    message = data.get("message") or error.description or error.name
    if error.code == 422 and errors:
        message = _("invalid input: %(errors)s", errors=describe(errors))
    page = redisplay(error.code or 500, message, errors)
    if page is not None:
        return page
    response = render_error(error.code or 500, error.name, message, errors)
    # werkzeug's own headers (Allow on a 405, WWW-Authenticate...) stay on the answer
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return (*response, headers) if headers else response


def describe(errors: dict, prefix: str = "") -> str:
    """Flatten marshmallow/webargs error messages into one readable line."""
    parts = []
    for key, value in errors.items():
        name = f"{prefix}{key}" if key not in ("json", "query", "form") else prefix
        if isinstance(value, dict):
            parts.append(describe(value, f"{name}." if name else ""))
        else:
            value = readable(value)
            text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
            parts.append(f"{name}: {text}" if name else text)
    return "; ".join(parts)


def handle_concurrent_change(error: StaleDataError):
    """Someone else changed the record between our read and our write: 409, and nothing of ours is written."""
    message = _(CHANGED_MEANWHILE)  # translated here, marked for the catalogue where it is defined
    return redisplay(409, message, {}) or render_error(409, _status_name(409), message)


def handle_database_error(error: DBAPIError):
    if getattr(error.orig, "sqlstate", None) in CONFLICT_SQLSTATES:
        return handle_concurrent_change(error)
    raise error


def register_errorhandlers(app) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(StaleDataError, handle_concurrent_change)
    app.register_error_handler(DBAPIError, handle_database_error)
