"""Login throttle: failed logins counted per account and per client address (Flask-Limiter), 429 with Retry-After.

The counts live in the app's own database (``rate_limit_counters``), so they hold across gunicorn workers and
hosts; ``CELLBANK_RATELIMIT_STORAGE_URI`` may point elsewhere (e.g. ``redis://…``). Only refused attempts count
(``deduct_when``): a person who types the password right is never slowed down.
"""

import math
import time

from flask import current_app, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.core.errors import render_error, wants_json

from .forms import LoginForm

#: prefix that turns a SQLAlchemy URL into a limits storage URI of this module
SCHEME_PREFIX = "cellbank+"

_INCREMENT = text(
    'INSERT INTO rate_limit_counters ("key", hits, expires_at_ms) VALUES (:key, :amount, :expires) '
    'ON CONFLICT ("key") DO UPDATE SET '
    "hits = CASE WHEN rate_limit_counters.expires_at_ms <= :now THEN :amount "
    "ELSE rate_limit_counters.hits + :amount END, "
    "expires_at_ms = CASE WHEN rate_limit_counters.expires_at_ms <= :now THEN :expires "
    "ELSE rate_limit_counters.expires_at_ms END "
    "RETURNING hits")
_GET = text('SELECT hits, expires_at_ms FROM rate_limit_counters WHERE "key" = :key AND expires_at_ms > :now')


def _now_ms() -> int:
    return int(time.time() * 1000)


class DatabaseStorage(Storage):
    """A limits storage (fixed window) in a table of the app's database; each statement commits on its own."""

    STORAGE_SCHEME = [SCHEME_PREFIX + "sqlite", SCHEME_PREFIX + "postgresql", SCHEME_PREFIX + "postgresql+psycopg"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.url = uri.removeprefix(SCHEME_PREFIX)
        self._engine = None

    @property
    def base_exceptions(self):
        from sqlalchemy.exc import SQLAlchemyError

        return SQLAlchemyError

    @property
    def engine(self):
        if self._engine is None:
            # No pool: only login requests come here, and nothing stays open after them.
            args = {"timeout": 10} if self.url.startswith("sqlite") else {}
            self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT", connect_args=args, poolclass=NullPool)
        return self._engine

    def _run(self, statement, **params):
        with self.engine.connect() as conn:
            return conn.execute(statement, params).first()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = _now_ms()
        return self._run(_INCREMENT, key=key, amount=amount, now=now, expires=now + int(expiry * 1000))[0]

    def get(self, key: str) -> int:
        row = self._run(_GET, key=key, now=_now_ms())
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._run(_GET, key=key, now=_now_ms())
        return row[1] / 1000 if row else time.time()

    def check(self) -> bool:
        return self._run(text("SELECT 1"))[0] == 1

    def reset(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(text("UPDATE rate_limit_counters SET hits = 0")).rowcount

    def clear(self, key: str) -> None:
        with self.engine.connect() as conn:
            conn.execute(text('UPDATE rate_limit_counters SET hits = 0 WHERE "key" = :key'), {"key": key})


def _username() -> str:
    data = request.get_json(silent=True) if request.is_json else request.form
    name = data.get("username") if hasattr(data, "get") else None
    return name.strip().lower()[:80] if isinstance(name, str) and name.strip() else ""


def _refused(response) -> bool:
    return response.status_code == 401


def _per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


#: the login endpoints, page and API: they share their counts
LOGIN_ENDPOINTS = ("auth.login", "auth_api.Login")


def init_app(app) -> Limiter:
    """Give the app its own limiter (Flask-Limiter keeps its storage and settings on the instance)."""
    limiter = Limiter(key_func=get_remote_address, strategy="fixed-window", headers_enabled=False)
    limiter.init_app(app)
    app.extensions["login_throttle"] = limiter
    return limiter


def protect_logins(app) -> None:
    """Throttle the failed attempts of the login endpoints (call once their blueprints are registered)."""
    limiter = app.extensions["login_throttle"]
    per_account = limiter.shared_limit(_per_account, scope="login-account", key_func=_username, methods=["POST"],
                                       deduct_when=_refused, error_message="too many failed logins for this account")
    per_address = limiter.shared_limit(_per_address, scope="login-address", methods=["POST"], deduct_when=_refused,
                                       error_message="too many failed logins from this address")
    for endpoint in LOGIN_ENDPOINTS:
        app.view_functions[endpoint] = per_account(per_address(app.view_functions[endpoint]))


def retry_after() -> int:
    """Seconds until the breached limit of this request resets (for the Retry-After header)."""
    current = current_app.extensions["login_throttle"].current_limit
    return max(1, math.ceil(current.reset_at - time.time())) if current is not None else 60


def handle_throttled(error):
    """429 in the one error shape (the login form again, on the page), with the seconds to wait in Retry-After."""
    wait = retry_after()
    message = f"{error.description}: try again in {wait} seconds"
    if wants_json():
        body, status = render_error(429, "Too Many Requests", message)
    else:
        body, status = render_template("auth/login.html", form=LoginForm(), error=message), 429
    return body, status, {"Retry-After": str(wait)}
