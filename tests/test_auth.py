"""Login, lockout, idle timeout, sessions and Bearer tokens."""

import datetime as dt
from email.utils import parsedate_to_datetime

import time_machine

from app.auth.credentials import LOGIN_REFUSED
from app.auth.models import User
from tests.helpers import PASSWORD, audit_rows, count_audit


def _user(session, username) -> User:
    session.expire_all()
    return session.query(User).filter_by(username=username).one()


def test_login_sets_httponly_samesite_session_and_audits(client, make_user, login, session):
    make_user("tech1")
    response = login("tech1")
    assert response.status_code == 200
    assert response.json["username"] == "tech1" and response.json["roles"] == ["technician"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    entries = audit_rows(session, action="auth.login")
    assert [e["actor_username"] for e in entries] == ["tech1"]
    assert entries[0]["reason"] == "password verified"
    assert client.get("/api/v1/me").json["username"] == "tech1"


def test_wrong_password_is_401_counts_and_is_audited(client, make_user, login, session):
    make_user("tech1")
    response = login("tech1", "not the password")
    assert response.status_code == 401
    assert response.json["message"] == LOGIN_REFUSED
    assert set(response.json) == {"code", "status", "message", "errors"}
    assert _user(session, "tech1").failed_logins == 1
    [entry] = audit_rows(session, action="auth.login_failed")
    assert entry["entity_id"] == str(_user(session, "tech1").id)
    assert entry["changes"] == {"failed_logins": [0, 1]}
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_user_failed_login_is_audited_without_entity(login, session):
    assert login("nobody").status_code == 401
    [entry] = audit_rows(session, action="auth.login_failed")
    assert entry["entity_id"] is None and entry["changes"] == {"username": "nobody"}
    assert entry["actor_username"] == "anonymous"


def test_five_failures_lock_until_admin_unlocks(client, app, make_user, login, session):
    user_id = make_user("tech1")
    for _ in range(5):
        assert login("tech1", "not the password").status_code == 401
    assert _user(session, "tech1").locked
    assert len(audit_rows(session, action="auth.lockout")) == 1
    locked = login("tech1")
    assert locked.status_code == 401 and locked.json["message"] == LOGIN_REFUSED
    assert len(audit_rows(session, action="auth.login_refused_locked")) == 1

    make_user("boss", roles=["admin"])
    assert login("boss").status_code == 200
    refused = client.post(f"/api/v1/users/{user_id}/unlock", json={})
    assert refused.status_code == 422 and "reason" in refused.json["errors"]["json"]
    unlocked = client.post(f"/api/v1/users/{user_id}/unlock", json={"reason": "user called the help desk"})
    assert unlocked.status_code == 200 and unlocked.json["locked"] is False
    [entry] = audit_rows(session, action="user.unlock")
    assert entry["reason"] == "user called the help desk" and entry["actor_username"] == "boss"
    assert login("tech1").status_code == 200


def test_success_resets_the_failure_count(make_user, login, session):
    make_user("tech1")
    for _ in range(4):
        login("tech1", "not the password")
    assert login("tech1").status_code == 200
    assert _user(session, "tech1").failed_logins == 0
    for _ in range(4):
        login("tech1", "not the password")
    assert not _user(session, "tech1").locked


def test_deactivated_user_cannot_log_in(client, make_user, login, admin, session):
    user_id = make_user("tech1")
    assert client.post(f"/api/v1/users/{user_id}/deactivate", json={"reason": "left the unit"}).status_code == 200
    response = login("tech1")
    assert response.status_code == 401 and response.json["message"] == LOGIN_REFUSED


def _session_cookie_expiry(response) -> dt.datetime:
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    return parsedate_to_datetime(next(p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("Expires=")))


def test_session_expires_after_idle_timeout(app, client, make_user, login, session):
    """On a clock the test controls: each request renews the session on the server; 15 idle minutes end it, though
    the cookie itself would last until the absolute lifetime."""
    make_user("tech1")
    start = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        logged_in = login("tech1")
        assert logged_in.status_code == 200
        assert _user(session, "tech1").last_login_at == start  # the app's utcnow reads the same clock
        assert _session_cookie_expiry(logged_in) == start + dt.timedelta(hours=12)
        for _ in range(3):  # 44:57 after logging in, but never 15 minutes idle
            clock.shift(dt.timedelta(minutes=14, seconds=59))
            assert client.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        expired = client.get("/api/v1/me")
        assert expired.status_code == 401, expired.json


def test_the_cookie_never_outlives_the_absolute_session_lifetime(app):
    assert app.permanent_session_lifetime == dt.timedelta(hours=12)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is True


def test_logout_ends_session_and_is_audited(client, make_user, login, session):
    make_user("tech1")
    login("tech1")
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    assert [e["actor_username"] for e in audit_rows(session, action="auth.logout")] == ["tech1"]


def test_bad_login_input_is_422_and_writes_nothing(client, session):
    before = count_audit(session)
    response = client.post("/api/v1/auth/login", json={"username": "x"})
    assert response.status_code == 422
    assert "password" in response.json["message"] and response.json["errors"]["json"]["password"]
    assert count_audit(session) == before


def test_bearer_token_authenticates_and_can_be_revoked(app, client, make_user, login, session):
    make_user("tech1")
    login("tech1")
    issued = client.post("/api/v1/tokens", json={"name": "label printer"})
    assert issued.status_code == 201
    token = issued.json["token"]
    assert token.startswith("cbt_")
    stored = _user(session, "tech1").tokens[0]
    assert stored.token_hash != token and token not in str(audit_rows(session, action="token.issue"))

    other = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert other.get("/api/v1/me", headers=headers).json["username"] == "tech1"
    revoked = client.post(f"/api/v1/tokens/{issued.json['id']}/revoke", json={"reason": "printer replaced"})
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    refused = other.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401 and "revoked" in refused.json["message"]
    assert other.get("/api/v1/me", headers={"Authorization": "Bearer cbt_forged"}).status_code == 401


def test_token_of_another_user_cannot_be_revoked(client, make_user, login):
    make_user("tech1")
    make_user("tech2")
    login("tech1")
    token_id = client.post("/api/v1/tokens", json={"name": "mine"}).json["id"]
    client.post("/api/v1/auth/logout")
    login("tech2")
    response = client.post(f"/api/v1/tokens/{token_id}/revoke", json={"reason": "not mine"})
    assert response.status_code == 404


def test_login_page_shows_error_and_counts_failure(client, make_user, session):
    make_user("tech1")
    page = client.post("/login", data={"username": "tech1", "password": "wrong password!"})
    assert page.status_code == 401 and b"wrong username or password" in page.data
    assert _user(session, "tech1").failed_logins == 1
    ok = client.post("/login", data={"username": "tech1", "password": PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/dashboard")


def test_pages_redirect_to_login_when_logged_out(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login?next=/dashboard" in response.headers["Location"]


def test_unsafe_next_is_ignored(client, make_user):
    make_user("tech1")
    response = client.post("/login?next=//evil.example/x", data={"username": "tech1", "password": PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")




def test_password_change_checks_the_current_one(client, make_user, login, session):
    make_user("tech1")
    login("tech1")
    wrong = client.post("/api/v1/me/password", json={"current_password": "nope", "new_password": "n" * 14})
    assert wrong.status_code == 401 and _user(session, "tech1").failed_logins == 1
    short = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422 and "at least 12" in short.json["message"]
    same = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": PASSWORD})
    assert same.status_code == 409
    assert client.post("/api/v1/me/password", json={"current_password": PASSWORD,
                                                    "new_password": "a brand new secret"}).status_code == 204
    client.post("/api/v1/auth/logout")
    assert login("tech1").status_code == 401
    assert login("tech1", "a brand new secret").status_code == 200
    [entry] = audit_rows(session, action="user.password_change")
    assert entry["changes"]["password_hash"] == ["<redacted>", "<redacted>"]


def test_admin_resets_a_password_with_a_reason(client, admin, make_user, login):
    user_id = make_user("tech1")
    assert client.post(f"/api/v1/users/{user_id}/password", json={"password": "temporary secret 1"}).status_code == 422
    assert client.post(f"/api/v1/users/{user_id}/password",
                       json={"password": "temporary secret 1", "reason": "forgotten"}).status_code == 204
    client.post("/api/v1/auth/logout")
    assert login("tech1", "temporary secret 1").status_code == 200
    assert client.get("/api/v1/me").json["must_change_password"] is True
