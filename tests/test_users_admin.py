"""User administration through the API: create, roles, deactivate, activate; refusals change nothing."""

import pytest

from app.auth.models import User
from tests.helpers import PASSWORD, audit_rows, count_audit


def _count_users(session) -> int:
    return session.query(User).count()


def test_admin_creates_user_audited_without_password(client, admin, session):
    response = client.post("/api/v1/users", json={"username": "Nurse.Amy", "full_name": "Amy Pond",
                                                  "password": PASSWORD, "roles": ["pharmacist", "clinician"]})
    assert response.status_code == 201
    assert response.json["username"] == "nurse.amy" and response.json["roles"] == ["clinician", "pharmacist"]
    [entry] = audit_rows(session, action="user.create", entity_id=str(response.json["id"]))
    assert entry["actor_username"] == "admin1" and entry["changes"]["roles"] == [None, "clinician,pharmacist"]
    assert entry["changes"]["password_hash"] == ["<redacted>", "<redacted>"]
    assert PASSWORD not in str(entry)


@pytest.mark.parametrize(("body", "field"), [
    ({"username": "x1", "full_name": "X", "password": "short", "roles": ["qa"]}, "password"),
    ({"username": "x1", "full_name": "X", "password": PASSWORD, "roles": ["surgeon"]}, "roles"),
    ({"username": "x1", "full_name": "X", "password": PASSWORD, "roles": []}, "roles"),
    ({"username": "1x", "full_name": "X", "password": PASSWORD, "roles": ["qa"]}, "username"),
    ({"full_name": "X", "password": PASSWORD, "roles": ["qa"]}, "username"),
])
def test_bad_user_input_is_422_and_changes_nothing(client, admin, session, body, field):
    users, entries = _count_users(session), count_audit(session)
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["message"]
    assert _count_users(session) == users and count_audit(session) == entries


def test_duplicate_username_is_409(client, admin, make_user, session):
    make_user("tech1")
    users, entries = _count_users(session), count_audit(session)
    response = client.post("/api/v1/users", json={"username": "TECH1", "full_name": "T", "password": PASSWORD,
                                                  "roles": ["qa"]})
    assert response.status_code == 409 and "already taken" in response.json["message"]
    assert _count_users(session) == users and count_audit(session) == entries


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/api/v1/users", None),
    ("post", "/api/v1/users", {"username": "x1", "full_name": "X", "password": PASSWORD, "roles": ["admin"]}),
    ("put", "/api/v1/users/1/roles", {"roles": ["admin"], "reason": "promote myself"}),
    ("post", "/api/v1/users/1/deactivate", {"reason": "because"}),
    ("get", "/api/v1/audit", None),
])
def test_missing_role_is_403_and_changes_nothing(client, make_user, login, session, method, path, body):
    make_user("tech1")
    login("tech1")
    entries = count_audit(session)
    response = getattr(client, method)(path, json=body)
    assert response.status_code == 403
    assert "needs the role" in response.json["message"]
    assert count_audit(session) == entries
    assert session.query(User).filter_by(username="tech1").one().roles == "technician"


def test_unauthenticated_api_is_401(client):
    response = client.get("/api/v1/users")
    assert response.status_code == 401
    assert response.json == {"code": 401, "status": "Unauthorized", "message": "login required", "errors": {}}


def test_role_change_needs_reason_and_is_audited(client, admin, make_user, session):
    user_id = make_user("tech1")
    entries = count_audit(session)
    missing = client.put(f"/api/v1/users/{user_id}/roles", json={"roles": ["qa"]})
    assert missing.status_code == 422 and "reason" in missing.json["message"]
    assert count_audit(session) == entries
    changed = client.put(f"/api/v1/users/{user_id}/roles", json={"roles": ["qa", "technician"],
                                                                 "reason": "trained for QC review"})
    assert changed.status_code == 200 and changed.json["roles"] == ["qa", "technician"]
    [entry] = audit_rows(session, action="user.roles_change")
    assert entry["changes"] == {"roles": ["technician", "qa,technician"]}
    assert entry["reason"] == "trained for QC review"


def test_admin_cannot_change_own_roles_deactivate_or_reset_self(client, admin, session):
    entries = count_audit(session)
    demote = client.put(f"/api/v1/users/{admin}/roles", json={"roles": ["qa"], "reason": "oops"})
    assert demote.status_code == 409 and "cannot change their own roles" in demote.json["message"]
    promote = client.put(f"/api/v1/users/{admin}/roles", json={"roles": ["admin", "qa"], "reason": "more power"})
    assert promote.status_code == 409 and "cannot change their own roles" in promote.json["message"]
    deactivate = client.post(f"/api/v1/users/{admin}/deactivate", json={"reason": "oops"})
    assert deactivate.status_code == 409 and "own account" in deactivate.json["message"]
    reset = client.post(f"/api/v1/users/{admin}/password", json={"password": "x" * 14, "reason": "oops"})
    assert reset.status_code == 409 and "your own password" in reset.json["message"]
    assert session.get(User, admin).roles == "admin" and count_audit(session) == entries


def test_deactivate_and_reactivate_never_delete(client, admin, make_user, session):
    user_id = make_user("tech1")
    assert client.post(f"/api/v1/users/{user_id}/deactivate", json={"reason": "left"}).json["active"] is False
    again = client.post(f"/api/v1/users/{user_id}/deactivate", json={"reason": "left"})
    assert again.status_code == 409 and "already deactivated" in again.json["message"]
    assert client.post(f"/api/v1/users/{user_id}/activate", json={"reason": "back"}).json["active"] is True
    actions = [e["action"] for e in audit_rows(session, entity_type="users", entity_id=str(user_id))]
    assert actions == ["user.create", "user.deactivate", "user.activate"]
    assert client.get("/api/v1/users").json["total"] == 2


def test_unknown_user_is_404(client, admin):
    response = client.put("/api/v1/users/9999/roles", json={"roles": ["qa"], "reason": "x" * 5})
    assert response.status_code == 404 and "9999" in response.json["message"]


def test_unlock_of_unlocked_user_is_409(client, admin, make_user):
    user_id = make_user("tech1")
    response = client.post(f"/api/v1/users/{user_id}/unlock", json={"reason": "just in case"})
    assert response.status_code == 409 and "not locked" in response.json["message"]


def test_users_page_creates_user_with_csrf_protection(app, client, admin, session):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/users", data={"username": "x1", "full_name": "X", "password": PASSWORD,
                                              "roles": ["qa"]})
        assert refused.status_code == 400 and b"CSRF" in refused.data
        assert session.query(User).filter_by(username="x1").count() == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    created = client.post("/users", data={"username": "x1", "full_name": "X Person", "password": PASSWORD,
                                          "roles": ["qa"]})
    assert created.status_code == 302
    assert session.query(User).filter_by(username="x1").one().full_name == "X Person"


def test_user_page_changes_roles_only_with_reason(client, admin, make_user, login, session):
    user_id = make_user("tech1")
    page = client.post(f"/users/{user_id}/roles", data={"roles": ["qa"], "reason": "new job"})
    assert page.status_code == 302
    assert session.get(User, user_id).roles == "qa"
    refused = client.post(f"/users/{user_id}/roles", data={"roles": ["qa"]})
    assert refused.status_code == 422 and b"reason" in refused.data
