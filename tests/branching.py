"""A bank of two donors with branching genealogy, built through the API, for trace and FHIR tests.

    donor 1 → procurement 1 → T1 → P1 ─┬→ MCB1 → DP1 → units U1 (stored in a box), U2
                                        └→ WCB1 → DP2 → unit U3
    donor 2 → procurement 2 → T2 → P2 → DP3 → unit U4

Material HPL (the bank's) is consumed by P1 and P2 (both donors); trypsin by DP1 only. DP1 has its QC results and
QA's release signature.
"""

from types import SimpleNamespace

from tests.bankbuild import add_tests
from tests.helpers import PASSWORD
from tests.storage.helpers import boxes

STARTED = "2026-04-01T09:00:00+02:00"


def _child(bank, parent: dict, number: str, kind: str, code: str, passage: int) -> dict:
    return bank.post(f"/api/v1/lots/{parent['id']}/children", {"number": number, "kind": kind, "product_code": code,
                                                                "passage": passage})


def _step(bank, lot: dict, *materials: dict) -> None:
    bank.post(f"/api/v1/lots/{lot['id']}/steps", {
        "step_type": "seeding", "equipment": "BSC-2", "started_at": STARTED, "ended_at": "2026-04-01T10:00:00+02:00",
        "materials": [{"material_id": m["id"], "quantity": "50", "unit": "mL"} for m in materials]})


def _units(bank, lot: dict, count: int) -> list[dict]:
    return bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": count, "container_type": "cryovial",
                                                         "volume_ml": "1.5", "cells": 25_000_000})


def _second_donor(bank) -> tuple[dict, dict, dict]:
    donor = bank.post("/api/v1/donors", {"code": "ASC-D002", "consent_date": "2026-02-21",
                                         "consent_scope": "allogeneic ASC bank"})
    procurement = bank.post("/api/v1/procurements", {
        "donor_id": donor["id"], "collected_at": "2026-03-03T09:30:00+01:00", "site": "CHU Rennes",
        "quantity": "200", "quantity_unit": "mL", "transport_conditions": "2-8 °C"})
    add_tests(bank.client, donor["id"], "NAT", "2026-03-03")
    bank.as_user("tech2").post(f"/api/v1/procurements/{procurement['id']}/receipt",
                               {"received_at": "2026-03-03T12:00:00+01:00", "temperature_c": "5"}, expect=200)
    bank.as_user("qa1").post(f"/api/v1/donors/{donor['id']}/eligibility",
                             {"password": PASSWORD, "meaning": "donor eligible"}, expect=200)
    tissue = bank.as_user("tech1").post("/api/v1/lots", {"procurement_id": procurement["id"], "number": "T-0002",
                                                         "product_code": "S1001"})
    return donor, procurement, tissue


def build_branching(bank, tank: dict) -> SimpleNamespace:
    """The two-donor bank above; answers its records as the API returned them."""
    bank.as_user("admin1").post("/api/v1/product-codes", {"code": "S1005", "description": "ASC working cell bank",
                                                          "lot_kind": "working_cell_bank"})
    bank.as_user("tech1")
    trypsin = bank.post("/api/v1/materials", {"name": "TrypLE", "supplier": "Gibco", "catalogue_number": "TL-1",
                                              "supplier_lot": "TR26", "expiry": "2027-06-30"})
    bank.as_user("qa1")
    for material in (bank.material, trypsin):
        bank.post(f"/api/v1/materials/{material['id']}/decision", {"password": PASSWORD,
                                                                   "meaning": "approved for use"}, expect=200)
    bank.as_user("tech1")
    donor2, procurement2, t2 = _second_donor(bank)
    p1 = _child(bank, bank.tissue, "P1-0001", "culture_passage", "S1002", 1)
    mcb1 = _child(bank, p1, "MCB-0001", "master_cell_bank", "S1003", 2)
    wcb1 = _child(bank, p1, "WCB-0001", "working_cell_bank", "S1005", 2)
    dp1 = _child(bank, mcb1, "DP-0001", "drug_product", "S1004", 4)
    dp2 = _child(bank, wcb1, "DP-0002", "drug_product", "S1004", 4)
    p2 = _child(bank, t2, "P1-0002", "culture_passage", "S1002", 1)
    dp3 = _child(bank, p2, "DP-0003", "drug_product", "S1004", 3)
    _step(bank, p1, bank.material)
    _step(bank, p2, bank.material)
    _step(bank, dp1, trypsin)
    bank.post(f"/api/v1/lots/{dp1['id']}/quarantine", {"reason": "processing finished"}, expect=200)
    bank.full_qc(dp1["id"])
    bank.as_user("qa2").release(dp1["id"])
    bank.as_user("tech1")
    u1, u2 = _units(bank, dp1, 2)
    [u3], [u4] = _units(bank, dp2, 1), _units(bank, dp3, 1)
    bank.post(f"/api/v1/units/{u1['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    return SimpleNamespace(donor1=bank.donor, procurement1=bank.procurement, t1=bank.tissue, donor2=donor2,
                           procurement2=procurement2, t2=t2, p1=p1, mcb1=mcb1, wcb1=wcb1, dp1=dp1, dp2=dp2, p2=p2,
                           dp3=dp3, hpl=bank.material, trypsin=trypsin, u1=u1, u2=u2, u3=u3, u4=u4, box=boxes(tank)[0])
