"""A fresh database holding a real, committed audit trail, and the means to change, tamper with and verify it."""

import contextlib
import datetime as dt

import orjson
import pytest
from sqlalchemy import create_engine, func, select, text

import audit
from app.auth import operations, tokens
from app.core.transaction import unit_of_work
from app.extensions import db
from audit import canonical, chain
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import create_user, make_app, migrate

#: what an attacker holding the SQLite file drops first
SQLITE_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete", "audit_log_check_insert", "audit_journal_no_update",
                   "audit_journal_no_delete")
#: runs a test that uses the shared `database` fixture on PostgreSQL only
ON_POSTGRES = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
EVENT = {"actor_id": None, "actor_username": "mallory", "actor_roles": "", "actor_name": "", "action": "forged",
         "entity_type": None, "entity_id": None, "operation": "event", "reason": None, "changes": {}}


def forged_row(last_seq: int, last_hash: str, **fields) -> dict:
    """A well-formed entry after (last_seq, last_hash), hashed correctly; payload fields may be overridden."""
    return chain.build_rows([{**EVENT, **fields}], last_seq, last_hash, dt.datetime.now(dt.UTC))[0]


def edited(payload: bytes, **fields) -> bytes:
    """The payload with some fields replaced, serialised canonically again."""
    return canonical.dumps({**orjson.loads(payload), **fields})


class Trail:
    """A migrated fresh database and its app; real audited changes; an owner's back door; the CLI."""

    def __init__(self, backend: str, directory):
        self.backend, self.directory = backend, directory
        self.database = create_database(backend, directory)
        self.app = make_app(self.database, CHECKPOINT_KEY=str(directory / "key.pem"))
        migrate(self.app)

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()
        self.database.drop()

    @contextlib.contextmanager
    def work(self, actor: str = "test"):
        """One committed unit of work inside an app context, acting as `actor`."""
        with self.app.app_context():
            audit.set_actor(db.session, None, actor)
            with unit_of_work():
                yield db.session

    def user(self, username: str, roles=("technician",)) -> int:
        return create_user(self.app, username, roles, full_name=username.title(), actor="test")

    def build(self) -> int:
        """Nine entries from six transactions of real changes; returns the head seq."""
        alice, bob, carol = (self.user(name) for name in ("alice", "bob", "carol"))
        with self.work():
            get = operations.get_user
            operations.set_roles(get(alice), get(bob), ["qa"], "QA training completed")
            operations.deactivate(get(alice), get(carol), "left the unit")
        with self.work():
            tokens.issue_token(operations.get_user(alice), "scanner")
            audit.record(db.session, "report.print", "users", alice, None, {"copies": 2})
        with self.work():
            operations.activate(operations.get_user(carol), "back from leave")
        self.user("dave")
        assert self.head() == 9
        return 9

    def scalar(self, sql: str, **params):
        with self.app.app_context(), db.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def head(self) -> int:
        return self.scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_log")

    def journal_max(self) -> int:
        return self.scalar("SELECT COALESCE(MAX(id), 0) FROM audit_journal")

    def roles(self, user_id: int) -> str | None:
        return self.scalar("SELECT roles FROM users WHERE id = :id", id=user_id)

    def rows(self) -> list[dict]:
        with self.app.app_context(), db.engine.connect() as conn:
            rows = conn.execute(select(audit.audit_log).order_by(audit.audit_log.c.seq)).mappings()
            return [{**row, "payload": bytes(row["payload"])} for row in rows]

    def count(self, table) -> int:
        with self.app.app_context(), db.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()

    @contextlib.contextmanager
    def owner(self, past_triggers: bool = True):
        """The owner's connection (the file's holder on SQLite), audit triggers out of the way by default and put
        back as they were before it commits (as a careful attacker would: the verifier checks that they are there)."""
        engine = create_engine(self.database.owner_url)
        try:
            with engine.begin() as conn:
                restore = self._step_past_triggers(conn) if past_triggers else []
                yield conn
                for statement in restore:
                    conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def _step_past_triggers(self, conn) -> list[str]:
        """Switch off the audit tables' triggers; return the statements that bring them back as they were."""
        if self.backend == "postgresql":
            enabled = conn.exec_driver_sql(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname IN ('audit_log', 'audit_journal') AND NOT t.tgisinternal AND t.tgenabled = 'A'").all()
            for table in ("audit_log", "audit_journal"):
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            return [f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}" for table, name in enabled]
        names = ", ".join(f"'{name}'" for name in SQLITE_TRIGGERS)
        dropped = conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})").all()
        for name, _ in dropped:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        return [sql for _, sql in dropped]

    def cli(self, *args):
        return self.app.test_cli_runner().invoke(args=["audit", *map(str, args)])

    def verify(self, *options) -> tuple[int, str]:
        result = self.cli("verify", *options)
        return result.exit_code, result.output.strip()

    def checkpoint(self, name: str = "checkpoint.json"):
        path = self.directory / name
        result = self.cli("checkpoint", "--out", path)
        assert result.exit_code == 0, result.output
        return path


def assert_caught(verdict: tuple[int, str], seq: int | None, problem: str) -> None:
    """The verifier printed one FAILED line naming the first bad seq and the problem, and exited 1."""
    code, line = verdict
    assert code == 1, line
    assert line.startswith("FAILED: "), line
    if seq is not None:
        assert f"first bad seq {seq}: " in line, line
    assert problem in line, line


def trail_for(backend: str, tmp_path, build: bool = False):
    """Generator for fixtures: a Trail (built with nine entries if asked), closed and dropped afterwards."""
    if backend == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    made = Trail(backend, tmp_path)
    if build:
        made.build()
    yield made
    made.close()
