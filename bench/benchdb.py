"""Benchmark databases: a fresh migrated app database plus trigger-less twins of the audited tables."""

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, make_url
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.naming import conv

import audit
from app.auth.models import User
from app.core.database import grant_app_role
from app.extensions import NAMING_CONVENTION, db
from tests.databases import POSTGRES_ADMIN_URL, create_database
from tests.helpers import make_app, migrate


class TwinBase(DeclarativeBase):
    """Tables of the same shape as audited ones, with no triggers, journal or chain."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def twin_table(table: Table, name: str, metadata: MetaData = TwinBase.metadata) -> Table:
    """Copy a table's columns, keys and indexes under another name (and names of their own)."""
    twin = table.to_metadata(metadata, name=name)
    for item in (*twin.indexes, *twin.constraints):
        if isinstance(item.name, str) and name not in item.name:
            item.name = conv(item.name.replace(table.name, name))
    return twin


#: audit_log's twin: same columns, keys and indexes; no insert trigger, no append-only triggers
plain_log = twin_table(audit.audit_log, "bench_plain_log")


class PlainUser(TwinBase):
    """The users table's twin: same columns, not audited, no journal triggers."""

    __table__ = twin_table(User.__table__, "bench_plain_users")


def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None if it can."""
    engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return f"{make_url(POSTGRES_ADMIN_URL).render_as_string()} unreachable: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def server_version() -> str:
    """The PostgreSQL server's version number."""
    engine = create_engine(POSTGRES_ADMIN_URL)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return version


def _create_twins(database) -> None:
    """Create the twin tables as the owner and grant the app's role what it has on the real ones."""
    engine = create_engine(database.owner_url)
    with engine.begin() as conn:
        TwinBase.metadata.create_all(conn)
        grant_app_role(conn, make_url(database.app_url).username)
    engine.dispose()


@contextmanager
def app_database(backend: str, directory: Path):
    """Yield a Flask app on a fresh migrated database with the twin tables; drop it afterwards."""
    database = create_database(backend, directory)
    app = None
    try:
        app = make_app(database)
        migrate(app)
        _create_twins(database)
        yield app
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()


@contextmanager
def bare_database(backend: str, directory: Path):
    """Yield the owner URL of a fresh empty database; drop it afterwards."""
    database = create_database(backend, directory)
    try:
        yield database.owner_url
    finally:
        database.drop()
