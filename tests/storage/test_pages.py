"""Storage pages through HTTP: tree, box map, unit with its custody timeline, and scanner-driven placement."""

import re

from app.custody.models import CustodyEvent
from app.storage.models import Unit
from tests.helpers import count_audit
from tests.storage.helpers import boxes


def scan(client, code: str, box_id="", position=""):
    """Submit one scan as the placement page does: the code plus the state the page carried in hidden fields."""
    return client.post("/storage/place", data={"scan": code, "box_id": box_id, "position": position})


def cell(page: str, label: str) -> str:
    """The class and contents of one cell of a drawn box map."""
    match = re.search(rf'<td id="cell-{label}"[^>]*class="([^"]*)"[^>]*>(.*?)</td>', page, re.S)
    assert match, f"no cell {label} on the page"
    return match.group(1) + " | " + match.group(2)


def test_scanning_a_box_then_units_stores_them_in_fill_order(bank, tank, units, session):
    box = boxes(tank)[0]
    first = scan(bank.client, box["barcode"])
    assert first.status_code == 302 and first.location.endswith(f"/storage/place?box={box['id']}")
    page = bank.client.get(first.location).data.decode()
    assert f'name="box_id" type="hidden" value="{box["id"]}"' in page and "autofocus" in page
    assert f"Box {box['name']} selected" in page
    for unit in units[:3]:
        stored = scan(bank.client, unit["barcode"], box["id"])
        assert stored.status_code == 302, stored.data
    page = bank.client.get(stored.location).data.decode()
    assert f"DP-0001-C0 → {box['name']}, A3" in page
    placed = {u.barcode: (u.box_id, u.row, u.col) for u in session.query(Unit).filter(Unit.box_id.is_not(None))}
    assert placed == {"DP-0001-A0": (box["id"], 1, 1), "DP-0001-B0": (box["id"], 1, 2),
                      "DP-0001-C0": (box["id"], 1, 3)}
    events = session.query(CustodyEvent).filter_by(unit_id=units[0]["id"]).order_by(CustodyEvent.sequence).all()
    assert [(e.event_type, e.to_place, e.confirmation) for e in events] == [
        ("created", "lab", "scan"), ("stored", f"box:{box['id']}:1:1", "scan")]


def test_a_scanned_position_chooses_where_the_next_unit_goes(bank, tank, units, session):
    box = boxes(tank)[1]
    chosen = scan(bank.client, f"{box['barcode']}/b3")
    assert chosen.status_code == 302 and chosen.location.endswith(f"box={box['id']}&position=B3")
    page = bank.client.get(chosen.location).data.decode()
    assert "position B3 for the next unit" in page and "chosen" in cell(page, "B3")
    assert scan(bank.client, units[0]["barcode"], box["id"], "B3").status_code == 302
    assert scan(bank.client, units[1]["barcode"], box["id"]).status_code == 302
    session.expire_all()
    assert (session.get(Unit, units[0]["id"]).row, session.get(Unit, units[0]["id"]).col) == (2, 3)
    assert (session.get(Unit, units[1]["id"]).row, session.get(Unit, units[1]["id"]).col) == (1, 1)


def test_placement_into_an_occupied_position_is_409_on_the_page_and_changes_nothing(bank, tank, units, session):
    box = boxes(tank)[0]
    assert scan(bank.client, units[0]["barcode"], box["id"], "A1").status_code == 302
    before = count_audit(session)
    refused = scan(bank.client, units[1]["barcode"], box["id"], "A1")
    page = refused.data.decode()
    assert refused.status_code == 409
    assert "position A1 of" in page and "is occupied by DP-0001-A0" in page and 'id="place-error"' in page
    assert f'name="box_id" type="hidden" value="{box["id"]}"' in page
    assert 'name="position" type="hidden" value=""' in page  # the refused position is cleared for the next scan
    assert re.search(r'<input [^>]*autofocus [^>]*name="scan" [^>]*value="">', page)
    assert session.get(Unit, units[1]["id"]).box_id is None and count_audit(session) == before
    assert session.query(CustodyEvent).filter_by(unit_id=units[1]["id"]).count() == 1


def test_a_vial_already_stored_is_offered_a_move_in_words(bank, tank, units, session):
    first, second = boxes(tank)[:2]
    assert scan(bank.client, units[0]["barcode"], first["id"]).status_code == 302
    refused = scan(bank.client, units[0]["barcode"], second["id"])
    page = refused.data.decode()
    assert refused.status_code == 409
    assert f"{units[0]['barcode']} is already stored in {first['name']}, A1" in page
    assert f"Move {units[0]['barcode']} to {second['name']}" in page
    moved = bank.client.post(f"/units/{units[0]['id']}/move", data={"target": second["barcode"]})
    assert moved.status_code == 302
    session.expire_all()
    assert session.get(Unit, units[0]["id"]).box_id == second["id"]


def test_placement_into_a_blocked_position_is_409_and_changes_nothing(bank, tank, units, session):
    box = boxes(tank)[0]
    bank.as_user("admin1").post(f"/api/v1/storage/locations/{box['id']}/blocked-positions",
                                {"position": "C2", "reason": "cracked slot"})
    bank.as_user("tech1")
    before = count_audit(session)
    refused = scan(bank.client, units[0]["barcode"], box["id"], "C2")
    assert refused.status_code == 409 and "C2 of" in refused.data.decode() and "is blocked" in refused.data.decode()
    assert session.get(Unit, units[0]["id"]).box_id is None and count_audit(session) == before
    assert "blocked" in cell(bank.client.get(f"/storage/boxes/{box['id']}").data.decode(), "C2")


def test_refused_scans_keep_the_state_and_answer_their_status(bank, tank, units, session):
    box = boxes(tank)[0]
    unknown = scan(bank.client, "NO-SUCH-CODE", box["id"])
    assert unknown.status_code == 404 and "NO-SUCH-CODE" in unknown.data.decode()
    assert f'value="{box["id"]}"' in unknown.data.decode()
    no_box = scan(bank.client, units[0]["barcode"])
    assert no_box.status_code == 422 and "scan a box before the unit DP-0001-A0" in no_box.data.decode()
    rack = scan(bank.client, tank["children"][0]["barcode"], box["id"])
    assert rack.status_code == 422 and "is a rack" in rack.data.decode()
    empty = scan(bank.client, "  ", box["id"])
    assert empty.status_code == 422 and 'id="place-error"' in empty.data.decode()
    assert scan(bank.client, units[0]["barcode"], box["id"]).status_code == 302
    again = scan(bank.client, units[0]["barcode"], box["id"])
    assert again.status_code == 409 and "not in hand in the lab" in again.data.decode()
    assert session.query(CustodyEvent).filter_by(unit_id=units[0]["id"]).count() == 2


def test_placement_needs_a_handler_and_a_login(bank, tank, units, session):
    box = boxes(tank)[0]
    bank.as_user("admin1")
    assert bank.client.get("/storage/place").status_code == 403
    assert scan(bank.client, units[0]["barcode"], box["id"]).status_code == 403
    bank.client.post("/api/v1/auth/logout")
    assert bank.client.get("/storage/place").status_code == 302
    assert session.get(Unit, units[0]["id"]).box_id is None


def test_box_map_draws_the_grid_with_labels_and_links(bank, tank, units):
    box = boxes(tank)[0]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "B2"}, expect=200)
    response = bank.client.get(f"/storage/boxes/{box['id']}")
    page = response.data.decode()
    assert response.status_code == 200 and box["name"] in page and "LN2-1" in page
    assert re.findall(r'<th scope="col">(\w+)</th>', page) == ["1", "2", "3"]
    assert re.findall(r'<th scope="row">(\w+)</th>', page) == ["A", "B", "C"]
    assert len(re.findall(r'<td id="cell-', page)) == 9
    occupied = cell(page, "B2")
    assert "occupied" in occupied and f'href="/units/{units[0]["id"]}"' in occupied and "DP-0001-A0" in occupied
    assert cell(page, "A1").startswith("cell free") and "free" in cell(page, "A1").split("|")[1]
    assert bank.client.get(f"/storage/boxes/{tank['children'][0]['id']}").status_code == 409
    assert bank.client.get("/storage/boxes/999999").status_code == 404


def test_tree_opens_one_level_at_a_time_down_to_links_to_box_maps(bank, tank, units):
    box = boxes(tank)[3]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"]}, expect=200)
    page = bank.client.get("/storage").data.decode()
    assert "<strong>CHU Rennes</strong>" in page and "Cell therapy unit, room 2" not in page
    room_id = tank["parent_id"]
    page = bank.client.get(f"/storage?parent_id={room_id}").data.decode()
    assert "<strong>LN2-1</strong>" in page and "2 inside" in page and "LN2-1 rack 1" not in page
    assert re.search(r'All sites</a>\s*› <a href="/storage\?parent_id=\d+">CHU Rennes</a> › <strong>Cell therapy', page)
    page = bank.client.get(f"/storage?parent_id={tank['id']}").data.decode()
    assert "<strong>LN2-1 rack 1</strong>" in page and "<strong>LN2-1 rack 2</strong>" in page
    rack2 = tank["children"][1]
    page = bank.client.get(f"/storage?parent_id={rack2['id']}").data.decode()
    links = re.findall(r'href="/storage/boxes/(\d+)">([^<]+)</a>', page)
    assert links == [(str(b["id"]), b["name"]) for b in rack2["children"]]
    assert "1/9 occupied" in page and page.count("0/9 occupied") == 1
    box_page = bank.client.get(f"/storage/boxes/{box['id']}").data.decode()
    assert f'href="/storage?parent_id={rack2["id"]}">LN2-1 rack 2</a>' in box_page


def test_tree_pages_a_long_level_and_refuses_a_bad_page(bank, tank):
    first = bank.client.get(f"/storage?parent_id={tank['id']}&per_page=1").data.decode()
    assert "LN2-1 rack 1" in first and "LN2-1 rack 2" not in first and "2 locations, page 1 of 2" in first
    assert 'rel="next" href="/storage?parent_id=' in first and "page=2" in first
    second = bank.client.get(f"/storage?parent_id={tank['id']}&per_page=1&page=2").data.decode()
    assert "LN2-1 rack 2" in second and 'rel="prev"' in second
    refused = bank.client.get("/storage?per_page=100000")
    assert refused.status_code == 422 and "per_page" in refused.data.decode()
    assert bank.client.get("/storage?parent_id=999999").status_code == 404


def test_unit_page_shows_lot_position_and_custody_timeline(bank, tank, units, drug_product):
    box = boxes(tank)[0]
    unit = units[0]
    scan(bank.client, f"{box['barcode']}/C1")
    scan(bank.client, unit["barcode"], box["id"], "C1")
    bank.post(f"/api/v1/units/{unit['id']}/move", {"box_id": box["id"], "position": "A2", "confirmation": "manual",
                                                   "manual_reason": "label smudged"}, expect=200)
    page = bank.client.get(f"/units/{unit['id']}").data.decode()
    assert "Unit DP-0001-A0" in page and f'href="/lots/{drug_product["id"]}">DP-0001</a>' in page
    assert re.search(r'id="unit-position">.*?' + re.escape(box["name"]) + r"</a>,\s*A2", page, re.S)
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>(.*?)</tr>", page, re.S)
    assert [(number, kind) for number, kind, _ in rows] == [("1", "created"), ("2", "stored"), ("3", "moved")]
    stored, moved = (re.sub(r"<[^>]+>|\s+", " ", rest) for _, _, rest in rows[1:])
    assert re.match(rf"\s*the laboratory\s+{re.escape(box['name'])}, C1\s+Tech1 Tester\s+\S+ \S+ \S+\s+scan", stored)
    assert f"{box['name']}, C1" in moved and f"{box['name']}, A2" in moved and "manual: label smudged" in moved
    assert bank.client.get("/units/999999").status_code == 404
