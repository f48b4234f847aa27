"""Engine set-up per database: SQLite in WAL with BEGIN IMMEDIATE; PostgreSQL as is (READ COMMITTED)."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

import audit

SQLITE_BUSY_TIMEOUT_MS = 10_000


def configure_engine(engine: Engine) -> None:
    """Install the per-connection settings this project relies on."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite's implicit BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
    audit.register_sqlite_functions(dbapi_connection)


def _sqlite_begin(conn) -> None:
    # Take the write lock at the start, so two writers never deadlock upgrading a read lock.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def include_for(dialect: str):
    """Autogenerate's filter: an index or constraint made for another database only (``ddl_if``) is not missing."""
    def include(obj, name, type_, reflected, compare_to) -> bool:
        only = getattr(obj, "_ddl_if", None)
        return only is None or only.dialect in (None, dialect)
    return include


def grant_app_role(connection, app_role: str | None) -> None:
    """On PostgreSQL, give the app's role only what it needs: no DELETE anywhere, no writes to the
    journal and only INSERT on the audit log; it owns nothing, so it cannot alter or disable triggers."""
    if connection.dialect.name != "postgresql" or not app_role:
        return
    if app_role == connection.exec_driver_sql("SELECT current_user").scalar():
        return
    quote = connection.dialect.identifier_preparer.quote
    role, database = quote(app_role), quote(connection.exec_driver_sql("SELECT current_database()").scalar())
    present = set(connection.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars())
    read_only = sorted(present & {"audit_journal", "alembic_version"})
    statements = [
        # temporary tables could shadow the audit tables inside trigger functions: nobody needs them
        f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    if "audit_log" in present:
        statements.append(f"REVOKE UPDATE ON audit_log FROM {role}")
    if read_only:
        statements.append(f"REVOKE INSERT, UPDATE ON {', '.join(read_only)} FROM {role}")
    for statement in statements:
        connection.exec_driver_sql(statement)
