"""Reading the trail: filters, pagination, the verify endpoint and the page."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests.helpers import count_audit


def _setup(client, make_user, login):
    tech = make_user("tech1")
    make_user("qa1", roles=["qa"])
    login("tech1")
    client.post("/api/v1/auth/logout")
    login("qa1")
    return tech


def test_filter_by_entity_user_action(client, make_user, login):
    tech = _setup(client, make_user, login)
    by_entity = client.get(f"/api/v1/audit?entity_type=users&entity_id={tech}").json
    assert {e["action"] for e in by_entity["items"]} == {"user.create", "auth.login", "auth.logout"}
    by_user = client.get("/api/v1/audit?user=tech1").json
    assert {e["action"] for e in by_user["items"]} == {"auth.login", "auth.logout"}
    by_action = client.get("/api/v1/audit?action=auth.login").json
    assert [e["actor_username"] for e in by_action["items"]] == ["qa1", "tech1"]  # newest first
    login_entry = by_action["items"][1]
    assert login_entry["changes"]["last_login_at"][0] is None and login_entry["changes"]["last_login_at"][1]
    assert len(login_entry["entry_hash"]) == 64 and len(login_entry["prev_hash"]) == 64


def test_filter_by_time_range_and_paginate(client, make_user, login):
    _setup(client, make_user, login)
    total = client.get("/api/v1/audit").json["total"]
    now = dt.datetime.now(dt.UTC)
    future = (now + dt.timedelta(hours=1)).isoformat()
    past = (now - dt.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/audit", query_string={"since": future}).json["total"] == 0
    assert client.get("/api/v1/audit", query_string={"since": past, "until": future}).json["total"] == total
    page1 = client.get("/api/v1/audit?per_page=2&page=1").json
    page2 = client.get("/api/v1/audit?per_page=2&page=2").json
    assert len(page1["items"]) == 2 and page1["total"] == total
    assert page1["items"][-1]["seq"] == page2["items"][0]["seq"] + 1


def test_bad_filter_is_422(client, make_user, login):
    _setup(client, make_user, login)
    response = client.get("/api/v1/audit?since=yesterday&per_page=0")
    assert response.status_code == 422
    assert "since" in response.json["message"] and "per_page" in response.json["message"]


def test_verify_endpoint(client, make_user, login, session):
    _setup(client, make_user, login)
    verdict = client.get("/api/v1/audit/verify").json
    assert verdict["ok"] is True and verdict["first_bad_seq"] is None
    assert verdict["entries"] == verdict["head_seq"] == count_audit(session)


def test_audit_page_shows_old_and_new_values(client, make_user, login):
    tech = _setup(client, make_user, login)
    client.post("/api/v1/auth/logout")
    make_user("boss", roles=["admin"])
    login("boss")
    client.put(f"/api/v1/users/{tech}/roles", json={"roles": ["qa"], "reason": "moved to QA"})
    page = client.get(f"/audit?entity_type=users&entity_id={tech}&action=user.roles_change")
    assert page.status_code == 200
    html = page.data.decode()
    assert 'class="old">technician</span> → <span class="new">qa</span>' in html
    assert "moved to QA" in html and "1 entries" in html
    local = client.get("/audit?since=2000-01-01T00:00").data.decode()
    assert "auth.login" in local


def test_audit_page_is_for_qa_and_admin_only(client, make_user, login):
    make_user("tech1")
    login("tech1")
    assert client.get("/audit").status_code == 403


def test_audit_page_shows_times_in_the_site_zone(app, client, make_user, login):
    _setup(client, make_user, login)
    html = client.get("/audit").data.decode()
    zone = "CET" if dt.datetime.now(ZoneInfo(app.config["TIMEZONE"])).dst() == dt.timedelta(0) else "CEST"
    assert f" {zone}</time>" in html and 'datetime="20' in html
