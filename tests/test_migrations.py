"""Migrations: an empty database upgrades to head, models and migrations agree, and downgrade works."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

import audit
from app.extensions import db
from tests.conftest import make_app
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    created = create_database(request.param, tmp_path)
    yield created
    created.drop()


def _diff(owner_url: str) -> list:
    engine = create_engine(owner_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, [db.metadata, audit.metadata])
    engine.dispose()
    return diff


def _tables(owner_url: str) -> set[str]:
    engine = create_engine(owner_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    return tables


def test_upgrade_to_head_matches_models_and_downgrades(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        assert _diff(empty_database.owner_url) == []
        assert {"users", "api_tokens", "signatures", "audit_log", "audit_journal"} <= _tables(empty_database.owner_url)
        downgrade(revision="base")
        assert _tables(empty_database.owner_url) <= {"alembic_version"}
        upgrade()
        assert _diff(empty_database.owner_url) == []
        db.engine.dispose()
