"""The storage benchmark's bank, built through the real app: users, lots, tanks of boxes, fresh units to place."""

import math
import string
from dataclasses import dataclass

from sqlalchemy import select

import audit
from app.auth.models import User
from app.core.transaction import unit_of_work
from app.extensions import db
from app.storage import locations
from app.storage.models import StorageLocation
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.helpers import PASSWORD, create_user

TANKS = 10
BOXES_PER_RACK = 10
BOX = {"rows": 10, "columns": 10}
#: the most units of one DIN and product code (ISBT 128 divisions A0 … Zz; app/lots/divisions.py)
UNITS_PER_LOT = 702


@dataclass(frozen=True)
class Layout:
    """Every box position of the bank, numbered 0 … size-1: boxes in id order, each filled row by row."""

    boxes: tuple[int, ...]
    rows: int
    columns: int

    @property
    def size(self) -> int:
        return len(self.boxes) * self.rows * self.columns

    def place(self, number: int) -> tuple[int, int, int]:
        """(box id, row, col) of position number."""
        box, cell = divmod(number, self.rows * self.columns)
        row, col = divmod(cell, self.columns)
        return self.boxes[box], row + 1, col + 1

    def label(self, number: int) -> str:
        """The position's label in its box, e.g. 'C7' (boxes keep their default labels A… × 1…)."""
        _, row, col = self.place(number)
        return f"{string.ascii_uppercase[row - 1]}{col}"


def racks_per_tank(positions_needed: int) -> int:
    """Racks per tank so that the TANKS tanks hold at least positions_needed positions."""
    per_rack = BOXES_PER_RACK * BOX["rows"] * BOX["columns"]
    return max(1, math.ceil(positions_needed / (TANKS * per_rack)))


def bank_client(app) -> Bank:
    """A test client of the app wrapped in the Bank driver of tests/bankbuild.py."""
    client = app.test_client()

    def login(username: str, password: str = PASSWORD):
        return client.post("/api/v1/auth/login", json={"username": username, "password": password})

    return Bank(client, login)


def build_lots(app) -> Bank:
    """Users, catalogue, donor and lots up to a drug product in quarantine, all through the API."""

    def make_user(name: str, roles) -> int:
        return create_user(app, name, roles, full_name=name.title() + " Bench", actor="bench-setup")

    bank = build_bank(bank_client(app), make_user)
    build_drug_product(bank)
    return bank


def user_id(app, username: str) -> int:
    """The id of the user with this username."""
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def build_tanks(app, racks: int) -> Layout:
    """A site, a room and TANKS tanks through locations.create_tank as admin1, one transaction per tank."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin1"))
        audit.set_actor(db.session, admin.id, admin.username, admin.roles, admin.full_name)
        with unit_of_work():
            site = locations.create_location(None, "site", "Bench site")
            room = locations.create_location(site, "room", "Bench cryostore")
        for number in range(1, TANKS + 1):
            with unit_of_work():
                room = db.session.get(StorageLocation, room.id)
                locations.create_tank(room, f"LN2-{number:02d}", racks, BOXES_PER_RACK, BOX, unit_type="ln2_vapour",
                                      min_temp_c=-196, max_temp_c=-150)
        boxes = db.session.scalars(select(StorageLocation.id).where(StorageLocation.kind == "box")
                                   .order_by(StorageLocation.id)).all()
    return Layout(tuple(boxes), BOX["rows"], BOX["columns"])


def fresh_units(bank: Bank, count: int) -> list[int]:
    """count units not yet placed, through POST /lots/{id}/children and POST /lots/{id}/units as tech1. Each lot
    has a product code of its own: one DIN and product code hold at most 702 divisions, all of them taken by the
    bulk-loaded units of the drug product."""
    mcb = bank.lots["mcb"]["id"]
    unit_ids = []
    for number in range(1, math.ceil(count / UNITS_PER_LOT) + 1):
        code = f"S2{number:03d}"
        bank.as_user("admin1").post("/api/v1/product-codes", {"code": code, "description": f"bench lot {number}",
                                                              "lot_kind": "drug_product"})
        lot = bank.as_user("tech1").post(f"/api/v1/lots/{mcb}/children", {
            "number": f"DP-B{number:03d}", "kind": "drug_product", "product_code": code, "passage": 4})
        size = min(UNITS_PER_LOT, count - len(unit_ids))
        made = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": size, "container_type": "cryovial",
                                                               "volume_ml": "1.5", "cells": 25_000_000})
        unit_ids += [unit["id"] for unit in made]
    return unit_ids
