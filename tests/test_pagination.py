"""Every list comes in pages (page, per_page with a documented maximum; items, page, per_page, total), filtered,
on the API and on the pages; nothing is cut off silently."""

import datetime as dt

import pytest

from app.core.pagination import DEEP_OFFSET, MAX_PER_PAGE
from tests.helpers import count_audit

LISTS = ["/api/v1/units", "/api/v1/shipments", "/api/v1/lots", "/api/v1/donors", "/api/v1/procurements",
         "/api/v1/materials", "/api/v1/product-codes", "/api/v1/specifications", "/api/v1/storage/locations",
         "/api/v1/temperature-readings", "/api/v1/excursions", "/api/v1/excursion-flags", "/api/v1/label-templates",
         "/api/v1/printers", "/api/v1/print-jobs", "/api/v1/recalls"]


def test_every_list_answers_a_page_and_refuses_pages_beyond_the_maximum(bank, session):
    entries = count_audit(session)
    for url in LISTS:
        page = bank.client.get(url).json
        assert set(page) == {"items", "page", "per_page", "total"}, url
        assert page["page"] == 1 and page["per_page"] == 50 and page["total"] >= len(page["items"]), url
        deep = bank.client.get(f"{url}?page={DEEP_OFFSET // 50 + 2}")  # past the end, by the ids-first path
        assert deep.status_code == 200 and deep.json["items"] == [] and deep.json["total"] == page["total"], url
        for bad in (f"per_page={MAX_PER_PAGE + 1}", "per_page=0", "page=0", "page=x"):
            refused = bank.client.get(f"{url}?{bad}")
            assert refused.status_code == 422, (url, bad)
            assert bad.split("=")[0] in refused.json["errors"]["query"], (url, bad)
    assert count_audit(session) == entries


def test_the_openapi_document_says_the_maximum_and_the_page_shape(client):
    spec = client.get("/api/v1/openapi.json").json
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/units"]["get"]["parameters"]}
    assert parameters["per_page"]["schema"]["maximum"] == MAX_PER_PAGE and parameters["page"]["schema"]["minimum"] == 1
    answer = spec["paths"]["/api/v1/units"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = spec["components"]["schemas"][answer["$ref"].rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"items", "page", "per_page", "total"}


def test_units_page_through_every_unit_and_filter(bank, units, tank, drug_product):
    seen, number = [], 1
    while True:
        page = bank.client.get(f"/api/v1/units?per_page=3&page={number}").json
        assert page["total"] == 4
        if not page["items"]:
            break
        seen += [u["id"] for u in page["items"]]
        number += 1
    assert seen == [u["id"] for u in units] and number == 3
    box = tank["children"][0]["children"][0]
    bank.post(f"/api/v1/units/{units[1]['id']}/store", {"box_id": box["id"]}, expect=200)
    in_box = bank.client.get(f"/api/v1/units?box_id={box['id']}").json
    assert [u["id"] for u in in_box["items"]] == [units[1]["id"]] and in_box["total"] == 1
    assert bank.client.get("/api/v1/units?state=destroyed").json["total"] == 0
    assert bank.client.get(f"/api/v1/lots/{drug_product['id']}/units?per_page=2").json["total"] == 4
    assert bank.client.get("/api/v1/units?state=melted").status_code == 422


def test_the_storage_tree_comes_one_level_at_a_time(bank, tank):
    [site] = bank.client.get("/api/v1/storage/locations").json["items"]
    racks = bank.client.get(f"/api/v1/storage/locations?parent_id={tank['id']}").json
    assert [r["name"] for r in racks["items"]] == ["LN2-1 rack 1", "LN2-1 rack 2"] and racks["total"] == 2
    assert [r["children"] for r in racks["items"]] == [2, 2] and racks["items"][0]["occupied"] is None
    boxes = bank.client.get(f"/api/v1/storage/locations?parent_id={racks['items'][0]['id']}").json["items"]
    assert [b["occupied"] for b in boxes] == [0, 0] and boxes[0]["children"] == 0
    assert site["kind"] == "site"
    missing = bank.client.get("/api/v1/storage/locations?parent_id=999999")
    assert missing.status_code == 404


@pytest.mark.parametrize("url, expected, absent", [
    ("/lots?state=quarantine", "DP-0001", "T-0001"),
    ("/lots?kind=tissue", "T-0001", "DP-0001"),
    ("/lots?number=MCB", "MCB-0001", "T-0001"),
    ("/donors?eligibility=eligible", "ASC-D001", "No donor matches"),
    ("/donors?eligibility=pending", "No donor matches", "ASC-D001"),
    ("/donors?code=ASC-D0", "ASC-D001", "No donor matches"),
])
def test_list_pages_filter(bank, drug_product, url, expected, absent):
    page = bank.client.get(url).data.decode()
    assert expected in page and absent not in page
    assert 'class="filters"' in page


def test_list_pages_page_and_refuse_bad_filters(bank, drug_product):
    first = bank.client.get("/lots?per_page=2").data.decode()
    assert "T-0001" in first and "MCB-0001" not in first and "4 lots, page 1 of 2" in first
    assert 'rel="next" href="/lots?per_page=2&amp;page=2"' in first
    second = bank.client.get("/lots?per_page=2&page=2").data.decode()
    assert "MCB-0001" in second and "DP-0001" in second and 'rel="prev"' in second
    refused = bank.client.get("/lots?state=lost")
    assert refused.status_code == 422 and "state" in refused.data.decode()
    assert bank.client.get("/shipments?received=false").status_code == 200


def test_pages_deep_in_a_long_list_are_the_same_rows_in_the_same_order(bank, tank):
    """Past DEEP_OFFSET a page finds its ids first: pages on both sides of it join up, the last one is short."""
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=2)
    count = DEEP_OFFSET + 12
    lines = "".join(f"{(start + dt.timedelta(minutes=m)).isoformat()},{tank['barcode']},-190.0,\n"
                    for m in range(count))
    imported = bank.client.post("/api/v1/temperature-readings/import", json={"csv": "timestamp,sensor,temperature_c,"
                                                                                    "alarm\n" + lines})
    assert imported.status_code == 201 and imported.json["recorded"] == count, imported.json
    url = f"/api/v1/temperature-readings?storage_unit_id={tank['id']}&per_page=7"
    first = (DEEP_OFFSET - 20) // 7 + 1
    seen = [r["measured_at"] for number in range(first, first + 6)
            for r in bank.client.get(f"{url}&page={number}").json["items"]]
    expected = [(start + dt.timedelta(minutes=m)) for m in range((first - 1) * 7, count)]
    assert [dt.datetime.fromisoformat(at) for at in seen] == expected
    assert len(expected) < 6 * 7
