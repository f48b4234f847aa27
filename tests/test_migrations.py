"""Migrations: an empty database upgrades to head one revision at a time, each step takes audited writes, models
and migrations agree at head, and downgrade works."""

import ast
import datetime as dt
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, Table, create_engine, inspect
from sqlalchemy.orm import Session, registry

import audit
from app.core.database import configure_engine, include_for
from app.extensions import db
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import api_login, create_user, make_app


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
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": include_for(conn.dialect.name)})
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


def _revisions() -> list[str]:
    """Every revision from the first to head, in upgrade order."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions("base", "heads")))]


def _filler(column):
    """A value for a NOT NULL column that the write leaves unset, by its type."""
    python_type = column.type.python_type
    if python_type is bool:
        return True
    if python_type is int:
        return 0
    if python_type is dt.datetime:
        return dt.datetime.now(dt.UTC)
    return "step"


def _audited_write(app_url: str, revision: str) -> None:
    """Create a user and change it through the audit capture, on the users table as it is at this revision.

    The class is mapped on the reflected table, so the write fits the schema of this revision; capture, the chain
    append and every database trigger of the revision (journal, insert check, PostgreSQL's commit check) must pass.
    """
    engine = create_engine(app_url)
    configure_engine(engine)
    users = Table("users", MetaData(), autoload_with=engine)
    step_user = type(f"StepUser_{revision}", (), {"__audited__": True})
    registry().map_imperatively(step_user, users)
    session = StepSession(bind=engine)
    audit.set_actor(session, None, "migration-test")
    try:
        values = {c.name: _filler(c) for c in users.columns
                  if not c.nullable and not c.primary_key and c.server_default is None}
        user = step_user(**{**values, "username": f"step-{revision}", "full_name": "Step", "roles": "technician"})
        session.add(user)
        session.commit()
        with audit.action(session, "migration.step", f"upgraded to {revision}"):
            user.full_name = f"Step {revision}"
        session.commit()
    finally:
        session.close()
        engine.dispose()


class StepSession(Session):
    """A plain session class with the audit capture installed."""


audit.install(StepSession)


def test_each_revision_takes_audited_writes_and_head_matches_the_models(empty_database):
    """Upgraded one revision at a time, each intermediate database accepts an audited write and verifies."""
    app = make_app(empty_database)
    with app.app_context():
        revisions = _revisions()
        assert len(revisions) >= 9
        for number, revision in enumerate(revisions, start=1):
            upgrade(revision=revision)
            _audited_write(empty_database.app_url, revision)
            engine = create_engine(empty_database.owner_url)
            configure_engine(engine)
            with engine.connect() as conn:  # the guards of the GMP tables this revision has
                verdict = audit.verify(conn, gmp_tables=audit.audited_tables() & set(inspect(conn).get_table_names()))
            engine.dispose()
            assert verdict.ok and verdict.head_seq == 2 * number, f"at {revision}: {verdict.line()}"
        assert _diff(empty_database.owner_url) == []
    create_user(app, "head-user")  # at head, the app's own write path: the operation, then a login through the API
    assert api_login(app.test_client(), "head-user").status_code == 200
    with app.app_context(), db.engine.connect() as conn:  # every audited model's table and all its guards
        verdict = audit.verify(conn)
        assert verdict.ok and verdict.head_seq >= 2 * len(revisions) + 2, verdict.line()  # creation and login
    with app.app_context():
        db.engine.dispose()


def test_revisions_import_no_live_code():
    """A revision holds its own DDL: it imports only alembic, sqlalchemy and the standard library."""
    allowed = {"alembic", "sqlalchemy", *sys.stdlib_module_names}
    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    imported = {}
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "."] if node.level == 0 else ["."]
            else:
                continue
            imported.update({f"{path.name}: {name}": name for name in names if name.split(".")[0] not in allowed})
    assert imported == {}
