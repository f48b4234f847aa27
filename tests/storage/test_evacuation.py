"""Whole-box moves, and evacuating a tank of 1,000 units: all or nothing, each unit with its own custody event."""

import pytest
from sqlalchemy import func, select

import audit
from app.core.transaction import unit_of_work
from app.custody.models import CustodyEvent
from app.extensions import db
from app.lots.operations import get_lot
from app.storage import evacuation, locations, operations
from app.storage.models import StorageLocation
from tests.helpers import count_audit
from tests.storage.helpers import boxes

BIG_BOX = {"rows": 10, "columns": 10}


def _moved_events(session) -> int:
    return session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.event_type == "moved"))


def test_box_move_gives_each_unit_a_custody_event(bank, tank, units, session):
    first_box, rack2 = boxes(tank)[0], tank["children"][1]
    for unit in units[:2]:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": first_box["id"]}, expect=200)
    moved = bank.post(f"/api/v1/storage/locations/{first_box['id']}/move", {"rack_id": rack2["id"]}, expect=200)
    assert moved["parent_id"] == rack2["id"]
    chain = bank.client.get(f"/api/v1/units/{units[0]['id']}/custody").json
    assert chain[-1]["event_type"] == "moved" and "moved to" in chain[-1]["manual_reason"]
    assert _moved_events(session) == 2


@pytest.fixture
def full_tank(app, bank, drug_product):
    """A second room's tank of 2 racks × 5 boxes of 10 × 10 holding 1,000 units, and an empty target tank."""
    user_id = bank.client.get("/api/v1/me").json["id"]
    with app.app_context():
        from app.auth.models import User

        actor = db.session.get(User, user_id)
        audit.set_actor(db.session, actor.id, actor.username, actor.roles)
        with unit_of_work():
            site = locations.create_location(None, "site", "Site B")
            room = locations.create_location(site, "room", "Room B")
            source = locations.create_tank(room, "LN2-B", 2, 5, BIG_BOX, unit_type="ln2_vapour")
            target = locations.create_tank(room, "LN2-C", 1, 1, BIG_BOX, unit_type="ln2_vapour")
            made = []
            for lot_id in (drug_product["id"], bank.lots["mcb"]["id"]):
                made += operations.create_units(get_lot(lot_id), actor, 500, "cryovial", 1, 1000)
            box_ids = db.session.scalars(select(StorageLocation.id).where(StorageLocation.kind == "box",
                                                                          StorageLocation.name.like("LN2-B%"))).all()
            for index, unit in enumerate(made):
                operations.store(unit, locations.get_location(box_ids[index // 100]), actor)
        return {"source": source.id, "target": target.id}


def test_evacuating_1000_units_is_atomic(bank, full_tank, session, monkeypatch):
    url = f"/api/v1/storage/locations/{full_tank['source']}/evacuate"
    before_audit, before_moves = count_audit(session), _moved_events(session)
    record, calls = evacuation.custody.record, []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) == 500:
            raise RuntimeError("disk full halfway through the evacuation")
        return record(*args, **kwargs)

    monkeypatch.setattr(evacuation.custody, "record", failing_record)
    with pytest.raises(RuntimeError, match="halfway"):
        bank.client.post(url, json={"target_id": full_tank["target"]})
    session.expire_all()
    racks = session.scalars(select(StorageLocation.parent_id).where(StorageLocation.name.like("LN2-B rack%"))).all()
    assert set(racks) == {full_tank["source"]}
    assert count_audit(session) == before_audit and _moved_events(session) == before_moves

    monkeypatch.setattr(evacuation.custody, "record", record)
    moved = bank.post(url, {"target_id": full_tank["target"]}, expect=200)
    assert len(moved) == 1000
    assert _moved_events(session) == before_moves + 1000
    racks = session.scalars(select(StorageLocation.parent_id).where(StorageLocation.name.like("LN2-B rack%"))).all()
    assert set(racks) == {full_tank["target"]}
