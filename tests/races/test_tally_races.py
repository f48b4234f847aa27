"""Unit tallies on PostgreSQL: people creating and destroying units of the same lots at the same moment all
succeed, and every one of their changes is in the tallies (no lost update, no deadlock at the fold): two destroy
units of one lot (the same two tallies), two create units in two other lots."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.storage import tallies
from app.storage.tallies import UnitTallyChange
from tests.bankbuild import build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)

VIALS = {"container_type": "cryovial", "volume_ml": "1", "cells": 1000}


def test_units_created_and_destroyed_in_the_same_lots_at_once_are_all_tallied(tmp_path):
    with built(tmp_path, extra_users=[("tech3", ["technician"]), ("tech4", ["technician"])]) as world:
        product = build_drug_product(world.bank)["id"]
        doomed = [unit["id"] for unit in world.bank.post(f"/api/v1/lots/{product}/units", {"count": 4, **VIALS})[:2]]
        calls = [Call(f"tech{n + 1}", "POST", f"/api/v1/lots/{world.bank.lots[lot]['id']}/units", {"count": 5, **VIALS})
                 for n, lot in enumerate(("mcb", "p1"))]
        calls += [Call(f"tech{n + 3}", "POST", f"/api/v1/units/{doomed[n]}/destroy", {"reason": "vial cracked"})
                  for n in range(2)]
        answers = race(world.database, calls, table="unit_tallies")
        assert sorted(status for _, status, _ in answers) == [200, 200, 201, 201], answers
        with world.app.app_context():
            with db.engine.connect() as conn:
                assert tallies.mismatches(conn) == {}
            assert db.session.scalar(select(func.count()).select_from(UnitTallyChange)) == 0
        page = world.bank.client.get("/api/v1/units?per_page=1").json
        assert page["total"] == 14
        destroyed = world.bank.client.get(f"/api/v1/units?lot_id={product}&state=destroyed").json
        assert [unit["id"] for unit in destroyed["items"]] == doomed and destroyed["total"] == 2
        world.verify()
