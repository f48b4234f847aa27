"""POST /api/v1/scan: every printed code resolves to exactly one object, or is refused."""

from labels import isbt128
from tests.storage.helpers import boxes


def _scan(bank, code):
    return bank.client.post("/api/v1/scan", json={"code": code})


def test_unit_box_and_position_codes(bank, tank, units):
    box = boxes(tank)[0]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": box["id"], "position": "C2"}, expect=200)
    assert _scan(bank, "DP-0001-A0").json == {**_scan(bank, "DP-0001-A0").json, "type": "unit", "id": units[0]["id"]}
    assert _scan(bank, box["barcode"]).json["type"] == "box"
    position = _scan(bank, f"{box['barcode']}/C2").json
    assert position == {"type": "position", "box_id": box["id"], "row": 3, "col": 2, "label": "C2",
                        "unit_id": units[0]["id"]}


def test_isbt_compound_message_names_one_unit(bank, units, drug_product):
    din = isbt128.din_with_flag(drug_product["din"])
    message = isbt128.Compound((din, isbt128.ProductCode("S1004", "0", "B0"))).encode()
    resolved = _scan(bank, message)
    assert resolved.status_code == 200 and resolved.json["id"] == units[1]["id"]


def test_refusals(bank, units, drug_product):
    assert _scan(bank, "NOPE-123").status_code == 404
    malformed = _scan(bank, "=G1234176543")
    assert malformed.status_code == 422 and "malformed ISBT 128" in malformed.json["message"]
    din_only = _scan(bank, isbt128.Din(drug_product["din"]).encode())
    assert din_only.status_code == 422 and "one DIN and one product code" in din_only.json["message"]
    missing = _scan(bank, isbt128.Compound((isbt128.Din(drug_product["din"]),
                                            isbt128.ProductCode("S1004", "0", "Z0"))).encode())
    assert missing.status_code == 404
    assert bank.client.post("/api/v1/scan", json={"code": ""}).status_code == 422
