"""The database itself keeps the trail append-only: the app's own connection cannot change, remove or forge entries."""

import sqlite3

import pytest
from sqlalchemy import create_engine, insert, make_url, select, text
from sqlalchemy.exc import DBAPIError

import audit
from audit import chain
from tests.databases import POSTGRES_ADMIN_URL

from .helpers import ON_POSTGRES, forged_row

REFUSED = r"refused on audit_(log|journal): this table is append-only|permission denied for table audit_"
CHANGES = [
    "UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 2",
    "UPDATE audit_log SET payload = payload",
    "DELETE FROM audit_log WHERE seq = 2",
    "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
    "DELETE FROM audit_log",
    "UPDATE audit_journal SET operation = 'update'",
    "DELETE FROM audit_journal WHERE table_name = 'users'",
    "DELETE FROM audit_journal",
]
POSTGRES_ONLY = [
    ("TRUNCATE audit_log", REFUSED),
    ("TRUNCATE audit_journal", REFUSED),
    ("TRUNCATE audit_log, audit_journal, users CASCADE", "permission denied"),
    ("INSERT INTO audit_journal (table_name, row_id, operation) VALUES ('users', '1', 'update')", "permission denied"),
    ("ALTER TABLE audit_log DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only", "must be owner"),
    ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_check_insert", "must be owner"),
    ("ALTER TABLE audit_journal DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER audit_log_append_only ON audit_log", "must be owner"),
    ("DROP TRIGGER audit_log_no_truncate ON audit_log", "must be owner"),
    ("DROP TRIGGER audit_journal_append_only ON audit_journal", "must be owner"),
    ("DROP FUNCTION audit_refuse_change() CASCADE", "must be owner"),
    ("CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN NEW; END $$", "must be owner|permission denied"),
    ("ALTER TABLE audit_log DROP CONSTRAINT uq_audit_log_prev_hash", "must be owner"),
    ("ALTER TABLE audit_log RENAME TO old_audit_log", "must be owner"),
    ("DROP TABLE audit_log", "must be owner"),
    ("SET session_replication_role = replica", "permission denied"),
]


def _snapshot(conn) -> list:
    log = conn.execute(select(audit.audit_log).order_by(audit.audit_log.c.seq)).all()
    journal = conn.execute(select(audit.audit_journal).order_by(audit.audit_journal.c.id)).all()
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in [*log, *journal]]


@pytest.fixture
def trail_rows(connection, make_user):
    """A short trail (three users) inside the test's transaction, and a snapshot of it."""
    for name in ("alice", "bob", "carol"):
        make_user(name)
    before = _snapshot(connection)
    assert len(before) == 6
    yield before
    assert _snapshot(connection) == before, "a refused statement changed the trail"


def _refused(connection, statement, match=REFUSED):
    with pytest.raises(DBAPIError, match=match), connection.begin_nested():
        connection.execute(statement) if not isinstance(statement, str) else connection.exec_driver_sql(statement)


@pytest.mark.parametrize("statement", CHANGES)
def test_changes_are_refused(connection, trail_rows, statement):
    """UPDATE and DELETE on the audit log and the journal, with or without WHERE, are refused."""
    _refused(connection, statement)


@ON_POSTGRES
@pytest.mark.parametrize(("statement", "match"), POSTGRES_ONLY, ids=[s[0][:40] for s in POSTGRES_ONLY])
def test_app_role_cannot_truncate_or_alter(connection, trail_rows, statement, match):
    """On PostgreSQL the app's role cannot truncate, write the journal, disable or drop triggers, or skip them."""
    _refused(connection, statement, match)


def _tail(connection) -> tuple[int, str, str]:
    rows = connection.execute(text("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 2")).all()
    return rows[0].seq, rows[0].entry_hash, rows[1].entry_hash


FORGERIES = {
    "forged-hash": (lambda seq, head, older: {**forged_row(seq, head), "entry_hash": "f" * 64},
                    "does not match its payload"),
    "hash-of-another-payload": (lambda seq, head, older: {**forged_row(seq, head), "entry_hash": chain.entry_hash(
        head, b"{}")}, "does not match its payload"),
    "seq-skips-one": (lambda seq, head, older: forged_row(seq + 1, head), "does not follow the tail"),
    "seq-reused": (lambda seq, head, older: forged_row(seq - 1, head), "does not follow the tail"),
    "restarts-at-genesis": (lambda seq, head, older: forged_row(0, chain.GENESIS_HASH), "does not follow the tail"),
    "links-to-an-older-entry": (lambda seq, head, older: forged_row(seq, older), "is not the hash of the tail"),
    "made-up-link": (lambda seq, head, older: forged_row(seq, "e" * 64), "is not the hash of the tail"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_inserts_are_refused(connection, trail_rows, forgery):
    """An INSERT whose hash, seq or link is wrong is refused even when everything else is well formed."""
    make, match = FORGERIES[forgery]
    _refused(connection, insert(audit.audit_log).values(make(*_tail(connection))), match)


def test_the_correct_next_entry_is_accepted(connection, make_user):
    """Control for the forgeries: the well-formed next entry goes in, so refusals above are for their flaw."""
    make_user("alice")
    seq, head = connection.execute(text("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC")).first()
    with connection.begin_nested():
        connection.execute(insert(audit.audit_log).values(forged_row(seq, head)))
    assert audit.verify(connection).ok


#: the insert check's refusal; on PostgreSQL a payload that is not JSON at all fails its cast to jsonb, in that check
MISMATCH = (r"audit_log: the columns (of seq \d+ )?differ from (its|the) payload"
            r"|invalid input syntax for type json[\s\S]*function audit_log_check_insert\(\)")


@pytest.mark.parametrize("payload", [b"not json", b"[]", b'{"seq": 1}'], ids=["not-json", "not-an-object", "columns"])
def test_entry_whose_payload_does_not_match_its_columns_is_refused(connection, make_user, payload):
    """A correctly linked and hashed entry is still refused unless its payload is the object its columns mirror."""
    make_user("alice")
    before = connection.execute(text("SELECT count(*) FROM audit_log")).scalar()
    seq, head = connection.execute(text("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC")).first()
    row = {**forged_row(seq, head), "payload": payload, "entry_hash": chain.entry_hash(head, payload)}
    with pytest.raises(DBAPIError, match=MISMATCH), connection.begin_nested():
        connection.execute(insert(audit.audit_log).values(row))
    assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == before


def test_triggers_refuse_even_the_owner(trail):
    """The owner, a superuser in replica mode (PostgreSQL) or a bare client on the file (SQLite) is refused too."""
    trail.build()
    before = trail.rows()
    statements = ["UPDATE audit_log SET action = 'x' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 9"]
    if trail.backend == "sqlite":
        path = make_url(trail.database.owner_url).database
        bare = sqlite3.connect(path)
        try:
            for statement in [*statements, "DELETE FROM audit_journal"]:
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    bare.execute(statement)
            with pytest.raises(sqlite3.OperationalError, match="no such function: audit_entry_hash"):
                bare.execute("INSERT INTO audit_log SELECT seq + 1, recorded_at, actor_id, actor_username, action, "
                             "entity_type, entity_id, operation, payload, entry_hash, 'x', NULL FROM audit_log "
                             "WHERE seq = 9")
        finally:
            bare.close()
    else:
        database = make_url(trail.database.owner_url).database
        superuser = make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
        for url, setup in ((trail.database.owner_url, []), (superuser, ["SET session_replication_role = replica"])):
            engine = create_engine(url)
            try:
                for statement in [*statements, "TRUNCATE audit_log", "TRUNCATE audit_journal"]:
                    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                        for line in [*setup, statement]:
                            conn.exec_driver_sql(line)
            finally:
                engine.dispose()
    assert trail.rows() == before
