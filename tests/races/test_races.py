"""Concurrent state changes on PostgreSQL: of two people doing it at the same moment, exactly one succeeds; the
other gets 409 "changed by someone else meanwhile" and nothing of theirs is written."""

import contextlib

import pytest
from sqlalchemy import func, select

import audit
from app.auth.models import User
from app.core.versioning import CHANGED_MEANWHILE
from app.custody.models import CustodyEvent
from app.extensions import db
from app.lots.models import Lot
from app.monitoring.models import ExcursionFlag
from app.signatures.models import Signature
from app.storage.models import Unit
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import PASSWORD, api_login, create_user, make_app, migrate
from tests.races.harness import Call, race
from tests.storage.helpers import BOX

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)


class Built:
    """A fresh PostgreSQL database with a bank built through the API, and a way to read it afterwards."""

    def __init__(self, database, app, bank):
        self.database, self.app, self.bank = database, app, bank

    def scalar(self, query):
        with self.app.app_context():
            try:
                return db.session.scalar(query)
            finally:
                db.session.remove()

    def verify(self) -> None:
        with self.app.app_context(), db.engine.connect() as conn:
            verdict = audit.verify(conn)
        assert verdict.ok, verdict.line()


@contextlib.contextmanager
def built(tmp_path, extra_users=()):
    database = create_database("postgresql", tmp_path)
    try:
        app = make_app(database)
        migrate(app)
        client = app.test_client()
        bank = Bank(client, lambda username, password=PASSWORD: api_login(client, username, password))
        build_bank(bank, lambda name, roles: create_user(app, name, roles))
        for name, roles in extra_users:
            create_user(app, name, roles)
        yield Built(database, app, bank)
        with app.app_context():
            db.engine.dispose()
    finally:
        database.drop()


def _statuses(answers) -> list[int]:
    return sorted(status for _, status, _ in answers)


def _losers(answers) -> list[dict]:
    return [body for _, status, body in answers if status != 200]


def _quarantined_lot_ready_for_release(bank) -> dict:
    lot = build_drug_product(bank)
    bank.full_qc(lot["id"])
    return lot


def test_two_releases_of_one_lot(tmp_path):
    with built(tmp_path) as world:
        lot = _quarantined_lot_ready_for_release(world.bank)
        url = f"/api/v1/lots/{lot['id']}/release"
        answers = race(world.database, [Call("qa1", "POST", url, {"password": PASSWORD}),
                                        Call("qa2", "POST", url, {"password": PASSWORD})], table="lots")
        assert _statuses(answers) == [200, 409], answers
        assert _losers(answers)[0]["message"] == CHANGED_MEANWHILE
        signed = select(func.count()).select_from(Signature).where(Signature.record_type == "lots",
                                                                   Signature.record_id == lot["id"])
        assert world.scalar(signed) == 1
        world.verify()


def test_a_release_and_a_rejection_at_once(tmp_path):
    with built(tmp_path) as world:
        lot = _quarantined_lot_ready_for_release(world.bank)
        answers = race(world.database, [
            Call("qa1", "POST", f"/api/v1/lots/{lot['id']}/release", {"password": PASSWORD}),
            Call("qa2", "POST", f"/api/v1/lots/{lot['id']}/reject", {"password": PASSWORD, "reason": "doubt"})],
            table="lots")
        assert _statuses(answers) == [200, 409], answers
        [winner] = [call for call, status, _ in answers if status == 200]
        state = world.scalar(select(Lot.state).where(Lot.id == lot["id"]))
        assert state == ("released" if winner.url.endswith("release") else "rejected")
        meanings = select(Signature.meaning).where(Signature.record_type == "lots", Signature.record_id == lot["id"])
        with world.app.app_context():
            assert db.session.scalars(meanings).all() == ["released for clinical use" if state == "released"
                                                          else "rejected"]
            newest_first, _ = audit.entries(db.session, audit.Filters(entity_type="lots", entity_id=str(lot["id"])))
            state_changes = [e["changes"]["state"] for e in newest_first if "state" in e["changes"]]
            assert state_changes[0] == ["quarantine", state]  # the audit's old value is the real one
            db.session.remove()
        world.verify()


def test_an_excursion_flag_assessed_twice(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        tank_id, box, unit = _vial_and_tank(bank)
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": box}, expect=200)
        for value in ("-130", "-188"):
            bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank_id, "value_c": value,
                                                       "measured_at": _now()})
        flag = bank.client.get("/api/v1/excursions").json["items"][0]["flags"][0]
        body = {"password": PASSWORD, "assessment": "vapour phase stayed below -130 °C"}
        url = f"/api/v1/excursion-flags/{flag['id']}/close"
        answers = race(world.database, [Call("qa1", "POST", url, body), Call("qa2", "POST", url, body)],
                       table="excursion_flags")
        assert _statuses(answers) == [200, 409], answers
        assert world.scalar(select(func.count()).select_from(Signature).where(
            Signature.record_type == "excursion_flags")) == 1
        assert world.scalar(select(ExcursionFlag.closed_at).where(ExcursionFlag.id == flag["id"])) is not None
        world.verify()


def test_one_unit_stored_into_two_positions(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        _, box, unit = _vial_and_tank(bank)
        url = f"/api/v1/units/{unit['id']}/store"
        answers = race(world.database, [Call("tech1", "POST", url, {"box_id": box, "position": position})
                                        for position in ("A1", "B2", "C3")], table="units")
        assert _statuses(answers) == [200, 409, 409], answers
        assert world.scalar(select(func.count()).select_from(CustodyEvent).where(
            CustodyEvent.unit_id == unit["id"], CustodyEvent.event_type == "stored")) == 1
        [winner] = [call for call, status, _ in answers if status == 200]
        row, col = {"A1": (1, 1), "B2": (2, 2), "C3": (3, 3)}[winner.body["position"]]
        assert world.scalar(select(Unit.row).where(Unit.id == unit["id"])) == row
        assert world.scalar(select(Unit.col).where(Unit.id == unit["id"])) == col
        world.verify()


def test_two_admins_demoting_each_other_leave_one_admin(tmp_path):
    with built(tmp_path, extra_users=[("admin2", ["admin"])]) as world:
        ids = {u["username"]: u["id"] for u in world.bank.as_user("admin1").client.get("/api/v1/users").json["items"]}
        body = {"roles": ["qa"], "reason": "reorganisation"}
        answers = race(world.database, [Call("admin1", "PUT", f"/api/v1/users/{ids['admin2']}/roles", body),
                                        Call("admin2", "PUT", f"/api/v1/users/{ids['admin1']}/roles", body)],
                       table="users")
        assert _statuses(answers) == [200, 409], answers
        assert "no longer an active administrator" in _losers(answers)[0]["message"]
        with world.app.app_context():
            admins = [u for u in db.session.scalars(select(User).where(User.active.is_(True))) if "admin" in u.role_set]
            db.session.remove()
        assert len(admins) == 1
        world.verify()


def _vial_and_tank(bank) -> tuple[int, int, dict]:
    """A drug product's one vial, in hand, and a tank with one 3 × 3 box: (tank id, box id, vial)."""
    lot = build_drug_product(bank)
    tank_id, box = _tank(bank)
    vial = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 1, "container_type": "cryovial",
                                                         "volume_ml": "1", "cells": 1000})[0]
    return tank_id, box, vial


def _tank(bank) -> tuple[int, int]:
    """A tank with one 3 × 3 box; answers the tank's and the box's ids. Leaves tech1 logged in."""
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "R2", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2", "racks": 1,
                                                        "boxes_per_rack": 1, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": BOX})
    bank.as_user("tech1")
    return tank["id"], tank["children"][0]["children"][0]["id"]


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat()


def test_simultaneous_logins_and_failures_of_one_account_are_each_counted(tmp_path):
    """Login bookkeeping locks the account's row: four logins at once all succeed, four failures all count."""
    with built(tmp_path) as world:
        login = "/api/v1/auth/login"
        right = race(world.database, [Call("qa1", "POST", login, {"username": "tech2", "password": PASSWORD})] * 4,
                     table="users")
        assert _statuses(right) == [200] * 4, right
        wrong = race(world.database, [Call("qa1", "POST", login, {"username": "tech2", "password": "not it at all"})]
                     * 4, table="users")
        assert _statuses(wrong) == [401] * 4, wrong
        assert world.scalar(select(User.failed_logins).where(User.username == "tech2")) == 4
        world.verify()
