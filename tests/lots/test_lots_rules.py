"""Lot rules: genealogy, pooling, processing steps with materials, consent withdrawal, product codes."""

from app.lots.models import Lot, ProcessStep
from tests.helpers import PASSWORD, audit_rows, count_audit

STEP = {"step_type": "seeding", "equipment": "BSC-2", "started_at": "2026-04-01T09:00:00+02:00"}


def _use(bank, lot_id, material_id):
    return bank.client.post(f"/api/v1/lots/{lot_id}/steps", json={
        **STEP, "materials": [{"material_id": material_id, "quantity": "50", "unit": "mL"}]})


def test_consuming_quarantined_rejected_or_expired_material_is_refused(bank, session):
    lot_id, material_id = bank.tissue["id"], bank.material["id"]
    response = _use(bank, lot_id, material_id)
    assert response.status_code == 409 and "in quarantine, not approved" in response.json["message"]
    expired = bank.post("/api/v1/materials", {"name": "Trypsin", "supplier": "Gibco", "catalogue_number": "T-1",
                                              "supplier_lot": "E1", "expiry": "2026-03-31"})
    rejected = bank.post("/api/v1/materials", {"name": "DMSO", "supplier": "Sigma", "catalogue_number": "D-1",
                                               "supplier_lot": "R1", "expiry": "2027-03-31"})
    bank.as_user("qa1")
    for material, meaning in ((bank.material, "approved for use"), (expired, "approved for use"),
                              (rejected, "rejected")):
        bank.post(f"/api/v1/materials/{material['id']}/decision", {"password": PASSWORD, "meaning": meaning},
                  expect=200)
    bank.as_user("tech1")
    refused = _use(bank, lot_id, expired["id"])
    assert refused.status_code == 409 and refused.json["message"].startswith("material lot E1 (Trypsin) expired")
    assert "was rejected by QA" in _use(bank, lot_id, rejected["id"]).json["message"]
    assert session.query(ProcessStep).count() == 0 and audit_rows(session, action="lot.step") == []
    ok = _use(bank, lot_id, material_id)
    assert ok.status_code == 201 and ok.json["materials"][0]["material_lot_id"] == material_id


def test_material_decision_only_once_and_only_by_qa(bank):
    response = bank.client.post(f"/api/v1/materials/{bank.material['id']}/decision",
                                json={"password": PASSWORD, "meaning": "approved for use"})
    assert response.status_code == 403
    bank.as_user("qa1").post(f"/api/v1/materials/{bank.material['id']}/decision",
                             {"password": PASSWORD, "meaning": "rejected"}, expect=200)
    again = bank.client.post(f"/api/v1/materials/{bank.material['id']}/decision",
                             json={"password": PASSWORD, "meaning": "approved for use"})
    assert again.status_code == 409 and "already rejected" in again.json["message"]


def test_child_with_two_parents_forms_a_dag(bank):
    a = bank.post(f"/api/v1/lots/{bank.tissue['id']}/children", {"number": "P1-A", "kind": "culture_passage",
                                                                  "product_code": "S1002", "passage": 1})
    b = bank.post(f"/api/v1/lots/{bank.tissue['id']}/children", {"number": "P1-B", "kind": "culture_passage",
                                                                  "product_code": "S1002", "passage": 1})
    mcb = bank.post(f"/api/v1/lots/{a['id']}/children", {"number": "MCB-AB", "kind": "master_cell_bank",
                                                          "product_code": "S1003", "passage": 2,
                                                          "other_parent_ids": [b["id"]]})
    graph = bank.client.get(f"/api/v1/lots/{bank.tissue['id']}/genealogy").json
    assert {(e["parent_id"], e["child_id"]) for e in graph["edges"]} == {
        (bank.tissue["id"], a["id"]), (bank.tissue["id"], b["id"]), (a["id"], mcb["id"]), (b["id"], mcb["id"])}
    children = bank.client.get(f"/api/v1/lots/{a['id']}/children").json["items"]
    assert [c["number"] for c in children] == ["MCB-AB"]


def test_wrong_product_code_kind_and_duplicate_number(bank, session):
    before = session.query(Lot).count()
    wrong = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/children", json={
        "number": "P1-X", "kind": "culture_passage", "product_code": "S1004"})
    assert wrong.status_code == 422 and "is for drug_product lots" in wrong.json["message"]
    dup = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/children", json={
        "number": "t-0001", "kind": "culture_passage", "product_code": "S1002"})
    assert dup.status_code == 409 and "already used" in dup.json["message"]
    assert session.query(Lot).count() == before


def test_a_lot_number_leaves_room_for_its_vials_codes(bank, session):
    """A lot number has at most 17 characters: its vials are coded number-division within a unit code's 20."""
    before, entries = session.query(Lot).count(), count_audit(session)
    for number in ("DP-0001-WCB-EXP-01", "DP 0001", "D"):
        refused = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/children", json={
            "number": number, "kind": "culture_passage", "product_code": "S1002", "passage": 1})
        assert refused.status_code == 422 and "3 to 17 letters, digits or '-'" in refused.json["message"], number
    assert session.query(Lot).count() == before and count_audit(session) == entries
    lot = bank.post(f"/api/v1/lots/{bank.tissue['id']}/children", {"number": "p1-wcb-exp01-0001", "kind":
                                                                    "culture_passage", "product_code": "S1002",
                                                                    "passage": 1})
    assert lot["number"] == "P1-WCB-EXP01-0001"
    vials = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 2, "container_type": "cryovial",
                                                          "volume_ml": "1.5", "cells": 25_000_000})
    assert [v["barcode"] for v in vials] == ["P1-WCB-EXP01-0001-A0", "P1-WCB-EXP01-0001-B0"]


def test_withdrawn_consent_blocks_further_processing(bank, session):
    bank.as_user("qa1").post(f"/api/v1/donors/{bank.donor['id']}/consent-withdrawal", {"reason": "letter"},
                             expect=200)
    bank.as_user("tech1")
    response = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/steps", json=STEP)
    assert response.status_code == 409 and "withdrew consent" in response.json["message"]
    child = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/children", json={
        "number": "P1-Z", "kind": "culture_passage", "product_code": "S1002"})
    assert child.status_code == 409


def test_step_closed_only_by_its_operator_and_once(bank):
    step = bank.post(f"/api/v1/lots/{bank.tissue['id']}/steps", STEP)
    body = {"ended_at": "2026-04-01T10:00:00+02:00"}
    bank.as_user("tech2")
    other = bank.client.post(f"/api/v1/steps/{step['id']}/close", json=body)
    assert other.status_code == 409 and "operator who performed it" in other.json["message"]
    bank.as_user("tech1").post(f"/api/v1/steps/{step['id']}/close", body, expect=200)
    assert bank.client.post(f"/api/v1/steps/{step['id']}/close", json=body).status_code == 409


def test_tissue_lot_needs_a_received_procurement(bank):
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": bank.donor["id"], "collected_at": "2026-05-02T09:30:00+02:00", "site": "CHU Rennes",
        "quantity": "100", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    response = bank.client.post("/api/v1/lots", json={"procurement_id": procurement["id"], "number": "T-0002",
                                                      "product_code": "S1001"})
    assert response.status_code == 409 and "has not been received" in response.json["message"]
