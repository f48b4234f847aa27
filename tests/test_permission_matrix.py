"""Every route of the URL map, API and pages, × every role and the anonymous visitor, against the one permission
table (app/core/permissions.py).

A route that names no action of the table fails. Each (route, method, role) is sent as a real request to a small
seeded bank in a database of its own, authenticated by the role's personal Bearer token: a refused role must get
403 (the anonymous visitor 401 from the API, a redirect to the login page from a page), an allowed one anything but
401/403 (and never a 500). The users are built once per database; the requests commit, in route order.
"""

import pytest
from werkzeug.routing.converters import AnyConverter

from app.core.permissions import ANONYMOUS, ROLES, required, roles_for
from tests.bankbuild import SeededBank
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.dispensing.helpers import enrolled_patient, order
from tests.helpers import BACKENDS, PASSWORD, create_user

#: the user of each role (build_bank makes the first three)
USERS = {"admin": "admin1", "technician": "tech1", "qa": "qa1", "pharmacist": "pharm1", "clinician": "clin1"}
ASKERS = (*ROLES, ANONYMOUS)
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


class MatrixBank(SeededBank):
    """The seeded bank, a user of every role, a shipment in transit, and an id for every URL argument."""

    def __init__(self, backend: str, directory):
        super().__init__(backend, directory)
        for role in ("pharmacist", "clinician"):
            create_user(self.app, USERS[role], [role])
        patient = enrolled_patient(self.bank)
        dose = order(self.bank, patient)
        event = self.bank.as_user("clin1").post(f"/api/v1/patients/{patient['id']}/adverse-events", {
            "kind": "event", "occurred_on": "2026-11-30", "description": "fall on the ward",
            "seriousness": "disability", "outcome": "serious sequelae"})
        bank = self.bank.as_user("tech1")
        shipment = bank.post("/api/v1/shipments", {"unit_ids": [bank.units[0]["id"]], "destination": "CHU Nantes",
                                                   "shipper": "SHIP-0001"})  # the QC sample in hand
        lot_id, box = self.drug_product["id"], self.tank["children"][0]["children"][0]
        recall = bank.as_user("qa1").post("/api/v1/recalls", {"target": f"lot:{self.drug_product['id']}",
                                                               "reason": "sterility failure", "password": PASSWORD})
        bank.as_user("tech1")
        [excursion] = self._json("/api/v1/excursions")["items"]
        template = self._json("/api/v1/label-templates")["items"][0]
        listed = bank.as_user("admin1").client.get("/api/v1/users").json["items"]
        users = {user["username"]: user["id"] for user in listed}
        self.ids = {  # token 1 is admin1's own, issued first below; for anyone else it is not found
            "user_id": users["tech2"], "token_id": 1, "donor_id": bank.donor["id"],
            "procurement_id": bank.procurement["id"], "material_id": bank.material["id"], "lot_id": lot_id,
            "step_id": self._json(f"/api/v1/lots/{lot_id}/steps")[0]["id"],
            "deviation_id": self._json(f"/api/v1/lots/{lot_id}/deviations")[0]["id"],
            "result_id": self._json(f"/api/v1/lots/{lot_id}/qc-results")[0]["id"], "location_id": box["id"],
            "box_id": box["id"], "unit_id": bank.units[1]["id"], "shipment_id": shipment["id"],
            "excursion_id": excursion["id"], "flag_id": excursion["flags"][0]["id"], "filename": "cellbank.css",
            "template_id": template["id"], "version_id": template["versions"][0]["id"],
            "printer_id": self._json("/api/v1/printers")["items"][0]["id"], "patient_id": patient["id"],
            "dose_id": dose["id"], "recall_id": recall["recall"]["id"],
            "case_id": event["case"]["id"],
        }
        self.client.post("/api/v1/auth/logout")
        self.headers = {role: {"Authorization": f"Bearer {self.token(USERS[role])}"} for role in ROLES}
        self.headers[ANONYMOUS] = {}

    def _json(self, url: str):
        response = self.client.get(url)
        assert response.status_code == 200, response.json
        return response.json


@pytest.fixture(scope="module", params=BACKENDS)
def matrix(request, tmp_path_factory):
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    bank = MatrixBank(request.param, tmp_path_factory.mktemp("matrix"))
    yield bank
    bank.close()


def _routes(app) -> list[tuple]:
    """(rule, method) for every route of the URL map, in path order."""
    return [(rule, method) for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
            for method in sorted(rule.methods - SKIPPED_METHODS)]


def _url(app, rule, ids: dict) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = sorted(converter.items)[0] if isinstance(converter, AnyConverter) else ids[name]
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _answer(client, method: str, url: str, headers: dict):
    if url.startswith("/api/") and method in ("POST", "PUT", "PATCH", "DELETE"):
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={} if method != "GET" else None, headers=headers)


def _wrong(url: str, asker: str, allowed: bool, response) -> str | None:
    """What is wrong with this answer, in words, or None."""
    status, page = response.status_code, not url.startswith("/api/")
    # the refusal's redirect names the page asked for (the start page and logout lead to the login page too)
    to_login = status in (302, 303) and response.location.startswith("/login?next=")
    if status >= 500:
        return f"{status}"
    if allowed:
        return f"{status} for an allowed {asker}" if status in (401, 403) or to_login else None
    if asker == ANONYMOUS:
        expected = "a redirect to the login page" if page else "401"
        return None if (to_login if page else status == 401) else f"{status}, expected {expected}"
    return None if status == 403 else f"{status}, expected 403"


def test_every_route_names_an_action_of_the_table(matrix):
    unnamed = [f"{method} {rule.rule} ({rule.endpoint})" for rule, method in _routes(matrix.app)
               if required(rule.endpoint, method, matrix.app) is None]
    assert not unnamed, "routes without an entry in the permission table: " + "; ".join(unnamed)


def test_every_route_answers_every_role_as_the_table_says(matrix):
    clients = {asker: matrix.app.test_client(use_cookies=False) for asker in ASKERS}
    wrong, sent = [], 0
    for rule, method in _routes(matrix.app):
        action = required(rule.endpoint, method, matrix.app)
        if action is None:
            wrong.append(f"{method} {rule.rule}: no action")
            continue
        url = _url(matrix.app, rule, matrix.ids)
        for asker in ASKERS:
            response = _answer(clients[asker], method, url, matrix.headers[asker])
            sent += 1
            problem = _wrong(url, asker, asker in roles_for(action), response)
            response.close()
            if problem:
                wrong.append(f"{method} {url} as {asker} ({action}): {problem}")
    assert sent > 500  # the whole map was walked: every route × every asker
    assert not wrong, f"{len(wrong)} answer(s) disagree with the permission table:\n" + "\n".join(wrong)
