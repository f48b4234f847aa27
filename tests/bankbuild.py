"""A bank built through the API: eligible donor, received procurement, materials, spec, lots up to a drug product.

The `bank` and `drug_product` fixtures (tests/conftest.py), the e2e tests and the benchmarks use these builders."""

from tests.helpers import PASSWORD

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
