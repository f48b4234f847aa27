"""Electronic signatures: password re-checked, meaning, printed name, content hash, change detection."""

import hashlib

from app.auth.models import User
from app.signatures.models import Signature
from audit.canonical import dumps
from tests.helpers import PASSWORD, audit_rows, count_audit


def _sign(client, user_id, password=PASSWORD, meaning="access reviewed"):
    return client.post("/api/v1/signatures", json={"record_type": "users", "record_id": user_id,
                                                   "meaning": meaning, "password": password})


def test_signature_records_signer_meaning_time_and_content_hash(client, make_user, login, session):
    target = make_user("tech1")
    make_user("qa1", roles=["qa"], full_name="Quinn Assurance")
    login("qa1")
    response = _sign(client, target)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["printed_name"] == "Quinn Assurance" and body["meaning"] == "access reviewed"
    assert body["record_type"] == "users" and body["record_id"] == target and body["signed_at"].endswith("+00:00")
    user = session.get(User, target)
    expected = hashlib.sha256(dumps({"username": "tech1", "full_name": user.full_name, "roles": "technician",
                                     "active": True})).hexdigest()
    assert body["content_hash"] == expected
    [entry] = audit_rows(session, action="signature.access_reviewed")
    assert entry["entity_type"] == "signatures" and entry["actor_username"] == "qa1"


def test_signature_shows_when_content_changed_since(client, make_user, login, session):
    target = make_user("tech1")
    make_user("boss", roles=["admin"])
    login("boss")
    assert _sign(client, target, meaning="access approved").status_code == 201
    listed = client.get(f"/api/v1/signatures?record_type=users&record_id={target}").json
    assert [s["content_changed"] for s in listed] == [False]
    client.put(f"/api/v1/users/{target}/roles", json={"roles": ["qa"], "reason": "moved to QA"})
    listed = client.get(f"/api/v1/signatures?record_type=users&record_id={target}").json
    assert [s["content_changed"] for s in listed] == [True]
    page = client.get(f"/users/{target}")
    assert b"changed since signing" in page.data and b"access approved" in page.data


def test_wrong_password_signs_nothing_counts_toward_lockout(client, make_user, login, session):
    target = make_user("tech1")
    make_user("qa1", roles=["qa"])
    login("qa1")
    entries = count_audit(session)
    response = _sign(client, target, password="not my password")
    assert response.status_code == 401 and "signature refused" in response.json["message"]
    assert session.query(Signature).count() == 0
    signer = session.query(User).filter_by(username="qa1").one()
    assert signer.failed_logins == 1
    assert [e["action"] for e in audit_rows(session)][entries:] == ["auth.signature_failed"]
    for _ in range(4):
        _sign(client, target, password="not my password")
    session.expire_all()
    assert signer.locked
    assert client.get("/api/v1/me").status_code == 401  # a locked user's session ends


def test_meaning_must_be_allowed_for_the_record(client, make_user, login, session):
    target = make_user("tech1")
    make_user("qa1", roles=["qa"])
    login("qa1")
    response = _sign(client, target, meaning="released for clinical use")
    assert response.status_code == 422 and "can be signed here only as" in response.json["message"]
    assert session.query(Signature).count() == 0


def test_signer_needs_a_signing_role(client, make_user, login, session):
    target = make_user("tech1")
    make_user("pharm", roles=["pharmacist"])
    login("pharm")
    entries = count_audit(session)
    response = _sign(client, target)
    assert response.status_code == 403 and "needs the role" in response.json["message"]
    assert session.query(Signature).count() == 0 and count_audit(session) == entries


def test_unknown_record_type_or_id(client, make_user, login):
    make_user("qa1", roles=["qa"])
    login("qa1")
    bad_type = client.post("/api/v1/signatures", json={"record_type": "audit_log", "record_id": 1,
                                                       "meaning": "x", "password": PASSWORD})
    assert bad_type.status_code == 422 and "cannot be signed" in bad_type.json["message"]
    assert _sign(client, 9999).status_code == 404


def test_signing_from_the_page(client, make_user, login, session):
    target = make_user("tech1")
    make_user("qa1", roles=["qa", "admin"])
    login("qa1")
    wrong = client.post(f"/users/{target}/sign", data={"meaning": "access reviewed", "password": "nope nope nope"})
    assert wrong.status_code == 401 and b"signature refused" in wrong.data
    ok = client.post(f"/users/{target}/sign", data={"meaning": "access reviewed", "password": PASSWORD})
    assert ok.status_code == 302
    assert session.query(Signature).filter_by(record_id=target).count() == 1
