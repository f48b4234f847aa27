"""Fixtures: one migrated database per backend and session, each test rolled back; app, client, users.

Every test runs on SQLite and on PostgreSQL. Each test ends by checking the audit trail it left:
the chain verifies and every journaled row change has its audit entry (on PostgreSQL the deferred
"audited" constraint triggers fire too). Tests that tamper on purpose are marked ``tampers``.
"""

import os

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import select

import audit
from app import create_app
from app.extensions import db
from config import TestConfig
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database

PASSWORD = "correct horse battery"  # >= 12 characters
BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config):
    config.addinivalue_line("markers", "tampers: the test breaks the audit trail on purpose")


def pytest_sessionfinish(session, exitstatus):
    """With CI=true a skipped test fails the run: in CI every test must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; in CI every test must run", red=True)
        session.exitstatus = 1


def make_app(database, **overrides):
    config = TestConfig(database.app_url, database.owner_url, ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=8192,
                        **overrides)
    return create_app(config)


def migrate(app) -> None:
    with app.app_context():
        upgrade()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory):
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    created = create_database(request.param, tmp_path_factory.mktemp("db"))
    yield created
    created.drop()


@pytest.fixture(scope="session")
def backend(database) -> str:
    return database.backend


@pytest.fixture(scope="session")
def app(database):
    application = make_app(database)
    migrate(application)
    yield application
    with application.app_context():
        db.engine.dispose()


class _BoundSession(FlaskSession):
    """A Flask-SQLAlchemy session that uses the test's connection instead of the engine."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture
def connection(app, request):
    """The test's connection: one outer transaction, rolled back at the end; requests commit savepoints.

    No app context stays pushed during the test, so each request gets its own context, ``g`` and session.
    """
    with app.app_context():
        conn = db.engine.connect()
    outer = conn.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": conn, "join_transaction_mode": "create_savepoint", "class_": _BoundSession}
    )
    try:
        yield conn
        if request.node.get_closest_marker("tampers") is None:
            _check_trail(conn)
    finally:
        db.session = original
        outer.rollback()
        conn.close()


def _check_trail(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    verdict = audit.verify(conn)
    assert verdict.ok, f"the test left a broken audit trail: {verdict.line()}"


@pytest.fixture
def session(connection):
    """A session of the test's own on the test's connection, acting as "test"; it sees what requests commit."""
    own = _BoundSession(db, bind=connection, join_transaction_mode="create_savepoint")
    audit.set_actor(own, None, "test")
    yield own
    own.close()


@pytest.fixture
def client(app, connection):
    return app.test_client()


@pytest.fixture
def make_user(app, connection):
    """Factory: make_user("qa", roles=["qa"]) creates and commits a user through the real operation."""
    from app.auth.operations import create_user
    from app.core.transaction import unit_of_work

    def factory(username: str, roles=("technician",), password: str = PASSWORD, full_name: str | None = None):
        with app.app_context():
            audit.set_actor(db.session, None, "test-setup")
            with unit_of_work():
                user = create_user(username, full_name or username.title() + " Tester", password, list(roles))
            return user.id

    return factory


@pytest.fixture
def login(client):
    """Log the test client in through the API; returns the response."""

    def do_login(username: str, password: str = PASSWORD):
        return client.post("/api/v1/auth/login", json={"username": username, "password": password})

    return do_login


@pytest.fixture
def admin(make_user, login):
    user_id = make_user("admin1", roles=["admin"])
    assert login("admin1").status_code == 200
    return user_id


@pytest.fixture
def bank(client, login, make_user):
    """Users, catalogue, spec, an eligible donor's received procurement and its tissue lot (tests/bankbuild.py)."""
    from tests.bankbuild import Bank, build_bank

    return build_bank(Bank(client, login), make_user)


@pytest.fixture
def drug_product(bank):
    """A drug-product lot derived tissue → P1 → MCB → DP, in quarantine, with a closed processing step."""
    from tests.bankbuild import build_drug_product

    return build_drug_product(bank)


def audit_rows(session, **filters):
    """Audit entries (payload fields) matching column filters, oldest first."""
    import orjson

    query = select(audit.audit_log.c.payload).order_by(audit.audit_log.c.seq)
    for column, value in filters.items():
        query = query.where(audit.audit_log.c[column] == value)
    return [orjson.loads(bytes(p)) for p in session.execute(query).scalars()]


def count_audit(session) -> int:
    from sqlalchemy import func

    return session.execute(select(func.count()).select_from(audit.audit_log)).scalar_one()
