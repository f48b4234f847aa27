"""Audit fixtures: fresh databases holding a real, committed trail (tests/audit/helpers.py), per test or per module."""

import pytest
from sqlalchemy import insert, text

import audit
from tests.helpers import BACKENDS

from .helpers import trail_for


@pytest.fixture(params=BACKENDS)
def trail(request, tmp_path):
    """A fresh, empty, migrated database per test, on each backend."""
    yield from trail_for(request.param, tmp_path)


@pytest.fixture
def pg_trail(tmp_path):
    """A fresh, empty, migrated PostgreSQL database."""
    yield from trail_for("postgresql", tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def _shared_trail(request, tmp_path_factory):
    yield from trail_for(request.param, tmp_path_factory.mktemp("trail"), build=True)


@pytest.fixture
def built(_shared_trail):
    """A module's built nine-entry trail; the audit log a test tampers with is put back after it."""
    rows = _shared_trail.rows()
    yield _shared_trail
    with _shared_trail.owner() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(insert(audit.audit_log), rows)
    code, line = _shared_trail.verify()
    assert code == 0, f"the trail was not put back: {line}"
