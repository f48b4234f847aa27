"""Storage tree, units, placement, moves, retrieval, custody, and refusals that change nothing."""

import pytest
from sqlalchemy import text

from app.storage.models import Unit
from tests.helpers import count_audit
from tests.storage.helpers import boxes


def test_tank_template_builds_racks_and_boxes(bank, tank):
    assert tank["kind"] == "storage_unit" and tank["unit_type"] == "ln2_vapour"
    assert [rack["kind"] for rack in tank["children"]] == ["rack", "rack"]
    assert len(boxes(tank)) == 4 and boxes(tank)[0]["row_labels"] == "ABC"
    [site] = bank.client.get("/api/v1/storage/locations").json["items"]
    assert site["children"] == 1 and site["occupied"] is None
    [room] = bank.client.get(f"/api/v1/storage/locations?parent_id={site['id']}").json["items"]
    [listed] = bank.client.get(f"/api/v1/storage/locations?parent_id={room['id']}").json["items"]
    assert listed["name"] == "LN2-1" and listed["id"] == tank["id"] and listed["children"] == 2


def test_units_are_created_with_barcodes_divisions_and_first_custody_event(bank, units, drug_product):
    assert [u["division"] for u in units] == ["A0", "B0", "C0", "D0"]
    assert [u["barcode"] for u in units] == [f"DP-0001-{d}" for d in ("A0", "B0", "C0", "D0")]
    chain = bank.client.get(f"/api/v1/units/{units[0]['id']}/custody").json
    assert [(e["sequence"], e["event_type"], e["to_place"]) for e in chain] == [(1, "created", "lab")]
    again = bank.client.post(f"/api/v1/lots/{drug_product['id']}/units", json={
        "count": 1, "container_type": "cryovial", "volume_ml": "1", "cells": 1})
    assert again.status_code == 409 and "already has units" in again.json["message"]


def test_store_by_label_and_next_free_position(bank, tank, units):
    box = boxes(tank)[0]
    first = bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "B2"}, expect=200)
    assert (first["row"], first["col"]) == (2, 2)
    second = bank.post(f"/api/v1/units/{units[1]['id']}/store", {"box_id": box["id"]}, expect=200)
    assert (second["row"], second["col"]) == (1, 1)
    grid = bank.client.get(f"/api/v1/storage/locations/{box['id']}/map").json["cells"]
    assert {c["label"]: c["status"] for c in grid if c["status"] != "free"} == {"A1": "occupied", "B2": "occupied"}


def test_occupied_position_is_refused_and_nothing_changes(bank, tank, units, session):
    box = boxes(tank)[0]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "A1"}, expect=200)
    before = count_audit(session)
    response = bank.client.post(f"/api/v1/units/{units[1]['id']}/store", json={"box_id": box["id"], "position": "A1"})
    assert response.status_code == 409 and "occupied by DP-0001-A0" in response.json["message"]
    assert session.get(Unit, units[1]["id"]).box_id is None and count_audit(session) == before


def test_position_outside_the_box_or_unknown_label_is_422(bank, tank, units):
    box = boxes(tank)[0]
    outside = bank.client.post(f"/api/v1/units/{units[0]['id']}/store", json={"box_id": box["id"], "row": 4,
                                                                              "col": 1})
    assert outside.status_code == 422 and "outside" in outside.json["message"]
    label = bank.client.post(f"/api/v1/units/{units[0]['id']}/store", json={"box_id": box["id"], "position": "Z9"})
    assert label.status_code == 422 and "not a position" in label.json["message"]


@pytest.mark.parametrize("action", ["retrieve", "move"])
def test_a_unit_not_in_the_scanned_box_is_refused_and_nothing_changes(bank, tank, units, session, action):
    first, second, third = boxes(tank)[:3]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": first["id"], "position": "A1"}, expect=200)
    before = count_audit(session)
    body = {"from_box_id": second["id"], **({"box_id": third["id"]} if action == "move" else {})}
    response = bank.client.post(f"/api/v1/units/{units[0]['id']}/{action}", json=body)
    assert response.status_code == 409, response.json
    assert response.json["message"] == (f"unit DP-0001-A0 is not in the scanned box {second['name']}: "
                                        f"it is in {first['name']}")
    unit = session.get(Unit, units[0]["id"])
    assert (unit.box_id, unit.row, unit.col) == (first["id"], 1, 1) and count_audit(session) == before
    body["from_box_id"] = first["id"]
    moved = bank.post(f"/api/v1/units/{units[0]['id']}/{action}", body, expect=200)
    assert moved["box_id"] == (third["id"] if action == "move" else None)


def test_move_and_retrieve_extend_an_unbroken_custody_chain(bank, tank, units, app):
    first, second = boxes(tank)[:2]
    unit = units[0]["id"]
    bank.post(f"/api/v1/units/{unit}/store", {"box_id": first["id"], "position": "A1"}, expect=200)
    moved = bank.post(f"/api/v1/units/{unit}/move", {"box_id": second["id"], "position": "C3"}, expect=200)
    assert moved["box_id"] == second["id"] and (moved["row"], moved["col"]) == (3, 3)
    bank.post(f"/api/v1/units/{unit}/retrieve", {"confirmation": "manual", "manual_reason": "label smudged"},
              expect=200)
    chain = bank.client.get(f"/api/v1/units/{unit}/custody").json
    assert [e["event_type"] for e in chain] == ["created", "stored", "moved", "retrieved"]
    assert all(e["from_place"] == before["to_place"] for before, e in zip(chain, chain[1:], strict=False))
    assert chain[-1]["confirmation"] == "manual" and chain[-1]["manual_reason"] == "label smudged"
    result = app.test_cli_runner().invoke(args=["custody", "verify"])
    assert result.exit_code == 0 and "OK: 4 unit chains checked" in result.output


def test_manual_confirmation_needs_a_reason(bank, tank, units, session):
    box = boxes(tank)[0]
    response = bank.client.post(f"/api/v1/units/{units[0]['id']}/store", json={
        "box_id": box["id"], "position": "A1", "confirmation": "manual"})
    assert response.status_code == 422 and "needs a reason" in response.json["message"]
    assert session.get(Unit, units[0]["id"]).box_id is None


def test_only_handlers_place_units(bank, tank, units, make_user, login):
    make_user("pharm1", roles=["pharmacist"])
    bank.as_user("pharm1")
    response = bank.client.post(f"/api/v1/units/{units[0]['id']}/store", json={"box_id": boxes(tank)[0]["id"]})
    assert response.status_code == 403


def test_blocked_position_is_refused_and_skipped(bank, tank, units):
    box = boxes(tank)[0]
    bank.as_user("admin1")
    grid = bank.post(f"/api/v1/storage/locations/{box['id']}/blocked-positions", {"position": "A1",
                                                                                "reason": "cracked slot"})
    assert grid["cells"][0]["status"] == "blocked"
    bank.as_user("tech1")
    refused = bank.client.post(f"/api/v1/units/{units[0]['id']}/store", json={"box_id": box["id"], "position": "A1"})
    assert refused.status_code == 409 and "is blocked" in refused.json["message"]
    placed = bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"]}, expect=200)
    assert (placed["row"], placed["col"]) == (1, 2)


@pytest.mark.tampers
def test_custody_verify_names_a_unit_moved_behind_the_apps_back(bank, tank, units, app, connection):
    box = boxes(tank)[0]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "A1"}, expect=200)
    connection.execute(text("UPDATE units SET row = 3, col = 3 WHERE id = :id"), {"id": units[0]["id"]})
    result = app.test_cli_runner().invoke(args=["custody", "verify"])
    assert result.exit_code == 1
    assert f"unit DP-0001-A0: the unit is at box:{box['id']}:3:3 but its last event left it at box:{box['id']}:1:1" \
        in result.output
