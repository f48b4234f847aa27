"""The verifier checks the database's guards: a missing, disabled or replaced trigger or function is named."""

import pytest
from sqlalchemy import text

import audit

from .helpers import assert_caught, trail_for

ON_SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"

SQLITE_ATTACKS = {
    "journal-dropped": (["DROP TRIGGER users_journal_update"], "trigger users_journal_update on users is missing"),
    "append-only-dropped": (["DROP TRIGGER audit_log_no_delete"],
                            "trigger audit_log_no_delete on audit_log is missing"),
    "delete-guard-replaced": (["DROP TRIGGER users_no_delete",
                               "CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN SELECT 1; END"],
                              "trigger users_no_delete on users is not the guard the migrations install"),
}
PG_ATTACKS = {
    "journal-disabled": (["ALTER TABLE users DISABLE TRIGGER users_journal"],
                         "trigger users_journal on users is disabled"),
    "check-enabled-not-always": (["ALTER TABLE users ENABLE TRIGGER users_audited"],
                                 "trigger users_audited on users is enabled only for origin sessions (ENABLE), "
                                 "not ALWAYS"),
    "append-only-replica": (["ALTER TABLE audit_log ENABLE REPLICA TRIGGER audit_log_append_only"],
                            "trigger audit_log_append_only on audit_log is enabled only for replica sessions"),
    "truncate-guard-dropped": (["DROP TRIGGER audit_journal_no_truncate ON audit_journal"],
                               "trigger audit_journal_no_truncate on audit_journal is missing"),
    "check-function-dropped": (["DROP FUNCTION audit_require_entry() CASCADE"],
                               ("function audit_require_entry() is missing; trigger ",
                                "trigger api_tokens_audited on api_tokens is missing",
                                "trigger units_audited on units is missing")),
    "journal-function-invoker": (["ALTER FUNCTION audit_journal_row() SECURITY INVOKER"],
                                 "function audit_journal_row() is not SECURITY DEFINER"),
    "journal-runs-another-function": (["DROP TRIGGER users_journal ON users",
                                       "CREATE TRIGGER users_journal AFTER INSERT OR UPDATE ON users FOR EACH ROW "
                                       "EXECUTE FUNCTION audit_refuse_change()",
                                       "ALTER TABLE users ENABLE ALWAYS TRIGGER users_journal"],
                                      "trigger users_journal on users runs audit_refuse_change() instead of "
                                      "audit_journal_row()"),
    "journal-on-insert-only": (["DROP TRIGGER users_journal ON users",
                                "CREATE TRIGGER users_journal AFTER INSERT ON users FOR EACH ROW "
                                "EXECUTE FUNCTION audit_journal_row()",
                                "ALTER TABLE users ENABLE ALWAYS TRIGGER users_journal"],
                               "trigger users_journal on users does not fire when the migrations make it fire"),
}


class _Guards:
    """The triggers and functions of a database as they are, and the statements that bring them back."""

    def __init__(self, trail):
        self.trail = trail
        with trail.owner(past_triggers=False) as conn:
            if trail.backend == "sqlite":
                self.triggers = dict(conn.exec_driver_sql(TRIGGERS).all())
            else:
                self.functions = conn.exec_driver_sql(
                    "SELECT pg_get_functiondef(oid) FROM pg_proc WHERE proname LIKE 'audit%%'").scalars().all()
                self.triggers = conn.exec_driver_sql(
                    "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal").all()

    def put_back(self) -> None:
        with self.trail.owner(past_triggers=False) as conn:
            if self.trail.backend == "sqlite":
                now = dict(conn.exec_driver_sql(TRIGGERS).all())
                for name, sql in self.triggers.items():
                    if now.get(name) != sql:
                        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
                        conn.exec_driver_sql(sql)
                return
            for definition in self.functions:
                conn.exec_driver_sql(definition.replace("%", "%%"))  # no parameters: keep psycopg's hands off
            for table, name, definition in self.triggers:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                conn.exec_driver_sql(definition)
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}")


def _guarded(trail):
    guards = _Guards(trail)
    yield trail
    guards.put_back()
    code, line = trail.verify()
    assert code == 0, f"the guards were not put back: {line}"


@pytest.fixture(scope="module")
def _sqlite_trail(tmp_path_factory):
    yield from trail_for("sqlite", tmp_path_factory.mktemp("guards"), build=True)


@pytest.fixture(scope="module")
def _pg_trail(tmp_path_factory):
    yield from trail_for("postgresql", tmp_path_factory.mktemp("guards"), build=True)


@pytest.fixture
def sqlite_guarded(_sqlite_trail):
    """A built SQLite trail; every trigger a test breaks is put back after it."""
    yield from _guarded(_sqlite_trail)


@pytest.fixture
def pg_guarded(_pg_trail):
    """A built PostgreSQL trail; every trigger and function a test breaks is put back after it."""
    yield from _guarded(_pg_trail)


def _attack(trail, statements, problems: str | tuple[str, ...]) -> None:
    """Break the guards, then the verdict names every problem given (a tuple: each one, anywhere in the line)."""
    with trail.owner(past_triggers=False) as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    verdict = trail.verify()
    first, *others = problems if isinstance(problems, tuple) else (problems,)
    assert_caught(verdict, None, f"guards: {first}")
    for problem in others:
        assert problem in verdict[1], verdict[1]


@pytest.mark.parametrize("attack", SQLITE_ATTACKS)
def test_a_broken_sqlite_guard_is_named(sqlite_guarded, attack):
    """`flask audit verify` fails and names the trigger and its table that is missing or not as installed."""
    _attack(sqlite_guarded, *SQLITE_ATTACKS[attack])


@pytest.mark.parametrize("attack", PG_ATTACKS)
def test_a_broken_postgresql_guard_is_named(pg_guarded, attack):
    """`flask audit verify` fails and names the trigger (and its table) or the function that is not as installed:
    missing, disabled, enabled but not ALWAYS, or running another function on other events."""
    _attack(pg_guarded, *PG_ATTACKS[attack])


@ON_SQLITE
def test_dropped_lots_journal_triggers_and_an_edited_lot_are_reported(bank, connection, client):
    """The file's holder drops the lots journal triggers and edits a lot: no journal row, but the verdict says so."""
    bank.as_user("qa1")
    with connection.begin_nested() as attack:
        for name in ("lots_journal_insert", "lots_journal_update"):
            connection.exec_driver_sql(f"DROP TRIGGER {name}")
        connection.execute(text("UPDATE lots SET number = 'T-9999' WHERE id = :id"), {"id": bank.tissue["id"]})
        verdict = audit.verify(connection)
        answer = client.get("/api/v1/audit/verify")
        attack.rollback()
    problem = "guards: trigger lots_journal_insert on lots is missing; trigger lots_journal_update on lots is missing"
    assert not verdict.ok and verdict.problem == problem, verdict.line()
    assert answer.status_code == 200 and answer.json["ok"] is False and answer.json["problem"] == problem
    assert audit.verify(connection).ok
