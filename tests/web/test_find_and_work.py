"""The header's find field (the same resolution as POST /api/v1/scan, plus lot numbers, DINs and donor codes) and
each role's work lists with counts that link to them."""

import re

from tests.helpers import PASSWORD
from tests.storage.helpers import boxes


def found(client, text: str):
    return client.get("/find", query_string={"q": text})


def test_find_opens_the_page_of_a_unit_a_box_position_a_lot_a_din_and_a_donor(bank, units, tank, drug_product):
    box = boxes(tank)[0]
    procurement = bank.procurement
    for text, page in ((units[0]["barcode"], f"/units/{units[0]['id']}"),
                       (f"{box['barcode']}/B2", f"/storage/boxes/{box['id']}"),
                       (drug_product["number"], f"/lots/{drug_product['id']}"),
                       (procurement["din"], f"/procurements/{procurement['id']}"),
                       (procurement["din"] + procurement["din_check_character"], f"/procurements/{procurement['id']}"),
                       (bank.donor["code"], f"/donors/{bank.donor['id']}")):
        answer = found(bank.client, text)
        assert answer.status_code == 302 and answer.headers["Location"].endswith(page), text
    scanned = bank.client.post("/api/v1/scan", json={"code": units[0]["barcode"]}).json
    assert scanned["type"] == "unit" and scanned["id"] == units[0]["id"]  # the API names the same object


def test_find_refuses_what_names_nothing_in_words(bank):
    answer = found(bank.client, "NO-SUCH-THING")
    assert answer.status_code == 404 and b"nothing known is called or coded" in answer.data
    assert found(bank.client, "").status_code == 404


def counts(page: str) -> dict[str, tuple[int, str]]:
    return {title.strip(): (int(count), link) for link, count, title in re.findall(
        r'<a href="([^"]+)"><strong class="count">(\d+)</strong>([^<]+)</a>', page)}


def test_each_role_sees_its_work_counted_with_links(bank, units, drug_product):
    tech = counts(bank.as_user("tech1").client.get("/dashboard").data.decode())
    assert tech["Vials to place"] == (4, "/work/vials-to-place")
    assert "QC results to verify" not in tech and "Locked accounts" not in tech
    listed = bank.client.get("/work/vials-to-place").data.decode()
    assert all(unit["barcode"] in listed for unit in units)
    assert bank.client.get("/work/lots-awaiting-release").status_code == 403

    qa = counts(bank.as_user("qa1").client.get("/dashboard").data.decode())
    assert qa["Lots awaiting release"] == (1, "/work/lots-awaiting-release")
    assert "Processing steps open" not in qa
    listed = bank.client.get("/work/lots-awaiting-release").data.decode()
    assert f'href="/lots/{drug_product["id"]}/release"' in listed

    admin = counts(bank.as_user("admin1").client.get("/dashboard").data.decode())
    assert admin["Locked accounts"] == (0, "/work/locked-accounts")


def test_access_reviews_due_lists_active_accounts_not_reviewed_lately(bank, make_user, session):
    """An account is due until QA or an admin signs "access reviewed" (or "access approved") on it; a deactivated
    account is not due; the list is the admin's."""
    make_user("gone1", roles=["technician"])
    admin = bank.as_user("admin1")
    gone = next(u for u in admin.client.get("/api/v1/users?per_page=200").json["items"] if u["username"] == "gone1")
    admin.post(f"/api/v1/users/{gone['id']}/deactivate", {"reason": "left the unit"}, expect=200)
    users = {u["username"]: u["id"] for u in admin.client.get("/api/v1/users?per_page=200").json["items"]}
    due = counts(admin.client.get("/dashboard").data.decode())["Access reviews due"]
    listed = admin.client.get("/work/access-reviews-due").data.decode()
    assert due[1] == "/work/access-reviews-due" and f'href="/users/{users["tech1"]}"' in listed
    assert f'href="/users/{users["gone1"]}"' not in listed
    bank.as_user("qa1").post("/api/v1/signatures", {"record_type": "users", "record_id": users["tech1"],
                                                    "meaning": "access reviewed", "password": PASSWORD})
    again = bank.as_user("admin1").client.get("/work/access-reviews-due").data.decode()
    assert f'href="/users/{users["tech1"]}"' not in again
    assert counts(bank.client.get("/dashboard").data.decode())["Access reviews due"][0] == due[0] - 1
    assert "Access reviews due" not in counts(bank.as_user("qa1").client.get("/dashboard").data.decode())
