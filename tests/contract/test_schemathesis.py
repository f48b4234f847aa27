"""Schemathesis against the whole API, in process (WSGI), as admin and as technician, with every check.

Each (backend, role) run gets a database of its own, migrated and seeded with a small bank through the API
(tests/bankbuild.py: SeededBank), so that ids exist and state-changing calls commit for real without touching the shared
test database. Each case sends a fresh Bearer token of the role's user, so that a fuzzed call revoking a token
or resetting a password does not log the rest of the run out. A bounded number of examples per operation keeps
the run to a few minutes on 2 cores.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app import create_app
from config import TestConfig as AppConfig
from tests.bankbuild import SeededBank
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import enrolled_patient, order
from tests.helpers import BACKENDS, create_user

MAX_EXAMPLES = 5
ROLES = {"admin": "admin1", "technician": "tech1"}
#: parameters that name records: often one the seeded bank holds, else whatever is generated
PATH_IDS = ("user_id", "token_id", "donor_id", "procurement_id", "material_id", "lot_id", "step_id", "deviation_id",
            "result_id", "location_id", "unit_id", "shipment_id", "excursion_id", "flag_id", "template_id",
            "version_id", "printer_id", "box_id", "patient_id", "dose_id")
BODY_IDS = ("donor_id", "procurement_id", "box_id", "from_box_id", "storage_unit_id", "room_id", "rack_id",
            "target_id", "parent_id", "record_id", "unit_ids[*]", "other_parent_ids[*]", "materials[*].material_id",
            "record_ids[*]", "printer_id", "template_id")
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


@pytest.fixture(scope="module", params=[(backend, role) for backend in BACKENDS for role in ROLES],
                ids=lambda param: "-".join(param))
def fuzzed(request, tmp_path_factory):
    backend, role = request.param
    if backend == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    # lockout would end the run after five fuzzed wrong passwords: the fuzzing user keeps its account
    bank = SeededBank(backend, tmp_path_factory.mktemp("fuzz"), MAX_FAILED_LOGINS=10**9)
    create_user(bank.app, "clin1", ["clinician"])
    order(bank.bank, enrolled_patient(bank.bank))  # a patient and a dose for the fuzzer to reach
    bank.client.post("/api/v1/auth/logout")
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
