"""Plain SQL on a GMP table behind the app's back: refused at commit on PostgreSQL, reported by verify on SQLite."""

import re

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, IntegrityError

import audit
from app.auth import operations, tokens
from app.core.transaction import unit_of_work
from app.extensions import db
from tests.databases import POSTGRES_ADMIN_URL

from .helpers import ON_POSTGRES, assert_caught

INSERT_USER = ("INSERT INTO users (username, full_name, roles, password_hash, active, failed_logins, created_at) "
               "VALUES ('mallory', 'Mallory', 'admin', 'x', true, 0, CURRENT_TIMESTAMP)")


def _commit_plain_sql(trail, statement: str, **params) -> None:
    """Run statement on the app's own session and commit: refused on PostgreSQL, accepted on SQLite."""
    with trail.app.app_context():
        db.session.execute(text(statement), params)
        if trail.backend == "postgresql":
            with pytest.raises(IntegrityError, match="unaudited change refused: users row"):
                db.session.commit()
            db.session.rollback()
        else:
            db.session.commit()


@pytest.mark.parametrize(("statement", "operation"), [
    ("UPDATE users SET roles = 'admin' WHERE username = 'victim'", "update"),
    ("UPDATE users SET failed_logins = 0, locked_at = NULL WHERE username = 'victim'", "update"),
    (INSERT_USER, "insert"),
], ids=["grant-admin", "unlock", "insert-admin"])
def test_plain_sql_write(trail, statement, operation):
    """An UPDATE or INSERT without an audit entry never lands unnoticed."""
    victim = trail.user("victim")
    _commit_plain_sql(trail, statement)
    if trail.backend == "postgresql":
        assert trail.roles(victim) == "technician" and trail.scalar("SELECT COUNT(*) FROM users") == 1
        code, line = trail.verify()
        assert code == 0, line
    else:
        assert_caught(trail.verify(), None, f"journal: users row {1 if operation == 'update' else 2} had 1 "
                                            f"{operation}(s) but 0 audit entries")


def test_plain_sql_beside_an_audited_change(trail):
    """A plain UPDATE smuggled into a transaction that also makes an audited change of the same row is caught."""
    victim, boss = trail.user("victim"), trail.user("boss", roles=["admin"])
    with trail.app.app_context():
        audit.set_actor(db.session, None, "test")
        user = operations.get_user(victim)
        operations.set_roles(operations.get_user(boss), user, ["qa"], "QA training completed")
        db.session.execute(text("UPDATE users SET roles = 'admin' WHERE id = :id"), {"id": victim})
        if trail.backend == "postgresql":
            refused = f"users row {victim} has 2 changes in this transaction but 1 audit entries"
            with pytest.raises(IntegrityError, match=refused):
                db.session.commit()
        else:
            db.session.commit()
    if trail.backend == "postgresql":
        assert trail.roles(victim) == "technician"
    else:
        assert_caught(trail.verify(), None, f"journal: users row {victim} had 2 update(s) but 1 audit entries")


@pytest.mark.parametrize("statement", ["DELETE FROM users", "DELETE FROM users WHERE username = 'alice'",
                                       "DELETE FROM api_tokens"])
def test_deletes_are_refused(app, connection, make_user, statement):
    """GMP records are never deleted, even with plain SQL."""
    alice = make_user("alice")
    with app.app_context():
        audit.set_actor(db.session, None, "test")
        with unit_of_work():
            tokens.issue_token(operations.get_user(alice), "scanner")
    with pytest.raises(DBAPIError, match="DELETE refused on|permission denied"), connection.begin_nested():
        connection.exec_driver_sql(statement)
    assert connection.exec_driver_sql("SELECT COUNT(*) FROM users").scalar() == 1


@ON_POSTGRES
@pytest.mark.parametrize(("statement", "match"), [
    ("TRUNCATE users CASCADE", "permission denied"),
    ("ALTER TABLE users DISABLE TRIGGER users_audited", "must be owner"),
    ("ALTER TABLE users DISABLE TRIGGER users_journal", "must be owner"),
    ("DROP TRIGGER users_journal ON users", "must be owner"),
    ("ALTER TABLE users DISABLE TRIGGER USER", "must be owner"),
])
def test_app_role_cannot_switch_off_the_journal(connection, make_user, statement, match):
    """On PostgreSQL the app's role cannot stop the journal or the commit-time check."""
    make_user("alice")
    with pytest.raises(DBAPIError, match=match), connection.begin_nested():
        connection.exec_driver_sql(statement)


def test_temporary_tables_cannot_hide_a_change(pg_trail):
    """An app role with PostgreSQL's default TEMP privilege cannot hide a plain UPDATE behind temporary tables."""
    victim = pg_trail.user("victim")
    name = make_url(pg_trail.database.app_url).database
    with pg_trail.owner(past_triggers=False) as conn:  # what CREATE DATABASE gives PUBLIC unless revoked
        conn.exec_driver_sql(f"GRANT TEMPORARY ON DATABASE {name} TO PUBLIC")
    attacker = create_engine(pg_trail.database.app_url)  # a fresh session, e.g. psql with the app's credentials
    refused = f"unaudited change refused: users row {victim} has 1 changes in this transaction but 0 audit entries"
    try:
        # Every statement of the attack runs; only the commit is refused, by the check that reads the real journal.
        with pytest.raises(IntegrityError, match=refused), attacker.begin() as conn:
            conn.exec_driver_sql("CREATE TEMPORARY TABLE audit_journal (table_name text, row_id text, operation text) "
                                 "ON COMMIT DROP")
            conn.exec_driver_sql("GRANT INSERT ON pg_temp.audit_journal TO PUBLIC")
            assert conn.execute(text("UPDATE users SET roles = 'admin' WHERE id = :id"), {"id": victim}).rowcount == 1
    finally:
        attacker.dispose()
    assert pg_trail.roles(victim) == "technician"
    code, line = pg_trail.verify()
    assert code == 0, line


def test_the_commit_check_finds_a_rows_entries_through_the_indexes(pg_trail):
    """The deferred check looks a row up in audit_journal and audit_log by index condition, never by a full read."""
    trail = pg_trail
    victim = trail.user("victim")
    plans = []
    superuser = make_url(POSTGRES_ADMIN_URL).set(database=make_url(trail.database.owner_url).database)
    engine = create_engine(superuser)  # LOAD of auto_explain needs a superuser
    with engine.begin() as conn:
        conn.connection.driver_connection.add_notice_handler(lambda notice: plans.append(notice.message_primary))
        for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                        "SET auto_explain.log_nested_statements = on", "SET client_min_messages = log",
                        "SET enable_seqscan = off"):  # with seqscan off a whole-table read shows as a full index read
            conn.exec_driver_sql(setting)
        conn.exec_driver_sql("SAVEPOINT unaudited")
        conn.exec_driver_sql(f"UPDATE users SET full_name = 'Renamed' WHERE id = {victim}")
        with pytest.raises(DBAPIError, match="unaudited change refused"):
            conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        conn.exec_driver_sql("ROLLBACK TO SAVEPOINT unaudited")
    engine.dispose()
    checks = [plan for plan in plans if "FROM audit_journal" in plan or "FROM audit_log" in plan]
    assert len(checks) == 2, plans
    for plan in checks:  # both columns of each index are conditions; nothing about the row is left to a filter
        assert re.search(r"Index Cond: \(\(\(?(table_name|entity_type)\)?(::text)? = 'users'::text\) AND", plan), plan
        assert "Filter: ((table_name" not in plan and "Filter: ((entity_type" not in plan, plan
        assert re.search(r"Index Cond: .* AND \(txid = tx\)|Index Cond: .* AND \(txid = '\d+'::bigint\)", plan), plan
