"""Separation of duties: a password an administrator set must be changed first; administrators keep each other
honest (no change of their own account, at least one always remains)."""

import pytest

import audit
from app.auth import operations
from app.auth.models import User
from app.core.errors import Forbidden, RuleViolation
from app.core.transaction import unit_of_work
from app.extensions import db
from app.signatures.models import Signature
from tests.helpers import count_audit

TEMPORARY = "temporary password 1"


@pytest.fixture
def newcomer(client, admin, make_user):
    """A QA account created by admin1 through the API with a password admin1 chose; its owner logged in."""
    target = make_user("tech1")
    created = client.post("/api/v1/users", json={"username": "qa7", "full_name": "Quentin Seven",
                                                 "password": TEMPORARY, "roles": ["qa"]})
    assert created.status_code == 201 and created.json["must_change_password"] is True
    client.post("/api/v1/auth/logout")
    assert client.post("/api/v1/auth/login", json={"username": "qa7", "password": TEMPORARY}).status_code == 200
    return {"id": created.json["id"], "target": target}


def test_a_password_set_by_an_admin_allows_nothing_but_changing_it(client, newcomer, session):
    entries = count_audit(session)
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json["must_change_password"] is True
    for method, url, body in (("get", "/api/v1/lots", None), ("post", "/api/v1/tokens", {"name": "script"}),
                              ("post", "/api/v1/signatures", {"record_type": "users", "record_id": newcomer["target"],
                                                              "meaning": "access reviewed", "password": TEMPORARY})):
        refused = getattr(client, method)(url, json=body)
        assert refused.status_code == 403, url
        assert refused.json["message"] == ("change the password an administrator set for you before doing anything "
                                           "else (POST /api/v1/me/password)")
    page = client.get("/lots")
    assert page.status_code == 302 and page.headers["Location"].endswith("/me/password")
    assert client.get("/me/password").status_code == 200
    assert session.query(Signature).count() == 0 and count_audit(session) == entries


def test_after_changing_it_the_owner_works_normally(client, newcomer, session):
    changed = client.post("/api/v1/me/password", json={"current_password": TEMPORARY, "new_password": "my own secret"})
    assert changed.status_code == 204
    assert client.get("/api/v1/me").json["must_change_password"] is False
    assert client.get("/api/v1/lots").status_code == 200
    signed = client.post("/api/v1/signatures", json={"record_type": "users", "record_id": newcomer["target"],
                                                     "meaning": "access reviewed", "password": "my own secret"})
    assert signed.status_code == 201


def test_the_password_page_changes_it_and_lets_the_owner_in(client, newcomer):
    changed = client.post("/me/password", data={"current_password": TEMPORARY, "new_password": "my own secret"})
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/dashboard")
    assert client.get("/lots").status_code == 200


def test_a_password_reset_by_an_admin_must_be_changed_too(client, admin, make_user, login):
    user_id = make_user("tech1")
    assert client.post(f"/api/v1/users/{user_id}/password",
                       json={"password": TEMPORARY, "reason": "forgotten"}).status_code == 204
    client.post("/api/v1/auth/logout")
    assert login("tech1", TEMPORARY).status_code == 200
    assert client.get("/api/v1/lots").status_code == 403


def test_signing_refuses_a_temporary_password_even_without_the_request_gate(app, newcomer, session):
    """The operation itself refuses too: a path that skipped the gate could still not sign."""
    from app.signatures.operations import sign

    with app.app_context():
        audit.set_actor(db.session, None, "test")
        signer, target = db.session.get(User, newcomer["id"]), db.session.get(User, newcomer["target"])
        with pytest.raises(Forbidden, match="cannot sign"):
            sign(signer, TEMPORARY, "access reviewed", target)
        db.session.rollback()


def _as_admin_operation(app, change):
    with app.app_context():
        audit.set_actor(db.session, None, "test")
        with unit_of_work():
            change()


def test_an_actor_who_is_no_longer_an_admin_cannot_demote_the_others(app, client, make_user, session):
    boss, former = make_user("boss", roles=["admin"]), make_user("former", roles=["qa"])
    entries = count_audit(session)
    with pytest.raises(RuleViolation, match="former is no longer an active administrator"):
        _as_admin_operation(app, lambda: operations.set_roles(operations.get_user(former), operations.get_user(boss),
                                                              ["qa"], "taking over"))
    with pytest.raises(RuleViolation, match="no longer an active administrator"):
        _as_admin_operation(app, lambda: operations.deactivate(operations.get_user(former), operations.get_user(boss),
                                                               "taking over"))
    assert session.get(User, boss).roles == "admin" and session.get(User, boss).active
    assert count_audit(session) == entries


def test_two_admins_each_remain_able_to_demote_the_other_one_at_a_time(client, admin, make_user, login, session):
    other = make_user("admin2", roles=["admin"])
    demoted = client.put(f"/api/v1/users/{other}/roles", json={"roles": ["qa"], "reason": "moved to QA"})
    assert demoted.status_code == 200
    client.post("/api/v1/auth/logout")
    login("admin2")
    refused = client.put(f"/api/v1/users/{admin}/roles", json={"roles": ["qa"], "reason": "revenge"})
    assert refused.status_code == 403  # admin2 is no admin any more
    assert session.get(User, admin).roles == "admin"
