"""Sessions live on the server: logout, a password change or reset, deactivation and time end them for good."""

import datetime as dt

import time_machine

from app.auth.models import UserSession
from tests.helpers import PASSWORD, audit_rows


def _copy(app, client):
    """A second browser holding a copy of the client's session cookie (as an attacker who captured it)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_captured_before_logout_is_refused_after_it(app, client, make_user, login, session):
    make_user("tech1")
    login("tech1")
    thief = _copy(app, client)
    assert thief.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert thief.get("/api/v1/me").status_code == 401
    assert thief.post("/api/v1/tokens", json={"name": "backdoor"}).status_code == 401
    assert thief.get("/dashboard").status_code == 302
    [ended] = session.query(UserSession).all()
    assert ended.end_reason == "logout" and ended.ended_at is not None


def test_the_logout_page_ends_the_server_session_too(app, client, make_user, login):
    make_user("tech1")
    login("tech1")
    thief = _copy(app, client)
    assert client.post("/logout").status_code == 302
    assert thief.get("/api/v1/me").status_code == 401


def test_a_password_change_ends_every_other_session_and_keeps_the_changer_logged_in(app, client, make_user, login,
                                                                                   session):
    make_user("tech1")
    login("tech1")
    thief, laptop = _copy(app, client), app.test_client()
    assert laptop.post("/api/v1/auth/login", json={"username": "tech1", "password": PASSWORD}).status_code == 200
    changed = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "n" * 14})
    assert changed.status_code == 204
    assert thief.get("/api/v1/me").status_code == 401 and laptop.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").json["username"] == "tech1"
    reasons = sorted(s.end_reason for s in session.query(UserSession).filter(UserSession.ended_at.is_not(None)))
    assert reasons == ["password changed"] * 2  # the copied cookie and the laptop; the changer has a new one
    assert len(audit_rows(session, action="user.password_change")) == 1


def test_a_reset_by_an_administrator_ends_the_owners_sessions(app, client, make_user, login, admin):
    owner = app.test_client()
    user_id = make_user("tech1")
    assert owner.post("/api/v1/auth/login", json={"username": "tech1", "password": PASSWORD}).status_code == 200
    reset = client.post(f"/api/v1/users/{user_id}/password", json={"password": "temporary pass 1", "reason": "lost"})
    assert reset.status_code == 204
    assert owner.get("/api/v1/me").status_code == 401


def test_deactivation_ends_the_sessions(app, client, make_user, admin):
    owner = app.test_client()
    user_id = make_user("tech1")
    assert owner.post("/api/v1/auth/login", json={"username": "tech1", "password": PASSWORD}).status_code == 200
    assert client.post(f"/api/v1/users/{user_id}/deactivate", json={"reason": "left the unit"}).status_code == 200
    assert client.post(f"/api/v1/users/{user_id}/activate", json={"reason": "came back"}).status_code == 200
    assert owner.get("/api/v1/me").status_code == 401


def test_idle_timeout_is_held_on_the_server(app, client, make_user, login, session):
    make_user("tech1")
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        login("tech1")
        clock.shift(dt.timedelta(minutes=14))
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(minutes=14))
        assert client.get("/api/v1/me").status_code == 200  # 14 minutes since the last request
        thief = _copy(app, client)
        clock.shift(dt.timedelta(minutes=16))
        assert thief.get("/api/v1/me").status_code == 401
        assert client.get("/api/v1/me").status_code == 401
    [ended] = session.query(UserSession).all()
    assert ended.end_reason == "idle timeout"


def test_a_session_ends_at_its_absolute_lifetime_however_active(app, client, make_user, login):
    make_user("tech1")
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        login("tech1")
        for _ in range(71):  # a request every 10 minutes for 11 h 50 min
            clock.shift(dt.timedelta(minutes=10))
            assert client.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(minutes=11))
        assert client.get("/api/v1/me").status_code == 401


def test_the_lifetime_default_is_twelve_hours(app):
    assert app.config["SESSION_MAX_HOURS"] == 12 and app.config["IDLE_TIMEOUT_MINUTES"] == 15
