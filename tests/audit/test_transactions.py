"""One transaction boundary: a rolled-back change leaves no entry, and a failed audit write undoes the change."""

import orjson
import pytest
from sqlalchemy.exc import DBAPIError

import audit
from app.auth import operations
from app.extensions import db
from audit import chain
from tests.helpers import PASSWORD


def _counts(trail) -> tuple[int, int, int]:
    return trail.count(audit.audit_log), trail.count(audit.audit_journal), trail.scalar("SELECT COUNT(*) FROM users")


def test_rolled_back_change_leaves_no_entry(trail):
    """The flushed change and its journal row vanish with the rollback, and its entry never reaches a later commit."""
    trail.build()
    before = _counts(trail)
    with pytest.raises(RuntimeError, match="changed my mind"), trail.work() as session:
        operations.create_user("erin", "Erin", PASSWORD, ["technician"])
        assert session.execute(audit.audit_journal.select()).all()[-1].row_id == "5"  # flushed, journaled
        raise RuntimeError("changed my mind")
    assert _counts(trail) == before
    with trail.work():
        operations.create_user("frank", "Frank", PASSWORD, ["technician"])
    last = trail.rows()[-1]
    assert last["seq"] == 10 and orjson.loads(last["payload"])["changes"]["username"] == [None, "frank"]
    code, line = trail.verify()
    assert code == 0, line


def _raising_build_rows(*args, **kwargs):
    raise RuntimeError("audit store unavailable")


_lock_tail = chain.lock_tail


def _stale_tail(conn):
    _lock_tail(conn)
    return 0, chain.GENESIS_HASH


@pytest.mark.parametrize(("patch", "error", "message"), [
    (("build_rows", _raising_build_rows), RuntimeError, "audit store unavailable"),
    (("lock_tail", _stale_tail), DBAPIError, "audit_log: seq (1 )?does not follow the tail"),
], ids=["append-raises", "database-refuses-the-entry"])
def test_failed_audit_write_undoes_the_change(trail, monkeypatch, patch, error, message):
    """If the entry cannot be written, the business change it describes is not committed either."""
    trail.build()
    before = _counts(trail)
    monkeypatch.setattr(chain, *patch)
    with pytest.raises(error, match=message), trail.work():
        operations.set_roles(operations.get_user(1), operations.get_user(2), ["admin"], "promotion")
        operations.create_user("erin", "Erin", PASSWORD, ["admin"])
    monkeypatch.undo()
    assert _counts(trail) == before
    assert trail.roles(2) == "qa"
    code, line = trail.verify()
    assert code == 0, line


def test_failed_audit_write_fails_the_request(trail, monkeypatch):
    """Through the API: the commit in the request's boundary fails, so the created account does not exist."""
    trail.user("admin1", roles=["admin"])
    client = trail.app.test_client()
    assert client.post("/api/v1/auth/login", json={"username": "admin1", "password": PASSWORD}).status_code == 200
    before = _counts(trail)
    monkeypatch.setattr(chain, "build_rows", _raising_build_rows)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        client.post("/api/v1/users", json={"username": "erin", "full_name": "Erin", "password": PASSWORD,
                                           "roles": ["admin"]})
    monkeypatch.undo()
    assert _counts(trail) == before
    code, line = trail.verify()
    assert code == 0, line


def test_rolled_back_savepoint_keeps_the_enclosing_entries(trail):
    """Rolling back a SAVEPOINT drops only the entries of the changes made inside it."""
    victim, boss = trail.user("victim"), trail.user("boss", roles=["admin"])
    committed = True
    try:
        with trail.work():
            user = operations.get_user(victim)
            operations.set_roles(operations.get_user(boss), user, ["qa"], "QA training completed")
            with pytest.raises(RuntimeError, match="abandon the nested step"), db.session.begin_nested():
                operations.create_user("other", "Other", PASSWORD, ["technician"])
                raise RuntimeError("abandon the nested step")
    except DBAPIError:
        committed = False
    code, line = trail.verify()
    assert committed, "the audited roles change was refused at commit: its entry was lost"
    assert code == 0, line
    assert trail.roles(victim) == "qa"
    assert [row["action"] for row in trail.rows()] == ["user.create", "user.create", "user.roles_change"]
