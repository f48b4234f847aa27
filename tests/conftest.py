"""Fixtures: one migrated database per backend and session, each test rolled back; app, client, users, and the
bank and storage built through the API. Plain helpers are in tests/helpers.py.

Every test runs on SQLite and on PostgreSQL. Each test ends by checking the audit trail it left:
the chain verifies and every journaled row change has its audit entry (on PostgreSQL the deferred
"audited" constraint triggers fire too). Tests that tamper on purpose are marked ``tampers``.
"""

import os

import pytest
from flask_sqlalchemy.session import Session as FlaskSession

import audit
from app.extensions import db
from app.storage import tallies
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.branching import build_branching
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import (
    BACKENDS,
    PASSWORD,
    api_login,
    create_user,
    make_app,
    migrate,
    statements_run,
)
from tests.labels.zplrender import ZplRenderer, unavailable
from tests.printing.helpers import set_expiry
from tests.storage.helpers import BOX, boxes


def pytest_configure(config):
    config.addinivalue_line("markers", "tampers: the test breaks the audit trail on purpose")


def pytest_sessionfinish(session, exitstatus):
    """With CI=true a skipped test fails the run: in CI every test must really run (judged once, not per worker)."""
    if hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; in CI every test must run", red=True)
        session.exitstatus = 1


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
    assert tallies.mismatches(conn) == {}, "the unit tallies disagree with the units"


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
def count_queries(app, connection):
    """``with count_queries() as statements:`` collects the SQL statements run inside the block (indico's idea)."""
    with app.app_context():
        engine = db.engine
    return lambda: statements_run(engine)


@pytest.fixture
def make_user(app, connection):
    """Factory: make_user("qa", roles=["qa"]) creates and commits a user through the real operation."""
    return lambda username, roles=("technician",), **options: create_user(app, username, roles, **options)


@pytest.fixture
def login(client):
    """Log the test client in through the API; returns the response."""

    def do_login(username: str, password: str = PASSWORD):
        return api_login(client, username, password)

    return do_login


@pytest.fixture
def admin(make_user, login):
    user_id = make_user("admin1", roles=["admin"])
    assert login("admin1").status_code == 200
    return user_id


@pytest.fixture
def bank(client, login, make_user):
    """Users, catalogue, spec, an eligible donor's received procurement and its tissue lot (tests/bankbuild.py)."""
    return build_bank(Bank(client, login), make_user)


@pytest.fixture
def drug_product(bank):
    """A drug-product lot derived tissue → P1 → MCB → DP, in quarantine, with a closed processing step."""
    return build_drug_product(bank)


@pytest.fixture
def tank(bank):
    """A site, a room and a tank (2 racks × 2 boxes of 3 × 3) as the API returns it, created by admin1; then tech1
    is logged in."""
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU Rennes"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Cell therapy unit, room 2",
                                                   "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-1", "racks": 2,
                                                        "boxes_per_rack": 2, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": BOX})
    bank.as_user("tech1")
    return tank


@pytest.fixture
def units(bank, drug_product, tank):
    """Four cryovials of the drug product lot, not yet placed."""
    return bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 4, "container_type": "cryovial",
                                                                  "volume_ml": "1.5", "cells": 25_000_000})


@pytest.fixture
def released_units(bank, drug_product, units, tank):
    """The four units, their lot released by qa2, stored in the first box, then retrieved by tech1 (in hand)."""
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    bank.as_user("tech1")
    for unit in units:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
        bank.post(f"/api/v1/units/{unit['id']}/retrieve", {}, expect=200)
    return units


@pytest.fixture
def expiring(bank, drug_product, make_user):
    """The drug product lot's expiry set (FEFO and the labels need it); pharmacists and a clinician exist."""
    for name, role in (("pharm1", "pharmacist"), ("pharm2", "pharmacist"), ("clin1", "clinician")):
        make_user(name, roles=[role])
    bank.as_user("tech1")
    return set_expiry(bank, drug_product["id"])


@pytest.fixture
def pharmacy(bank, expiring, released_units):
    """Four released vials of one lot (25 million cells each), in tech1's hands; the users of the ward."""
    return released_units


@pytest.fixture
def branching(bank, tank):
    """Two donors with branching genealogy and a material used by both (tests/branching.py)."""
    return build_branching(bank, tank)


@pytest.fixture(scope="session")
def zpl_renderer():
    """The offline ZPL renderer (one Node process for the session); skipped, saying why, where it is missing."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    renderer = ZplRenderer()
    yield renderer
    renderer.close()
