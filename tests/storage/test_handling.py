"""Dispatch and receipt, thaw, destruction: each workflow and each refusal (409, nothing changed)."""

import datetime as dt

from app.storage.models import Unit
from tests.helpers import audit_rows, count_audit
from tests.storage.helpers import boxes


def _dispatch(bank, units, expect=201):
    return bank.post("/api/v1/shipments", {"unit_ids": [u["id"] for u in units], "destination": "CHU pharmacy",
                                           "shipper": "DS-0042"}, expect=expect)


def test_dispatch_and_receipt_by_another_person_scanning_every_unit(bank, released_units, session, app):
    shipment = _dispatch(bank, released_units[:2])
    assert [session.get(Unit, u["id"]).state for u in released_units[:2]] == ["in_transit", "in_transit"]
    codes = [u["barcode"] for u in released_units[:2]]
    by_dispatcher = bank.client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={"codes": codes})
    assert by_dispatcher.status_code == 409 and "other than the dispatcher" in by_dispatcher.json["message"]
    bank.as_user("tech2")
    received = bank.post(f"/api/v1/shipments/{shipment['id']}/receive", {"codes": codes}, expect=200)
    assert received["received_at"] and received["discrepancy"] is None
    chain = bank.client.get(f"/api/v1/units/{released_units[0]['id']}/custody").json
    assert [e["event_type"] for e in chain][-2:] == ["dispatched", "received"]
    assert app.test_cli_runner().invoke(args=["custody", "verify"]).exit_code == 0


def test_missing_or_unexpected_unit_blocks_the_receipt_until_resolved(bank, released_units, session):
    shipment = _dispatch(bank, released_units[:2])
    bank.as_user("tech2")
    before = count_audit(session)
    body = {"codes": [released_units[0]["barcode"], released_units[2]["barcode"]]}
    blocked = bank.client.post(f"/api/v1/shipments/{shipment['id']}/receive", json=body)
    assert blocked.status_code == 409
    assert "missing: DP-0001-B0" in blocked.json["message"] and "unexpected: DP-0001-C0" in blocked.json["message"]
    assert count_audit(session) == before and session.get(Unit, released_units[0]["id"]).state == "in_transit"
    resolved = bank.post(f"/api/v1/shipments/{shipment['id']}/receive",
                         {**body, "resolution": "B0 left in the lab fridge; C0 picked up by mistake, returned"},
                         expect=200)
    assert "resolved: B0 left in the lab fridge" in resolved["discrepancy"]
    session.expire_all()
    assert session.get(Unit, released_units[1]["id"]).state == "quarantined"
    assert session.get(Unit, released_units[0]["id"]).state == "in_storage"


def test_units_of_an_unreleased_lot_or_in_a_box_are_not_dispatched(bank, drug_product, units, tank, session):
    before = count_audit(session)
    in_hand = bank.client.post("/api/v1/shipments", json={"unit_ids": [units[0]["id"]], "destination": "pharmacy",
                                                         "shipper": "DS-1"})
    assert in_hand.status_code == 409 and "not released" in in_hand.json["message"]
    bank.post(f"/api/v1/units/{units[1]['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    in_box = bank.client.post(f"/api/v1/units/{units[1]['id']}/dispatch", json={"destination": "pharmacy",
                                                                               "shipper": "DS-1"})
    assert in_box.status_code == 409 and "retrieve it first" in in_box.json["message"]
    assert count_audit(session) == before + 2  # only the storage of units[1]: its update and custody event


def test_thaw_sets_the_expiry_of_the_product(bank, released_units, session):
    thawed = bank.post(f"/api/v1/units/{released_units[0]['id']}/thaw", {}, expect=200)
    unit = session.get(Unit, released_units[0]["id"])
    assert thawed["state"] == "thawed" and unit.thaw_expires_at - unit.thawed_at == dt.timedelta(hours=6)
    again = bank.client.post(f"/api/v1/units/{released_units[0]['id']}/thaw", json={})
    assert again.status_code == 409


def test_thawing_an_unreleased_lot_only_for_qc_samples(bank, drug_product, session):
    units = bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 2, "container_type": "cryovial",
                                                                   "volume_ml": "1", "cells": 1000,
                                                                   "qc_samples": 1})
    refused = bank.client.post(f"/api/v1/units/{units[1]['id']}/thaw", json={})
    assert refused.status_code == 409 and "only QC samples" in refused.json["message"]
    assert session.get(Unit, units[1]["id"]).state == "in_storage"
    bank.post(f"/api/v1/units/{units[0]['id']}/thaw", {}, expect=200)
    [entry] = audit_rows(session, action="unit.thawed")
    assert entry["reason"] == "thawed as a QC sample of an unreleased lot"


def test_destroy_needs_a_reason_and_ends_the_chain(bank, units, session):
    assert bank.client.post(f"/api/v1/units/{units[0]['id']}/destroy", json={}).status_code == 422
    destroyed = bank.post(f"/api/v1/units/{units[0]['id']}/destroy", {"reason": "vial cracked"}, expect=200)
    assert destroyed["state"] == "destroyed"
    chain = bank.client.get(f"/api/v1/units/{units[0]['id']}/custody").json
    assert (chain[-1]["event_type"], chain[-1]["to_place"], chain[-1]["manual_reason"]) == ("destroyed", "gone",
                                                                                          "vial cracked")
