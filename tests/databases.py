"""Fresh, uniquely named test databases on SQLite and PostgreSQL, created and dropped by the fixtures."""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url

#: admin URL of a PostgreSQL server the tests may create databases and roles on
POSTGRES_ADMIN_URL = os.environ.get("CELLBANK_TEST_POSTGRES_URL")
NO_POSTGRES = "CELLBANK_TEST_POSTGRES_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)"


@dataclass
class TestDatabase:
    __test__ = False  # not a test class

    backend: str
    app_url: str
    owner_url: str
    drop: callable


def _sqlite(directory: Path) -> TestDatabase:
    url = f"sqlite:///{directory / f'cellbank-{uuid.uuid4().hex[:8]}.sqlite3'}"
    return TestDatabase("sqlite", url, url, lambda: None)


def _admin_execute(*statements: str) -> None:
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def _postgres() -> TestDatabase:
    """A database owned by a fresh owner role, and a fresh app role that owns nothing."""
    suffix = uuid.uuid4().hex[:10]
    name, owner, app_role = f"cellbank_test_{suffix}", f"cellbank_owner_{suffix}", f"cellbank_app_{suffix}"
    _admin_execute(f"CREATE ROLE {owner} LOGIN", f"CREATE ROLE {app_role} LOGIN",
                   f"CREATE DATABASE {name} OWNER {owner}", f"REVOKE ALL ON DATABASE {name} FROM PUBLIC",
                   f"GRANT CONNECT ON DATABASE {name} TO {app_role}")
    admin = make_url(POSTGRES_ADMIN_URL).set(database=name)
    owner_url = admin.set(username=owner, password=None).render_as_string(hide_password=False)
    app_url = admin.set(username=app_role, password=None).render_as_string(hide_password=False)
    # The owner must be able to create the public schema's objects on PostgreSQL 15+.
    engine = create_engine(admin.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"ALTER SCHEMA public OWNER TO {owner}")
    engine.dispose()

    def drop() -> None:
        _admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"DROP ROLE IF EXISTS {app_role}",
                       f"DROP ROLE IF EXISTS {owner}")

    return TestDatabase("postgresql", app_url, owner_url, drop)


def create_database(backend: str, directory: Path) -> TestDatabase:
    return _sqlite(directory) if backend == "sqlite" else _postgres()
