"""A signed record's JSON carries its signatures (printed name, meaning, time, whether its content changed since),
as its page shows them; lists read them in one query, not one per record."""

from tests.helpers import PASSWORD, selects


def test_a_released_lot_carries_its_signature(bank, drug_product):
    bank.full_qc(drug_product["id"])
    released = bank.as_user("qa2").release(drug_product["id"])
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    [signature] = lot["signatures"]
    assert signature["meaning"] == "released for clinical use" and signature["printed_name"] == "Qa2 Tester"
    assert signature["id"] == lot["decision_signature_id"] and signature["content_changed"] is False
    assert signature["signed_at"] and released["signatures"][0]["meaning"] == signature["meaning"]
    listed = bank.client.get("/api/v1/lots?state=released").json["items"]
    assert [s["id"] for s in listed[0]["signatures"]] == [signature["id"]]
    assert bank.client.get(f"/api/v1/lots/{bank.tissue['id']}").json["signatures"] == []


def test_a_donor_shows_when_its_content_changed_since_signing(bank):
    donor = bank.client.get(f"/api/v1/donors/{bank.donor['id']}").json
    assert [(s["meaning"], s["content_changed"]) for s in donor["signatures"]] == [("donor eligible", False)]
    bank.post(f"/api/v1/donors/{bank.donor['id']}/screening-tests", {"marker": "HIV", "method": "serology",
                                                                      "sample_date": "2026-03-05",
                                                                      "result": "negative"})
    donor = bank.client.get(f"/api/v1/donors/{bank.donor['id']}").json
    assert [s["content_changed"] for s in donor["signatures"]] == [True]


def test_the_openapi_document_describes_the_embedded_signatures(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for name in ("Lot", "Donor", "Material", "Deviation", "Flag"):
        embedded = schemas[name]["properties"]["signatures"]
        assert embedded["type"] == "array" and embedded["items"]["$ref"].endswith("/Signature"), name
        assert "content changed" in embedded["description"]
    assert {"printed_name", "meaning", "signed_at", "content_changed"} <= set(schemas["Signature"]["properties"])


def test_the_donor_list_reads_signatures_in_one_query(bank, count_queries):
    def signature_reads():
        with count_queries() as statements:
            assert bank.client.get("/api/v1/donors").status_code == 200
        return sum("FROM signatures" in s for s in selects(statements))

    before = signature_reads()
    for index in range(3):
        bank.post("/api/v1/donors", {"code": f"ASC-D20{index}", "consent_date": "2026-02-20",
                                     "consent_scope": "ASC bank"})
    assert before == signature_reads() == 1


def test_a_rejected_lot_shows_why_on_its_page_and_in_its_json(bank, drug_product):
    """The reason given with a signed decision (kept in the signature's audit entry) is shown with the signature."""
    bank.as_user("qa2").post(f"/api/v1/lots/{drug_product['id']}/reject",
                             {"password": PASSWORD, "reason": "sterility test positive"}, expect=200)
    [signature] = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json["signatures"]
    assert signature["meaning"] == "rejected" and signature["reason"] == "sterility test positive"
    page = bank.client.get(f"/lots/{drug_product['id']}").data.decode()
    assert "<td>rejected</td><td>sterility test positive</td>" in page
    assert bank.client.get("/api/v1/lots?state=rejected").json["items"][0]["signatures"][0]["reason"] == \
        "sterility test positive"
