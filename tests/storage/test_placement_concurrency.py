"""Two people placing into the same position at the same time (PostgreSQL): exactly one succeeds."""

import dataclasses
import multiprocessing

import pytest

from app.extensions import db
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import PASSWORD, create_user, make_app, migrate
from tests.storage.helpers import BOX

PLACERS = 6


def _place(database, unit_id: int, box_id: int, start, results) -> None:
    app = make_app(database)
    client = app.test_client()
    assert client.post("/api/v1/auth/login", json={"username": "tech1", "password": PASSWORD}).status_code == 200
    start.wait()
    response = client.post(f"/api/v1/units/{unit_id}/store", json={"box_id": box_id, "position": "A1"})
    results.put((response.status_code, response.json.get("message")))
    with app.app_context():
        db.engine.dispose()


def _build(app) -> tuple[list[int], int]:
    client = app.test_client()
    bank = Bank(client, lambda u, p=PASSWORD: client.post("/api/v1/auth/login", json={"username": u, "password": p}))

    build_bank(bank, lambda name, roles: create_user(app, name, roles))
    lot = build_drug_product(bank)
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "R2", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2", "racks": 1,
                                                        "boxes_per_rack": 1, "box": BOX})
    bank.as_user("tech1")
    units = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": PLACERS, "container_type": "cryovial",
                                                          "volume_ml": "1", "cells": 1000})
    return [u["id"] for u in units], tank["children"][0]["children"][0]["id"]


@pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)
def test_same_position_at_the_same_time_only_one_wins(tmp_path):
    database = create_database("postgresql", tmp_path)
    try:
        app = make_app(database)
        migrate(app)
        unit_ids, box_id = _build(app)
        with app.app_context():
            db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        start, results = context.Event(), context.Queue()
        picklable = dataclasses.replace(database, drop=None)
        workers = [context.Process(target=_place, args=(picklable, unit, box_id, start, results)) for unit in unit_ids]
        for process in workers:
            process.start()
        start.set()
        outcomes = [results.get(timeout=120) for _ in workers]
        for process in workers:
            process.join(timeout=60)
        statuses = sorted(status for status, _ in outcomes)
        assert statuses == [200] + [409] * (PLACERS - 1), outcomes
        assert all("A1" in message for status, message in outcomes if status == 409)
        with app.app_context():
            from sqlalchemy import func, select

            from app.storage.models import Unit

            assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.box_id == box_id)) == 1
            db.session.remove()
            db.engine.dispose()
    finally:
        database.drop()
