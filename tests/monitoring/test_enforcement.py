"""Excursion flags in the storage workflows: units arriving during an excursion are flagged, flagged units stay put."""

from sqlalchemy import func, select

from app.monitoring.models import ExcursionFlag
from app.shipments.models import Shipment
from app.storage.models import Unit
from tests.helpers import PASSWORD, count_audit
from tests.monitoring.helpers import excursions, reading
from tests.storage.helpers import BOX, boxes


def _open_flags(session) -> set[int]:
    return set(session.scalars(select(ExcursionFlag.unit_id).where(ExcursionFlag.closed_at.is_(None))))


def _second_tank(bank, tank) -> dict:
    """An empty tank beside the first, in the same room, created by admin1; then tech1 is logged in again."""
    bank.as_user("admin1")
    made = bank.post("/api/v1/storage/templates/tank", {"room_id": tank["parent_id"], "name": "LN2-2", "racks": 1,
                                                        "boxes_per_rack": 1, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": BOX})
    bank.as_user("tech1")
    return made


def test_a_unit_stored_during_an_excursion_is_flagged_and_shown_on_the_box_map(bank, units, tank, session):
    box = boxes(tank)[0]
    reading(bank, tank, "-120")
    assert _open_flags(session) == set()  # nothing stored yet
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "B2"}, expect=200)
    assert _open_flags(session) == {units[0]["id"]}
    cells = {c["label"]: c for c in bank.client.get(f"/api/v1/storage/locations/{box['id']}/map").json["cells"]}
    assert cells["B2"]["flagged"] is True and cells["B2"]["status"] == "occupied"
    assert cells["A1"]["flagged"] is False
    page = bank.client.get(f"/storage/boxes/{box['id']}").data.decode()
    assert 'class="cell occupied flagged"' in page


def test_a_unit_stored_after_the_excursion_ended_is_not_flagged(bank, units, tank, session):
    reading(bank, tank, "-120")
    reading(bank, tank, "-190")
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    assert _open_flags(session) == set()


def test_moving_a_unit_or_evacuating_into_a_tank_in_excursion_flags_what_arrives(bank, units, tank, session):
    other = _second_tank(bank, tank)
    other_box = other["children"][0]["children"][0]
    for unit in units[:3]:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    bank.post(f"/api/v1/units/{units[3]['id']}/store", {"box_id": other_box["id"]}, expect=200)
    reading(bank, other, "-100")
    assert _open_flags(session) == {units[3]["id"]}
    bank.post(f"/api/v1/units/{units[0]['id']}/move", {"box_id": other_box["id"]}, expect=200)
    assert _open_flags(session) == {units[3]["id"], units[0]["id"]}
    bank.post(f"/api/v1/storage/locations/{tank['id']}/evacuate", {"target_id": other["id"]}, expect=200)
    assert _open_flags(session) == {unit["id"] for unit in units}
    assert len(excursions(bank)[0]["flags"]) == 4


def test_a_flagged_unit_is_not_dispatched_or_thawed_until_qa_assesses_it(bank, released_units, tank, session):
    unit = released_units[0]
    bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    reading(bank, tank, "-110")
    bank.post(f"/api/v1/units/{unit['id']}/retrieve", {}, expect=200)
    before = count_audit(session), session.scalar(select(func.count()).select_from(Shipment))
    for url, body in ((f"/api/v1/units/{unit['id']}/dispatch", {"destination": "Pharmacy", "shipper": "DS-1"}),
                      ("/api/v1/shipments", {"unit_ids": [unit["id"]], "destination": "Pharmacy", "shipper": "DS-1"}),
                      (f"/api/v1/units/{unit['id']}/thaw", {})):
        response = bank.client.post(url, json=body)
        assert response.status_code == 409, (url, response.json)
        assert f"unit {unit['barcode']} is flagged by excursion" in response.json["message"]
        assert "is not allowed until QA assesses it" in response.json["message"]
        assert (count_audit(session), session.scalar(select(func.count()).select_from(Shipment))) == before
        assert session.get(Unit, unit["id"]).state == "in_storage"
    reading(bank, tank, "-185")
    flag = excursions(bank)[0]["flags"][0]
    qa = bank.as_user("qa1")
    closed = qa.client.post(f"/api/v1/excursion-flags/{flag['id']}/close",
                            json={"password": PASSWORD, "assessment": "short excursion, vapour phase below -130 °C"})
    assert closed.status_code == 200, closed.json
    bank.as_user("tech1")
    shipment = bank.post(f"/api/v1/units/{unit['id']}/dispatch", {"destination": "Pharmacy", "shipper": "DS-1"})
    assert shipment["items"][0]["unit_id"] == unit["id"]
    thawed = bank.post(f"/api/v1/units/{released_units[1]['id']}/thaw", {}, expect=200)
    assert thawed["state"] == "thawed"
