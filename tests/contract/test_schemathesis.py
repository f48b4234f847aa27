"""Schemathesis against the whole API, in process (WSGI), as admin and as technician, with every check.

Each (backend, role) run gets a database of its own, migrated and seeded with a small bank through the API
(tests/bankbuild.py), so that ids exist and state-changing calls commit for real without touching the shared
test database. Each case sends a fresh Bearer token of the role's user, so that a fuzzed call revoking a token
or resetting a password does not log the rest of the run out. A bounded number of examples per operation keeps
the run to a few minutes on 2 cores.
"""

import datetime as dt

import pytest
import schemathesis
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app import create_app
from app.extensions import db
from config import TestConfig as AppConfig
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import BACKENDS, PASSWORD, create_user, make_app

MAX_EXAMPLES = 5
ROLES = {"admin": "admin1", "technician": "tech1"}
#: parameters that name records: often one the seeded bank holds, else whatever is generated
PATH_IDS = ("user_id", "token_id", "donor_id", "procurement_id", "material_id", "lot_id", "step_id", "deviation_id",
            "result_id", "location_id", "unit_id", "shipment_id", "excursion_id", "flag_id")
BODY_IDS = ("donor_id", "procurement_id", "box_id", "from_box_id", "storage_unit_id", "room_id", "rack_id",
            "target_id", "parent_id", "record_id", "unit_ids[*]", "other_parent_ids[*]", "materials[*].material_id")
#: refusals of schema-valid input that no JSON Schema can express: a time "not in the future", a label of this
#: box's own grid, a test code of this lot's specification, a password that is not the current one. They are
#: 422 by the API's contract (DESIGN §6); every other status outside 2xx/401/403/404/409/429 still fails.
POSITIVE_STATUSES = ["2xx", "401", "403", "404", "409", "422", "429"]
CONFIG = {
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
    "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES}},
    "dictionaries": {"seeded": {"values": [1, 2, 3, 4, 5]}},
    "parameters": {key: {"dictionary": "seeded", "probability": 0.5}
                   for key in [f"path.{name}" for name in PATH_IDS] + [f"body.{name}" for name in BODY_IDS]},
}


def seed_storage(bank: Bank, drug_product: dict) -> None:
    """A tank with boxes, units of the drug product (one stored, one a QC sample in hand), a deviation, a QC result
    and an excursion that flagged the stored unit."""
    bank.as_user("admin1")
    site = bank.post("/api/v1/storage/locations", {"kind": "site", "name": "CHU Rennes"})
    room = bank.post("/api/v1/storage/locations", {"kind": "room", "name": "Room 2", "parent_id": site["id"]})
    tank = bank.post("/api/v1/storage/templates/tank", {"room_id": room["id"], "name": "LN2-1", "racks": 1,
                                                        "boxes_per_rack": 2, "min_temp_c": "-196",
                                                        "max_temp_c": "-150", "box": {"rows": 3, "columns": 3}})
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


def _ago(minutes: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).isoformat()


class FuzzBank:
    """A migrated database of its own with a small bank, and the app serving it."""

    def __init__(self, backend: str, directory):
        self.database = create_database(backend, directory)
        # lockout would end the run after five fuzzed wrong passwords: the fuzzing user keeps its account
        self.app = make_app(self.database, MAX_FAILED_LOGINS=10**9)
        with self.app.app_context():
            upgrade()
        self.client = self.app.test_client()
        bank = Bank(self.client, self._login)
        build_bank(bank, lambda username, roles: create_user(self.app, username, roles))
        dp = build_drug_product(bank)
        seed_storage(bank, dp)
        self.client.post("/api/v1/auth/logout")
        self.tokens: dict[str, str] = {}

    def _login(self, username: str):
        return self.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})

    def token(self, username: str, renew: bool = False) -> str:
        """A personal Bearer token of this user (a new one when asked: a fuzzed call may have revoked it)."""
        if not renew and username in self.tokens:
            return self.tokens[username]
        client = self.app.test_client()
        assert client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).status_code == 200
        issued = client.post("/api/v1/tokens", json={"name": "schemathesis"})
        assert issued.status_code == 201, issued.json
        self.tokens[username] = issued.json["token"]
        return self.tokens[username]

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()
        self.database.drop()


@pytest.fixture(scope="module", params=[(backend, role) for backend in BACKENDS for role in ROLES],
                ids=lambda param: "-".join(param))
def fuzzed(request, tmp_path_factory):
    backend, role = request.param
    if backend == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    bank = FuzzBank(backend, tmp_path_factory.mktemp("fuzz"))
    yield bank, ROLES[role]
    bank.close()


#: the document is the same whatever the database: read it from an app that never connects to one
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(AppConfig("sqlite://")),
                                        config=SchemathesisConfig.from_dict(CONFIG))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_documented_contract(case, fuzzed):
    bank, username = fuzzed
    response = case.call_and_validate(app=bank.app, headers={"Authorization": f"Bearer {bank.token(username)}"})
    if response.status_code == 401:
        bank.token(username, renew=True)  # a fuzzed call may have revoked the token: the next case gets a new one
