"""A bank built through the API: eligible donor, received procurement, materials, spec, lots up to a drug product.

The `bank` and `drug_product` fixtures (tests/conftest.py), the e2e tests and the benchmarks use these builders;
SeededBank is a whole small bank in a database of its own, for tests that send many committing requests."""

import datetime as dt

from flask_migrate import upgrade

from app.extensions import db
from tests.databases import create_database
from tests.helpers import PASSWORD, api_login, create_user, make_app
from tests.printing.fakeprinter import refusing_port
from tests.printing.helpers import approved_template, set_expiry

DP_TESTS = [
    {"code": "CD73", "name": "CD73+", "kind": "numeric", "unit": "%", "lower": "95"},
    {"code": "CD45", "name": "CD45+", "kind": "numeric", "unit": "%", "upper": "2"},
    {"code": "VIAB", "name": "Viability", "kind": "numeric", "unit": "%", "lower": "70"},
    {"code": "COUNT", "name": "Cell count", "kind": "numeric", "unit": "10^6 cells", "lower": "10", "upper": "200"},
    {"code": "STERILITY", "name": "Sterility", "kind": "qualitative", "expected": "no growth"},
]
PASSING = {"CD73": ("98.5", "%"), "CD45": ("0.4", "%"), "VIAB": ("91", "%"), "COUNT": ("55", "10^6 cells"),
           "STERILITY": "no growth"}


def add_tests(client, donor_id: int, method: str, sample_date: str, result: str = "negative", markers=None):
    """Record one screening result per marker (default: the five required ones) through the API."""
    for marker in markers or ("HIV", "HBV", "HCV", "HTLV", "syphilis"):
        response = client.post(f"/api/v1/donors/{donor_id}/screening-tests", json={
            "marker": marker, "method": method, "sample_date": sample_date, "result": result})
        assert response.status_code == 201, response.json


class Bank:
    """Drives the API as different people and keeps the ids it created."""

    def __init__(self, client, login):
        self.client, self._login = client, login

    def as_user(self, username: str) -> "Bank":
        self.client.post("/api/v1/auth/logout")
        assert self._login(username).status_code == 200
        return self

    def post(self, url: str, body: dict | None = None, expect: int = 201):
        response = self.client.post(url, json=body or {})
        assert response.status_code == expect, response.json
        return response.json

    def qc(self, lot_id: int, code: str, value=None, expect: int = 201) -> dict:
        value = PASSING[code] if value is None else value
        body = {"test": code, "method": "flow cytometry", "instrument": "Navios EX",
                "performed_at": "2026-04-20T10:00:00+02:00"}
        body.update({"text_value": value} if isinstance(value, str) else {"value": value[0], "unit": value[1]})
        return self.post(f"/api/v1/lots/{lot_id}/qc-results", body, expect)

    def full_qc(self, lot_id: int, verifier: str = "tech2") -> None:
        results = [self.qc(lot_id, code) for code in PASSING]
        self.as_user(verifier)
        for result in results:
            self.post(f"/api/v1/qc-results/{result['id']}/verify", expect=200)

    def release(self, lot_id: int, password: str = PASSWORD, expect: int = 200):
        response = self.client.post(f"/api/v1/lots/{lot_id}/release", json={"password": password})
        assert response.status_code == expect, response.json
        return response.json


def build_bank(bank: Bank, make_user) -> Bank:
    """Create the users with make_user(name, roles=...), then everything else through the API."""
    client = bank.client
    for name, roles in (("admin1", ["admin"]), ("tech1", ["technician"]), ("tech2", ["technician"]),
                        ("qa1", ["qa"]), ("qa2", ["qa"])):
        make_user(name, roles=roles)
    bank.as_user("admin1")
    for code, kind in (("S1001", "tissue"), ("S1002", "culture_passage"), ("S1003", "master_cell_bank"),
                       ("S1004", "drug_product")):
        bank.post("/api/v1/product-codes", {"code": code, "description": f"ASC {kind}", "lot_kind": kind,
                                            "thaw_expiry_hours": 6 if kind == "drug_product" else None})
    bank.as_user("qa1").post("/api/v1/specifications", {"lot_kind": "drug_product", "name": "ASC DP release",
                                                        "tests": DP_TESTS})
    bank.as_user("tech1")
    donor = bank.post("/api/v1/donors", {"code": "ASC-D001", "consent_date": "2026-02-20",
                                         "consent_scope": "allogeneic ASC bank"})
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": donor["id"], "collected_at": "2026-03-02T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "250", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    bank.as_user("tech2").post(f"/api/v1/procurements/{procurement['id']}/receipt",
                               {"received_at": "2026-03-02T12:00:00+01:00", "temperature_c": "5"}, expect=200)
    bank.as_user("qa1").post(f"/api/v1/donors/{donor['id']}/eligibility",
                             {"password": PASSWORD, "meaning": "donor eligible"}, expect=200)
    bank.as_user("tech1")
    bank.donor, bank.procurement = donor, procurement
    bank.material = bank.post("/api/v1/materials", {"name": "Human platelet lysate", "supplier": "Macopharma",
                                                    "catalogue_number": "HPL-500", "supplier_lot": "L2601",
                                                    "expiry": "2027-01-31"})
    bank.tissue = bank.post("/api/v1/lots", {"procurement_id": procurement["id"], "number": "T-0001",
                                             "product_code": "S1001"})
    return bank


def build_drug_product(bank: Bank) -> dict:
    """Derive tissue → P1 → MCB → DP through the API and put the DP in quarantine."""
    p1 = bank.post(f"/api/v1/lots/{bank.tissue['id']}/children", {"number": "P1-0001", "kind": "culture_passage",
                                                                   "product_code": "S1002", "passage": 1})
    mcb = bank.post(f"/api/v1/lots/{p1['id']}/children", {"number": "MCB-0001", "kind": "master_cell_bank",
                                                           "product_code": "S1003", "passage": 2,
                                                           "population_doublings": "6.40"})
    dp = bank.post(f"/api/v1/lots/{mcb['id']}/children", {"number": "DP-0001", "kind": "drug_product",
                                                           "product_code": "S1004", "passage": 4})
    bank.post(f"/api/v1/lots/{dp['id']}/steps", {"step_type": "harvest", "equipment": "BSC-2",
                                                 "started_at": "2026-04-18T09:00:00+02:00",
                                                 "ended_at": "2026-04-18T11:00:00+02:00"})
    bank.post(f"/api/v1/lots/{dp['id']}/quarantine", {"reason": "processing finished"}, expect=200)
    bank.lots = {"p1": p1, "mcb": mcb, "dp": dp}
    return dp


def seed_storage(bank: Bank, drug_product: dict) -> dict:
    """A tank with boxes, units of the drug product (one stored, one a QC sample in hand), a deviation, a QC result
    and an excursion that flagged the stored unit; answers the tank as the API returns it."""
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU Rennes"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Room 2", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-1", "racks": 1,
                                                        "boxes_per_rack": 2, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": {"rows": 3, "columns": 3}})
    seed_printing(bank, drug_product)
    bank.as_user("tech1")
    units = bank.post(f"/api/v1/lots/{drug_product['id']}/units", {"count": 3, "container_type": "cryovial",
                                                                    "volume_ml": "1.5", "cells": 25_000_000,
                                                                    "qc_samples": 1})
    box = tank["children"][0]["children"][0]
    bank.post(f"/api/v1/units/{units[1]['id']}/store", {"box_id": box["id"]}, expect=200)
    bank.post(f"/api/v1/lots/{drug_product['id']}/deviations", {"description": "cap loose on one vial"})
    bank.qc(drug_product["id"], "CD73")
    bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank["id"], "measured_at": _ago(10),
                                               "value_c": "-120"})
    bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank["id"], "measured_at": _ago(5),
                                               "value_c": "-180"})
    bank.units = units
    return tank


def seed_printing(bank: Bank, drug_product: dict) -> None:
    """Approved cryovial, bag and box templates, the drug product's expiry, and a printer where nothing listens (a
    job sent to it fails at once, recorded as failed)."""
    for kind in ("cryovial", "bag", "box"):
        approved_template(bank, kind)
    bank.as_user("admin1").post("/api/v1/printers", {"name": "Zebra (nothing listens)", "host": "127.0.0.1",
                                                     "port": refusing_port(), "dpi": 300, "stock_name": "cryovial",
                                                     "stock_width_mm": "32.0", "stock_height_mm": "13.0"})
    set_expiry(bank.as_user("tech1"), drug_product["id"])


def _ago(minutes: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).isoformat()


class SeededBank:
    """A migrated database of its own with a small bank (build_bank, build_drug_product, seed_storage), the app
    serving it, and a personal Bearer token per user on demand. Requests to it commit for real."""

    def __init__(self, backend: str, directory, **config):
        self.database = create_database(backend, directory)
        self.app = make_app(self.database, **config)
        with self.app.app_context():
            upgrade()
        self.client = self.app.test_client()
        self.bank = Bank(self.client, lambda username: api_login(self.client, username))
        build_bank(self.bank, lambda username, roles: create_user(self.app, username, roles))
        self.drug_product = build_drug_product(self.bank)
        self.tank = seed_storage(self.bank, self.drug_product)
        self.client.post("/api/v1/auth/logout")
        self.tokens: dict[str, str] = {}

    def token(self, username: str, renew: bool = False) -> str:
        """A personal Bearer token of this user (a new one when asked: a call may have revoked it)."""
        if not renew and username in self.tokens:
            return self.tokens[username]
        client = self.app.test_client()
        assert api_login(client, username).status_code == 200
        issued = client.post("/api/v1/tokens", json={"name": "test token"})
        assert issued.status_code == 201, issued.json
        self.tokens[username] = issued.json["token"]
        return self.tokens[username]

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()
        self.database.drop()
