"""Plain helpers shared by tests and benchmarks: the test app, its migration, users, and reading the trail.

Fixtures live in the conftest files; what a test or a benchmark imports lives here.
"""

from contextlib import contextmanager

import orjson
from sqlalchemy import event, func, select

import audit
from app import create_app
from app.extensions import db
from config import TestConfig

PASSWORD = "correct horse battery"  # >= 12 characters
BACKENDS = ["sqlite", "postgresql"]


def make_app(database, **overrides):
    """The app on a test database (tests/databases.py), with cheap password hashing."""
    config = TestConfig(database.app_url, database.owner_url, ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=8192,
                        **overrides)
    return create_app(config)


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def create_user(app, username: str, roles=("technician",), password: str = PASSWORD, full_name: str | None = None,
                actor: str = "test-setup") -> int:
    """Create and commit a user through the real operation, in a unit of work of its own; return its id."""
    from app.auth.operations import create_user as create
    from app.core.transaction import unit_of_work

    with app.app_context():
        audit.set_actor(db.session, None, actor)
        with unit_of_work():
            user = create(username, full_name or username.title() + " Tester", password, list(roles))
        return user.id


def api_login(client, username: str, password: str = PASSWORD):
    """Log a test client in through the API; returns the response."""
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def audit_rows(session, **filters) -> list[dict]:
    """Audit entries (payload fields) matching column filters, oldest first."""
    query = select(audit.audit_log.c.payload).order_by(audit.audit_log.c.seq)
    for column, value in filters.items():
        query = query.where(audit.audit_log.c[column] == value)
    return [orjson.loads(bytes(p)) for p in session.execute(query).scalars()]


def count_audit(session) -> int:
    return session.execute(select(func.count()).select_from(audit.audit_log)).scalar_one()


@contextmanager
def statements_run(engine):
    """Collect the SQL statements sent on the engine inside the block (a list, filled as they run)."""
    seen: list[str] = []

    def collect(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", collect)


def selects(statements: list[str]) -> list[str]:
    """The statements that read (SELECT or WITH … SELECT), leaving out savepoints and writes."""
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]

