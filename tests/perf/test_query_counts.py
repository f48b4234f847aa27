"""No N+1: the storage tree, the donor and shipment lists, a receipt, a bulk move and a trace run as many queries for
many rows as for few (counted with the count_queries fixture, SQLAlchemy's before_cursor_execute event)."""

from tests.helpers import selects
from tests.storage.helpers import BOX, boxes


def _queries(count_queries, call) -> int:
    with count_queries() as statements:
        call()
    return len(selects(statements))


def _get(client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, url

    return call


def _add_tank(bank, room_id: int, name: str) -> dict:
    bank.as_user("admin1")
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room_id, "name": name, "racks": 3,
                                                        "boxes_per_rack": 3, "box": BOX})
    bank.as_user("tech1")
    return tank


def test_the_storage_tree_does_not_query_per_location(bank, tank, count_queries):
    urls = ["/api/v1/storage/locations", "/storage", f"/api/v1/storage/locations?parent_id={tank['id']}",
            f"/storage?parent_id={tank['id']}"]
    before = [_queries(count_queries, _get(bank.client, url)) for url in urls]
    for index in range(3):
        _add_tank(bank, tank["parent_id"], f"LN2-extra-{index}")
    bank.as_user("admin1").post("/api/v1/storage/locations", {"kind": "rack", "name": "extra rack",
                                                              "parent_id": tank["id"]})
    bank.as_user("tech1")
    assert [_queries(count_queries, _get(bank.client, url)) for url in urls] == before


def _register_donor(bank, code: str) -> None:
    donor = bank.post("/api/v1/donors", {"code": code, "consent_date": "2026-02-20", "consent_scope": "ASC bank"})
    bank.post(f"/api/v1/donors/{donor['id']}/screening-tests", {"marker": "HIV", "method": "serology",
                                                                 "sample_date": "2026-03-01", "result": "negative"})
    bank.post("/api/v1/procurements", {"donor_id": donor["id"], "collected_at": "2026-03-02T09:30:00+01:00",
                                       "site": "CHU Rennes", "quantity": "100", "quantity_unit": "mL",
                                       "transport_conditions": "2-8 °C"})


def test_the_donor_list_does_not_query_per_donor(bank, count_queries):
    urls = ["/api/v1/donors", "/donors"]
    before = [_queries(count_queries, _get(bank.client, url)) for url in urls]
    for index in range(4):
        _register_donor(bank, f"ASC-D10{index}")
    assert [_queries(count_queries, _get(bank.client, url)) for url in urls] == before


def _dispatch(bank, units) -> dict:
    return bank.post("/api/v1/shipments", {"unit_ids": [u["id"] for u in units], "destination": "CHU pharmacy",
                                           "shipper": "DS-0042"})


def test_the_shipment_list_does_not_query_per_shipment(bank, released_units, count_queries):
    _dispatch(bank, released_units[:1])
    urls = ["/api/v1/shipments", "/shipments"]
    before = [_queries(count_queries, _get(bank.client, url)) for url in urls]
    for unit in released_units[1:]:
        _dispatch(bank, [unit])
    assert [_queries(count_queries, _get(bank.client, url)) for url in urls] == before


def _receive(bank, shipment: dict, units) -> callable:
    def call():
        bank.post(f"/api/v1/shipments/{shipment['id']}/receive", {"codes": [u["barcode"] for u in units]},
                  expect=200)

    return call


def test_a_receipt_does_not_query_per_unit(bank, released_units, count_queries):
    one, three = _dispatch(bank, released_units[:1]), _dispatch(bank, released_units[1:])
    bank.as_user("tech2")
    assert _queries(count_queries, _receive(bank, three, released_units[1:])) == \
        _queries(count_queries, _receive(bank, one, released_units[:1]))


def test_a_box_move_records_a_custody_event_per_unit_without_a_select_per_unit(bank, tank, units, count_queries,
                                                                              session):
    from sqlalchemy import func, select

    from app.custody.models import CustodyEvent

    first, second = boxes(tank)[0], boxes(tank)[1]
    rack = tank["children"][1]
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": first["id"]}, expect=200)
    for unit in units[1:]:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": second["id"]}, expect=200)

    def move(box):
        return lambda: bank.post(f"/api/v1/storage/locations/{box['id']}/move", {"rack_id": rack["id"]}, expect=200)

    with count_queries() as statements:
        move(second)()
    three = len(selects(statements))
    assert three == _queries(count_queries, move(first))
    assert sum("INSERT INTO custody_events" in s for s in statements) >= 1
    moved = session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.event_type == "moved"))
    assert moved == len(units)


def test_a_trace_reads_a_whole_genealogy_in_one_query(bank, drug_product, count_queries):
    """tissue → P1 → MCB → DP: the lots below the procurement come from one recursive query, not one per level."""
    bank.as_user("qa1")
    url = f"/api/v1/trace?from=donor:{bank.donor['id']}&direction=forward"
    with count_queries() as statements:
        answer = bank.client.get(url).json
    assert {node["label"] for node in answer["nodes"] if node["type"] == "lot"} >= {drug_product["number"]}
    lineage = [s for s in selects(statements) if "lot_parents" in s]
    assert len(lineage) == 1 and lineage[0].lstrip().upper().startswith("WITH RECURSIVE"), lineage


def test_the_dispense_check_reads_a_handful_of_rows_not_one_query_per_rule(bank, pharmacy, backend, count_queries):
    """The check is on the pharmacist's critical path: the dose with its patient, lot, checklist, vials and syringe
    in one query, the recall holds on them in one, beyond what any authenticated request reads (no lot lock: the
    check writes nothing, the signed dispense checks again, locked)."""
    from tests.dispensing.helpers import allocate, enrolled_patient, order, prepare, thaw_allocated

    patient = enrolled_patient(bank)
    dose = order(bank, patient, prescribed_cells=40_000_000)
    allocations = allocate(bank, dose)
    assert len(allocations) == 2
    thaw_allocated(bank, allocations)
    dose = prepare(bank, dose, post_thaw_cells=40_000_000)
    bank.as_user("pharm1")
    body = {"dose_code": dose["barcode"], "patient_code": patient["barcode"]}

    def check():
        response = bank.client.post("/api/v1/dispense/check", json=body)
        assert response.status_code == 200, response.json

    extra = _queries(count_queries, check) - _queries(count_queries, _get(bank.client, "/api/v1/me"))
    assert extra == 2


def test_a_unit_scan_looks_for_no_dose_and_no_patient(bank, units, count_queries):
    with count_queries() as statements:
        answer = bank.client.post("/api/v1/scan", json={"code": units[0]["barcode"]})
    assert answer.status_code == 200 and answer.json["type"] == "unit" and answer.json["id"] == units[0]["id"]
    read = " ".join(selects(statements))
    assert "FROM units" in read and "FROM doses" not in read and "FROM patients" not in read
