"""Storage actions from the pages by scanning: retrieve, move, destroy with a reason, move a box, block a position,
locations and a tank from a template; a wrong scan is refused and changes nothing."""

from app.storage.models import BlockedPosition, StorageLocation, Unit
from tests.helpers import count_audit
from tests.storage.helpers import boxes


def stored(bank, unit, box):
    bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": box["id"]}, expect=200)


def test_retrieve_needs_the_unit_itself_scanned(bank, tank, units, session):
    stored(bank, units[0], boxes(tank)[0])
    before = count_audit(session)
    wrong = bank.client.post(f"/units/{units[0]['id']}/retrieve", data={"code": units[1]["barcode"]})
    assert wrong.status_code == 409 and b"scan the unit in your hand" in wrong.data
    assert session.get(Unit, units[0]["id"]).box_id is not None and count_audit(session) == before
    done = bank.client.post(f"/units/{units[0]['id']}/retrieve", data={"code": units[0]["barcode"]})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Unit, units[0]["id"]).box_id is None


def test_move_by_scanning_a_position(bank, tank, units, session):
    first, second = boxes(tank)[:2]
    stored(bank, units[0], first)
    moved = bank.client.post(f"/units/{units[0]['id']}/move", data={"target": f"{second['barcode']}/B2"})
    assert moved.status_code == 302
    session.expire_all()
    unit = session.get(Unit, units[0]["id"])
    assert (unit.box_id, unit.row, unit.col) == (second["id"], 2, 2)
    page = bank.client.get(f"/units/{units[0]['id']}").data.decode()
    assert "Retrieve: scan the unit" in page and "Move: scan the target box or position" in page


def test_a_whole_box_moves_by_scanning_the_rack_it_goes_into(bank, tank, units, session):
    """The box page moves a box with its vials: the rack is scanned; a scan of anything else is refused in words and
    moves nothing."""
    first = boxes(tank)[0]
    stored(bank, units[0], first)
    racks = tank["children"]
    assert len(racks) >= 2, "the tank fixture has one rack"
    entries = count_audit(session)
    refused = bank.client.post(f"/storage/boxes/{first['id']}/move", data={"rack": units[0]["barcode"]})
    assert refused.status_code == 422 and "scan the rack the box goes into" in refused.get_data(as_text=True)
    assert count_audit(session) == entries
    moved = bank.client.post(f"/storage/boxes/{first['id']}/move", data={"rack": racks[1]["barcode"]})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"/storage/boxes/{first['id']}")
    session.expire_all()
    assert session.get(StorageLocation, first["id"]).parent_id == racks[1]["id"]
    unit = session.get(Unit, units[0]["id"])
    assert unit.box_id == first["id"]  # the vial travelled with its box
    page = bank.client.get(f"/storage/boxes/{first['id']}").get_data(as_text=True)
    assert "moved" in page and racks[1]["name"] in page


def test_destroy_needs_a_reason_and_the_unit_scanned(bank, units, session):
    before = count_audit(session)
    refused = bank.client.post(f"/units/{units[0]['id']}/destroy", data={"code": units[0]["barcode"], "reason": ""})
    assert refused.status_code == 422 and session.get(Unit, units[0]["id"]).state != "destroyed"
    assert count_audit(session) == before
    done = bank.client.post(f"/units/{units[0]['id']}/destroy",
                            data={"code": units[0]["barcode"], "reason": "cap cracked on retrieval"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Unit, units[0]["id"]).state == "destroyed"


def test_admin_blocks_a_position_and_builds_a_tank_from_a_template(bank, tank, session):
    box = boxes(tank)[0]
    bank.as_user("admin1")
    assert bank.client.post(f"/storage/boxes/{box['id']}/block",
                            data={"position": "C3", "reason": "cracked slot"}).status_code == 302
    assert session.query(BlockedPosition).filter_by(box_id=box["id"], row=3, col=3).count() == 1
    room = session.query(StorageLocation).filter_by(kind="room").first()
    made = bank.client.post("/storage/tanks", data={"room_id": room.id, "name": "LN2-T", "unit_type": "ln2_vapour",
                                                    "racks": "2", "boxes_per_rack": "3", "rows": "9",
                                                    "columns": "9"})
    assert made.status_code == 302
    tank_row = session.query(StorageLocation).filter_by(name="LN2-T").one()
    racks = session.query(StorageLocation).filter_by(parent_id=tank_row.id).all()
    assert len(racks) == 2
    assert session.query(StorageLocation).filter(StorageLocation.parent_id.in_([r.id for r in racks])).count() == 6
    assert bank.client.post("/storage/locations", data={"parent_id": room.id, "kind": "storage_unit",
                                                        "name": "Freezer 1", "unit_type": "freezer_-80"}
                            ).status_code == 302
    page = bank.client.get("/storage").data.decode()
    assert "Freezer 1" in page and "Add a tank from a template" in page


def test_a_technician_may_not_configure_storage(bank, tank, session):
    box = boxes(tank)[0]
    refused = bank.as_user("tech1").client.post(f"/storage/boxes/{box['id']}/block",
                                                data={"position": "C3", "reason": "cracked slot"})
    assert refused.status_code == 403
    assert session.query(BlockedPosition).count() == 0
