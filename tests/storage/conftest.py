"""Storage fixtures: a site, a room and a tank (2 racks × 2 boxes of 3 × 3) built through the API."""

import pytest

BOX = {"rows": 3, "columns": 3}


@pytest.fixture
def tank(bank):
    """The tank as the API returns it (with racks and boxes), created by admin1; then tech1 is logged in."""
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU Rennes"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Cell therapy unit, room 2",
                                                   "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-1", "racks": 2,
                                                        "boxes_per_rack": 2, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": BOX})
    bank.as_user("tech1")
    return tank


def boxes(tank: dict) -> list[dict]:
    return [box for rack in tank["children"] for box in rack["children"]]


@pytest.fixture
def units(bank, drug_product, tank):
    """Four cryovials of the drug product lot, not yet placed."""
    return bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 4, "container_type": "cryovial",
                                                                  "volume_ml": "1.5", "cells": 25_000_000})


@pytest.fixture
def released_units(bank, drug_product, units, tank):
    """The four units, their lot released by qa2, stored in the first box, then retrieved by tech1 (in hand)."""
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    bank.as_user("tech1")
    for unit in units:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
        bank.post(f"/api/v1/units/{unit['id']}/retrieve", {}, expect=200)
    return units
