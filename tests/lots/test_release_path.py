"""The whole path donor → procurement → lots → QC → verification → release, and what blocks it."""

from app.lots.models import Lot
from tests.helpers import PASSWORD, audit_rows, count_audit


def test_whole_path_to_a_released_drug_product(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    status = bank.as_user("qa2").client.get(f"/api/v1/lots/{drug_product['id']}/release").json
    assert status["blockers"] == []
    released = bank.release(drug_product["id"])
    assert released["state"] == "released"
    [signature] = released["signatures"]
    assert signature["meaning"] == "released for clinical use" and signature["printed_name"] == "Qa2 Tester"
    assert signature["content_changed"] is False
    lot = session.get(Lot, drug_product["id"])
    assert lot.state == "released" and lot.din == bank.procurement["din"]
    actions = [e["action"] for e in audit_rows(session, entity_type="lots", entity_id=str(lot.id))]
    assert actions[-2:] == ["lot.released", "lot.released_signed"]
    graph = bank.client.get(f"/api/v1/lots/{drug_product['id']}/genealogy").json
    assert [n["number"] for n in graph["nodes"]] == ["T-0001", "P1-0001", "MCB-0001", "DP-0001"]
    assert len(graph["edges"]) == 3


def _refused(bank, lot_id, session, *fragments, password=PASSWORD):
    before = count_audit(session)
    response = bank.client.post(f"/api/v1/lots/{lot_id}/release", json={"password": password})
    assert response.status_code == 409, response.json
    for fragment in fragments:
        assert fragment in response.json["message"], response.json["message"]
    session.expire_all()
    assert session.get(Lot, lot_id).state == "quarantine"
    assert count_audit(session) == before
    return response.json


def test_release_by_the_person_who_did_the_qc_is_refused(bank, drug_product, session):
    bank.as_user("qa1")
    results = [bank.qc(drug_product["id"], code) for code in ("CD73", "CD45", "VIAB", "COUNT", "STERILITY")]
    bank.as_user("tech2")
    for result in results:
        bank.post(f"/api/v1/qc-results/{result['id']}/verify", expect=200)
    bank.as_user("qa1")
    _refused(bank, drug_product["id"], session, "qa1 performed QC tests of this lot")


def test_release_with_missing_unverified_and_oos_results_lists_each(bank, drug_product, session):
    bank.qc(drug_product["id"], "CD73")
    bank.qc(drug_product["id"], "VIAB", ("65", "%"))
    bank.as_user("qa2")
    body = _refused(bank, drug_product["id"], session, "CD73: result not verified", "VIAB: out of specification",
                    "CD45: no result", "STERILITY: no result", "deviation")
    assert len(body["errors"]["unmet"]) >= 5


def test_oos_opens_a_deviation_that_blocks_until_qa_closes_it(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    bank.as_user("tech1")
    oos = bank.qc(drug_product["id"], "CD45", ("3.1", "%"))
    assert oos["outcome"] == "oos"
    deviations = bank.client.get(f"/api/v1/lots/{drug_product['id']}/deviations").json
    assert deviations[-1]["origin"] == "oos" and deviations[-1]["qc_result_id"] == oos["id"]
    assert "CD45 3.1 %" in deviations[-1]["description"]


def test_release_with_an_open_deviation_is_refused(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    deviation = bank.post(f"/api/v1/lots/{bank.lots['mcb']['id']}/deviations",
                          {"description": "incubator CO2 alarm for 40 minutes"})
    bank.as_user("qa2")
    _refused(bank, drug_product["id"], session, f"deviation {deviation['id']} is open")
    bank.as_user("qa1").post(f"/api/v1/deviations/{deviation['id']}/close",
                             {"password": PASSWORD, "resolution": "no impact: cells within range"}, expect=200)
    bank.as_user("qa2")
    assert bank.release(drug_product["id"])["state"] == "released"


def test_release_of_an_ineligible_or_withdrawn_donors_lot_is_refused(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    bank.as_user("qa1").post(f"/api/v1/donors/{bank.donor['id']}/screening-tests", {
        "marker": "HCV", "method": "serology", "sample_date": "2026-04-01", "result": "indeterminate"})
    bank.as_user("qa2")
    _refused(bank, drug_product["id"], session, "is not declared eligible (pending)")
    bank.post(f"/api/v1/donors/{bank.donor['id']}/consent-withdrawal", {"reason": "donor's letter"}, expect=200)
    _refused(bank, drug_product["id"], session, "withdrew consent")


def test_release_with_an_open_step_is_refused(bank, session):
    lot = bank.post(f"/api/v1/lots/{bank.tissue['id']}/children", {"number": "DP-0002", "kind": "drug_product",
                                                                     "product_code": "S1004", "passage": 3})
    step = bank.post(f"/api/v1/lots/{lot['id']}/steps", {"step_type": "harvest", "equipment": "BSC-1",
                                                         "started_at": "2026-04-18T09:00:00+02:00"})
    bank.post(f"/api/v1/lots/{lot['id']}/quarantine", {"reason": "done"}, expect=200)
    bank.full_qc(lot["id"])
    bank.as_user("qa2")
    _refused(bank, lot["id"], session, f"processing step {step['id']} (harvest) is not closed")


def test_wrong_password_or_wrong_role_releases_nothing(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2")
    response = bank.client.post(f"/api/v1/lots/{drug_product['id']}/release", json={"password": "wrong"})
    assert response.status_code == 401
    bank.as_user("tech1")
    response = bank.client.post(f"/api/v1/lots/{drug_product['id']}/release", json={"password": PASSWORD})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Lot, drug_product["id"]).state == "quarantine"


def test_reject_is_signed_with_a_reason(bank, drug_product, session):
    bank.as_user("qa1")
    missing = bank.client.post(f"/api/v1/lots/{drug_product['id']}/reject", json={"password": PASSWORD})
    assert missing.status_code == 422
    rejected = bank.post(f"/api/v1/lots/{drug_product['id']}/reject",
                         {"password": PASSWORD, "reason": "mycoplasma contamination"}, expect=200)
    assert rejected["state"] == "rejected" and rejected["signatures"][0]["meaning"] == "rejected"
    again = bank.client.post(f"/api/v1/lots/{drug_product['id']}/release", json={"password": PASSWORD})
    assert again.status_code == 409 and "not in quarantine" in again.json["message"]


def test_released_lot_expires_or_is_recalled_with_its_descendants(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2")
    refused = bank.client.post(f"/api/v1/lots/{bank.lots['mcb']['id']}/retire",
                               json={"state": "expired", "reason": "x" * 5})
    assert refused.status_code == 409 and "only a released lot" in refused.json["message"]
    bank.release(drug_product["id"])
    recalled = bank.post("/api/v1/recalls", {"target": f"lot:{drug_product['id']}", "password": PASSWORD,
                                             "reason": "donor look-back: late positive HCV"})
    assert [(lot["state_before"], lot["state"]) for lot in recalled["lots"]] == [("released", "recalled")]
    expire = bank.client.post(f"/api/v1/lots/{drug_product['id']}/retire", json={"state": "expired", "reason": "date"})
    assert expire.status_code == 409
    [entry] = audit_rows(session, action="lot.recalled")
    assert entry["reason"] == f"recall {recalled['recall']['number']}: donor look-back: late positive HCV"
    assert entry["changes"]["state"] == ["released", "recalled"]


def test_recall_blocks_every_descendant_not_already_closed(bank, drug_product, session):
    mcb = bank.lots["mcb"]
    bank.as_user("qa1").post("/api/v1/specifications", {"lot_kind": "master_cell_bank", "name": "MCB release",
                                                        "tests": [{"code": "STERILITY", "name": "Sterility",
                                                                   "kind": "qualitative", "expected": "no growth"}]})
    bank.as_user("tech1").post(f"/api/v1/lots/{mcb['id']}/quarantine", {"reason": "bank frozen"}, expect=200)
    result = bank.qc(mcb["id"], "STERILITY")
    bank.as_user("tech2").post(f"/api/v1/qc-results/{result['id']}/verify", expect=200)
    bank.as_user("qa2").release(mcb["id"])
    recalled = bank.post("/api/v1/recalls", {"target": f"lot:{mcb['id']}", "reason": "look-back",
                                             "password": PASSWORD})
    assert [lot["number"] for lot in recalled["lots"]] == ["MCB-0001", "DP-0001"]
    session.expire_all()
    assert session.get(Lot, drug_product["id"]).state == "recalled"
