"""Readings typed by hand: in range, out of range (excursion, flags), back in range; history; refusals."""

import datetime as dt

import audit
from app.core.transaction import unit_of_work
from app.extensions import db
from app.monitoring.operations import flag_if_in_excursion
from app.storage.models import Unit
from tests.helpers import audit_rows, count_audit
from tests.monitoring.helpers import counts, excursions, flagged, now, reading
from tests.storage.helpers import boxes


def test_a_reading_in_range_opens_no_excursion(bank, stored, tank, session):
    recorded = reading(bank, tank, "-185.5")
    assert recorded["in_range"] is True and recorded["value_c"] == "-185.5" and recorded["source"] == "manual"
    assert excursions(bank) == []
    listed = bank.client.get(f"/api/v1/temperature-readings?storage_unit_id={tank['id']}").json["items"]
    assert [r["id"] for r in listed] == [recorded["id"]]
    [entry] = audit_rows(session, entity_type="temperature_readings")
    assert entry["action"] == "temperature.reading_manual" and entry["changes"]["value_c"] == [None, "-185.5"]


def test_out_of_range_opens_an_excursion_that_flags_the_stored_units_and_back_in_range_ends_it(bank, stored, tank,
                                                                                             session):
    reading(bank, tank, "-185")
    out = reading(bank, tank, "-140.5")
    assert out["in_range"] is False
    [excursion] = excursions(bank)
    assert excursion["ended_at"] is None and excursion["lowest_c"] == excursion["highest_c"] == "-140.5"
    assert (excursion["min_temp_c"], excursion["max_temp_c"]) == ("-196.0", "-150.0")
    assert flagged(excursion) == {u["id"] for u in stored[:3]}  # the fourth unit is not in the tank
    reading(bank, tank, "-120")
    assert excursions(bank)[0]["highest_c"] == "-120.0" and excursions(bank)[0]["ended_at"] is None
    back = reading(bank, tank, "-170")
    [ended] = excursions(bank)
    assert ended["ended_at"] == back["measured_at"] and (ended["lowest_c"], ended["highest_c"]) == ("-140.5", "-120.0")
    assert [e["action"] for e in audit_rows(session, entity_type="excursions")] == [
        "excursion.open", "excursion.widen", "excursion.end"]
    assert len(audit_rows(session, entity_type="excursion_flags")) == 3
    reading(bank, tank, "-100")
    assert [e["ended_at"] is None for e in excursions(bank)] == [True, False]  # a new excursion, newest first


def test_only_units_in_the_tank_during_the_excursion_are_flagged(bank, stored, tank):
    """Moved out before it: not flagged; there when it started and moved out since: flagged (custody history)."""
    before = bank.post(f"/api/v1/units/{stored[0]['id']}/retrieve", {}, expect=200)
    started = now()
    after = bank.post(f"/api/v1/units/{stored[1]['id']}/retrieve", {}, expect=200)
    bank.post(f"/api/v1/units/{stored[2]['id']}/retrieve", {}, expect=200)
    reading(bank, tank, "-130", at=started)  # recorded late: the tank was already emptied
    reading(bank, tank, "-180")
    [excursion] = excursions(bank)
    assert flagged(excursion) == {after["id"], stored[2]["id"]} and before["id"] not in flagged(excursion)


def test_a_unit_stored_during_an_open_excursion_is_flagged_once(app, bank, stored, tank, session):
    reading(bank, tank, "-140")
    late = stored[3]
    bank.post(f"/api/v1/units/{late['id']}/store", {"box_id": boxes(tank)[1]["id"], "position": "B2"}, expect=200)
    assert flagged(excursions(bank)[0]) == {u["id"] for u in stored}
    me = bank.client.get("/api/v1/me").json
    with app.app_context():
        audit.set_actor(db.session, me["id"], me["username"], "technician")
        with unit_of_work():
            assert flag_if_in_excursion([db.session.get(Unit, late["id"])]) == []  # once per excursion
    reading(bank, tank, "-190")  # the end looks again over the whole span: still one flag each
    assert sorted(f["unit_id"] for f in excursions(bank)[0]["flags"]) == sorted(u["id"] for u in stored)


def test_a_late_out_of_range_reading_extends_an_excursion_backwards(bank, stored, tank):
    first, second, third = (now() - dt.timedelta(minutes=m) for m in (30, 20, 10))
    reading(bank, tank, "-190", at=first)
    reading(bank, tank, "-140", at=third)
    reading(bank, tank, "-135", at=second)
    [excursion] = excursions(bank)
    assert dt.datetime.fromisoformat(excursion["started_at"]) == second and excursion["highest_c"] == "-135.0"
    reading(bank, tank, "-180", at=third + dt.timedelta(minutes=1))
    reading(bank, tank, "-185", at=second + dt.timedelta(minutes=1))  # late and in range: does not split it
    assert len(excursions(bank)) == 1 and excursions(bank)[0]["ended_at"] is not None


def test_duplicate_readings_and_readings_of_other_places_are_refused_and_change_nothing(bank, tank, session):
    at = now()
    reading(bank, tank, "-185", at=at)
    before, audit_before = counts(session), count_audit(session)
    again = reading(bank, tank, "-140", at=at, expect=409)
    assert "LN2-1" in again["message"] and "is already recorded" in again["message"]
    box = reading(bank, boxes(tank)[0], "-140", expect=409)
    assert "is a box: readings are of storage units" in box["message"]
    rack = reading(bank, tank["children"][0], "-140", expect=409)
    assert "is a rack" in rack["message"]
    assert "value_c: at most 1 decimal" in reading(bank, tank, "-140.25", expect=422)["message"]
    assert "in the future" in reading(bank, tank, "-140", at=now() + dt.timedelta(hours=1), expect=422)["message"]
    naive = reading(bank, tank, "-140", at=dt.datetime(2026, 5, 1, 10), expect=422)
    assert naive["message"].startswith("invalid input: measured_at:")
    assert reading(bank, {"id": 999999}, "-140", expect=404)["message"] == "no storage location with id 999999"
    assert counts(session) == before and count_audit(session) == audit_before


def test_only_technicians_and_qa_record_readings(bank, tank, session):
    bank.as_user("admin1")
    assert reading(bank, tank, "-185", expect=403)["message"] == "this needs the role technician or qa"
    bank.client.post("/api/v1/auth/logout")
    assert reading(bank, tank, "-185", expect=401)["code"] == 401
    assert bank.client.get("/api/v1/excursions").status_code == 401
    assert counts(session) == (0, 0, 0)
