"""A constraint the database enforces is answered 409 naming the rule, from a flush or from the commit; never a 500."""

import audit
from app.core.transaction import unit_of_work
from app.extensions import db
from app.lots.models import ProductCode
from app.storage.models import BlockedPosition
from tests.helpers import count_audit, make_app
from tests.storage.helpers import boxes


def test_blocking_a_position_twice_is_409_naming_the_rule(bank, tank, session):
    bank.as_user("admin1")
    box = boxes(tank)[0]
    bank.post(f"/api/v1/storage/locations/{box['id']}/blocked-positions", {"position": "A1", "reason": "cracked"})
    before = count_audit(session)
    again = bank.client.post(f"/api/v1/storage/locations/{box['id']}/blocked-positions",
                             json={"position": "A1", "reason": "still cracked"})
    assert again.status_code == 409, again.json
    assert "blocked once" in again.json["message"] and again.json["errors"]["rule"]
    assert count_audit(session) == before
    assert session.query(BlockedPosition).filter_by(box_id=box["id"]).count() == 1


def test_a_parent_named_twice_is_refused_not_500(bank, drug_product, session):
    tissue = bank.tissue["id"]
    before = count_audit(session)
    response = bank.client.post(f"/api/v1/lots/{tissue}/children", json={
        "number": "P1-0099", "kind": "culture_passage", "product_code": "S1002", "other_parent_ids": [tissue]})
    assert response.status_code == 409 and "parent" in response.json["message"], response.json
    assert count_audit(session) == before


def test_the_same_unit_twice_in_a_shipment_is_refused_not_500(bank, drug_product, tank, session):

    made = bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 1, "container_type": "cryovial",
                                                                   "volume_ml": "1.5", "cells": 1000,
                                                                   "qc_samples": 1})
    response = bank.client.post("/api/v1/shipments", json={"unit_ids": [made[0]["id"]] * 2,
                                                           "destination": "QC lab", "shipper": "DS-1"})
    assert response.status_code == 422 and "once" in response.json["message"], response.json


def test_a_violation_found_at_commit_is_the_same_409(database, app, connection, make_user, session):
    """A change flushed only by the commit (in app/core/transaction.py's after_request) still answers 409."""
    with app.app_context():
        audit.set_actor(db.session, None, "test-setup")
        with unit_of_work():
            db.session.add(ProductCode(code="S2001", description="ASC tissue", lot_kind="tissue", active=True))
    probe = make_app(database)

    def duplicate():
        db.session.add(ProductCode(code="S2001", description="the same code again", lot_kind="tissue", active=True))
        return {"added": True}, 201

    probe.add_url_rule("/api/v1/probe/duplicate-product-code", "api_probe", duplicate, methods=["POST"])
    probe.add_url_rule("/probe/duplicate-product-code", "page_probe", duplicate, methods=["POST"])

    before = count_audit(session)
    response = probe.test_client().post("/api/v1/probe/duplicate-product-code")
    assert response.status_code == 409, response.get_data(as_text=True)[:300]
    assert set(response.json) == {"code", "status", "message", "errors"} and "unique" in response.json["message"]
    assert count_audit(session) == before
    assert session.query(ProductCode).filter_by(code="S2001").count() == 1
    page = probe.test_client().post("/probe/duplicate-product-code")
    assert page.status_code == 409 and "unique" in page.get_data(as_text=True)
    assert session.query(ProductCode).filter_by(code="S2001").count() == 1
