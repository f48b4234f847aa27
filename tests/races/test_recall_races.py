"""Recalls at the same moment on PostgreSQL: two recalls touching the same units both hold; one unit's disposition
recorded twice at once is recorded once."""

import pytest
from sqlalchemy import func, select

from app.lots.models import Lot
from app.recalls.models import Recall, RecallUnit
from tests.bankbuild import build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.helpers import PASSWORD
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)


def _released_units(bank) -> tuple[dict, list[dict]]:
    lot = build_drug_product(bank)
    bank.full_qc(lot["id"])
    bank.as_user("qa2").release(lot["id"])
    return lot, bank.as_user("tech1").post(f"/api/v1/lots/{lot['id']}/units", {
        "count": 3, "container_type": "cryovial", "volume_ml": "1.5", "cells": 25_000_000})


def _recall(target: str, reason: str) -> dict:
    return {"target": target, "reason": reason, "password": PASSWORD}


def test_two_recalls_of_the_same_units_at_once_both_hold(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        lot, units = _released_units(bank)
        calls = [Call("qa1", "POST", "/api/v1/recalls", _recall(f"lot:{lot['id']}", "sterility failure")),
                 Call("qa2", "POST", "/api/v1/recalls", _recall(f"donor:{bank.donor['id']}", "donor look-back"))]
        answers = race(world.database, calls, table="recalls")
        assert sorted(status for _, status, _ in answers) == [201, 201], answers
        assert world.scalar(select(func.count()).select_from(Recall)) == 2
        for unit in units:
            assert world.scalar(select(func.count()).select_from(RecallUnit).where(
                RecallUnit.unit_id == unit["id"])) == 2
        assert world.scalar(select(Lot.state).where(Lot.id == lot["id"])) == "recalled"
        world.verify()


def test_one_disposition_recorded_twice_at_once_is_recorded_once(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        lot, units = _released_units(bank)
        recall = bank.as_user("qa1").post("/api/v1/recalls", _recall(f"lot:{lot['id']}", "sterility failure"))
        url = f"/api/v1/recalls/{recall['recall']['id']}/dispositions"
        calls = [Call("tech1", "POST", url, {"barcode": units[0]["barcode"], "disposition": "quarantined"}),
                 Call("tech2", "POST", url, {"barcode": units[0]["barcode"], "disposition": "returned"})]
        answers = race(world.database, calls, table="recall_units")
        assert sorted(status for _, status, _ in answers) == [201, 409], answers
        [loser] = [body for _, status, body in answers if status == 409]
        assert f"unit {units[0]['barcode']} is already accounted for in recall" in loser["message"]
        [winner] = [body for _, status, body in answers if status == 201]
        assert world.scalar(select(RecallUnit.disposition).where(
            RecallUnit.unit_id == units[0]["id"])) == winner["disposition"]
        world.verify()
