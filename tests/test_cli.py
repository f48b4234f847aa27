"""Command line: users create and demo load (audit verify/checkpoint: tests/audit)."""

from app.auth.models import User
from tests.conftest import PASSWORD, audit_rows


def test_users_create(app, connection, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "nina", "--full-name", "Nina Nurse", "--role",
                                                "clinician", "--role", "pharmacist", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    user = session.query(User).filter_by(username="nina").one()
    assert user.roles == "clinician,pharmacist"
    assert audit_rows(session, action="user.create")[0]["actor_username"].startswith("cli:")


def test_users_create_refuses_short_password(app, connection, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "nina", "--full-name", "N", "--role", "qa",
                                                "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert session.query(User).filter_by(username="nina").count() == 0


def test_demo_load_once(app, connection, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "loaded" in first.output
    assert {u.username for u in session.query(User)} == {"admin", "tech", "qa", "pharmacist", "clinician"}
    second = runner.invoke(args=["demo", "load"])
    assert "nothing loaded" in second.output
    assert session.query(User).count() == 5
