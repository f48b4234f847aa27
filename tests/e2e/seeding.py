"""Seeding the live server through its API: a tank with one 3 × 3 box and cryovials of a drug-product lot."""

from dataclasses import dataclass

from tests.bankbuild import Bank
from tests.helpers import PASSWORD, create_user


@dataclass(frozen=True)
class Names:
    """A test's own names: the live database is shared by every e2e test."""

    prefix: str  #: users <prefix>-admin, <prefix>-tech and <prefix>-tech2 (who receives the procurement)
    number: int  #: donor ASC-<number>, tissue lot T-0<number>, product codes S9<last two digits>1 and …4
    lot: str  #: the drug-product lot's number
    tank: str


def api_client(live_server) -> Bank:
    """A Bank driver on the live app's own test client."""
    client = live_server.app.test_client()
    return Bank(client, lambda name, password=PASSWORD: client.post(
        "/api/v1/auth/login", json={"username": name, "password": password}))


def tank_with_vials(live_server, names: Names, vials: int, extra_users=(), **tank) -> tuple[Bank, dict, list]:
    """A tank (one rack, one 3 × 3 box) and vials of a new drug-product lot, in hand; the technician logged in."""
    bank = api_client(live_server)
    admin, tech, receiver = (f"{names.prefix}-{role}" for role in ("admin", "tech", "tech2"))
    for name, roles in ((admin, ["admin"]), (tech, ["technician"]), (receiver, ["technician"]), *extra_users):
        create_user(live_server.app, name, roles)
    bank.as_user(admin)
    code = 9000 + names.number % 100 * 10
    for offset, kind in ((1, "tissue"), (4, "drug_product")):
        bank.post("/api/v1/product-codes", {"code": f"S{code + offset}", "description": f"{names.prefix} {kind}",
                                            "lot_kind": kind})
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": f"{names.prefix} site"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": f"{names.prefix} room",
                                                   "parent_id": site["id"]})
    made = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": names.tank, "racks": 1,
                                                        "boxes_per_rack": 1, "box": {"rows": 3, "columns": 3}, **tank})
    bank.as_user(tech)
    donor = bank.post("/api/v1/donors", {"code": f"ASC-{names.number}", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": donor["id"], "collected_at": "2026-03-02T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "250", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    bank.as_user(receiver).post(f"/api/v1/procurements/{procurement['id']}/receipt",
                                {"received_at": "2026-03-02T12:00:00+01:00", "temperature_c": "5"}, expect=200)
    bank.as_user(tech)
    tissue = bank.post("/api/v1/lots", {"procurement_id": procurement["id"], "number": f"T-0{names.number}",
                                        "product_code": f"S{code + 1}"})
    lot = bank.post(f"/api/v1/lots/{tissue['id']}/children", {"number": names.lot, "kind": "drug_product",
                                                              "product_code": f"S{code + 4}", "passage": 2})
    made_vials = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": vials, "container_type": "cryovial",
                                                               "volume_ml": "1.5", "cells": 25_000_000})
    return bank, made, made_vials
