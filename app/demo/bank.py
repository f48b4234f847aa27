"""Demo bank: an eligible donor, a genealogy down to a released drug-product lot, and a lot in quarantine
with an out-of-specification result. Everything goes through the real operations, so it is all audited."""

import datetime as dt
from decimal import Decimal

import audit
from app.auth.models import User
from app.core.timezones import site_zone
from app.demo.dispensing import load_patients
from app.demo.printing import load_templates
from app.demo.storage import build_tanks, load_storage
from app.donors import operations as donors
from app.extensions import db
from app.lots import operations as lots
from app.materials import operations as materials
from app.qc import operations as qc
from app.release import operations as release

PARIS = dt.timezone(dt.timedelta(hours=1))
CATALOGUE = (("S1001", "Adipose tissue, lipoaspirate, for ASC manufacture", "tissue"),
             ("S1002", "ASC culture passage", "culture_passage"),
             ("S1003", "ASC master cell bank", "master_cell_bank"),
             ("S1004", "ASC working cell bank", "working_cell_bank"),
             ("S1005", "ASC drug product, intrathecal, cryopreserved", "drug_product"))
ISCT_TESTS = [
    *({"code": m, "name": f"{m}+ cells", "kind": "numeric", "unit": "%", "lower": Decimal(95)}
      for m in ("CD73", "CD90", "CD105")),
    *({"code": m, "name": f"{m}+ cells", "kind": "numeric", "unit": "%", "upper": Decimal(2)}
      for m in ("CD45", "CD34", "CD14", "CD19", "HLA-DR")),
    {"code": "VIABILITY", "name": "Viability (7-AAD)", "kind": "numeric", "unit": "%", "lower": Decimal(70)},
    {"code": "COUNT", "name": "Total viable cells", "kind": "numeric", "unit": "10^6 cells", "lower": Decimal(50),
     "upper": Decimal(150)},
    {"code": "STERILITY", "name": "Sterility (Ph. Eur. 2.6.27)", "kind": "qualitative", "expected": "no growth"},
    {"code": "MYCOPLASMA", "name": "Mycoplasma (NAT)", "kind": "qualitative", "expected": "not detected"},
    {"code": "ENDOTOXIN", "name": "Endotoxin", "kind": "numeric", "unit": "EU/mL", "upper": Decimal("0.5")},
    {"code": "KARYOTYPE", "name": "Karyotype", "kind": "qualitative", "expected": "normal"},
]
GOOD = {"CD73": "99.1", "CD90": "98.7", "CD105": "97.2", "CD45": "0.3", "CD34": "0.8", "CD14": "0.2",
        "CD19": "0.1", "HLA-DR": "0.4", "VIABILITY": "92.5", "COUNT": "100", "ENDOTOXIN": "0.1",
        "STERILITY": "no growth", "MYCOPLASMA": "not detected", "KARYOTYPE": "normal"}


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=PARIS)


def _results(lot, performer, verifier, values: dict) -> None:
    for test in qc.current_specification(lot.kind).tests:
        value = values[test.code]
        numeric = {"value": Decimal(value), "unit": test.unit} if test.kind == "numeric" else {"text_value": value}
        result = qc.record_result(lot, performer, {"test": test.code, "method": "validated method",
                                                   "instrument": "QC lab", "performed_at": _at(28), **numeric})
        if verifier is not None:
            qc.verify_result(result, verifier)


def _as(user: User) -> User:
    audit.set_actor(db.session, user.id, user.username, user.roles, user.full_name)
    return user


def _expiry(days: int) -> dt.datetime:
    """23:59 site time, this many days from today."""
    return (dt.datetime.now(site_zone()) + dt.timedelta(days=days)).replace(hour=23, minute=59, second=0,
                                                                          microsecond=0)


def load_bank(password: str) -> None:
    people = {u.username: u for u in db.session.query(User)}
    admin, tech, qa = people["admin"], people["tech"], people["qa"]
    _as(admin)
    for code, description, kind in CATALOGUE:
        lots.create_product_code(code, description, kind, 6 if kind == "drug_product" else None)
    _as(qa)
    qc.create_specification("drug_product", "ASC drug product release (ISCT + safety)", ISCT_TESTS)
    _as(tech)
    donor = donors.create_donor("ASC-D001", dt.date(2026, 2, 20), "allogeneic ASC bank for the PPMS trial")
    procurement = donors.create_procurement(donor, tech, {
        "tissue": "adipose lipoaspirate", "collected_at": _at(2), "site": "CHU Rennes, plastic surgery",
        "quantity": Decimal(250), "quantity_unit": "mL", "transport_conditions": "2-8 °C, validated shipper"})
    for marker in ("HIV", "HBV", "HCV", "HTLV", "syphilis"):
        donors.add_screening_test(donor, marker, "NAT", dt.date(2026, 3, 2), "negative")
    _as(qa)
    donors.receive_procurement(procurement, qa, _at(2, 13), Decimal("5.0"))
    donors.decide_eligibility(donor, qa, password, "donor eligible", "all markers negative by NAT on donation")
    medium = materials.receive_material({"name": "Human platelet lysate", "supplier": "Macopharma",
                                         "catalogue_number": "HPL-500", "supplier_lot": "L2601",
                                         "expiry": dt.date(2027, 1, 31)})
    materials.decide(medium, qa, password, "approved for use")
    _as(tech)
    tissue = lots.create_tissue_lot(procurement, "T-26-0001", "S1001")
    lots.set_expiry(tissue, _expiry(2), "fresh lipoaspirate: 48 h at 2-8 °C")
    passage = lots.derive_lot([tissue], {"number": "P1-26-0001", "kind": "culture_passage", "product_code": "S1002",
                                         "passage": 1})
    lots.add_step(passage, tech, {"step_type": "seeding", "equipment": "BSC-2", "started_at": _at(3),
                                  "ended_at": _at(3, 11), "materials": [{"material_id": medium.id,
                                                                         "quantity": Decimal(50), "unit": "mL"}]})
    mcb = lots.derive_lot([passage], {"number": "MCB-26-0001", "kind": "master_cell_bank", "product_code": "S1003",
                                      "passage": 2, "population_doublings": Decimal("6.4")})
    for number, values in (("DP-26-0001", GOOD), ("DP-26-0002", {**GOOD, "VIABILITY": "64.0"})):
        dp = lots.derive_lot([mcb], {"number": number, "kind": "drug_product", "product_code": "S1005",
                                     "passage": 4})
        lots.set_expiry(dp, _expiry(365), "cryopreserved drug product: 12 months in LN2 vapour")
        lots.add_step(dp, tech, {"step_type": "harvest and formulation", "equipment": "BSC-2",
                                 "started_at": _at(27), "ended_at": _at(27, 12)})
        lots.submit_to_quarantine(dp, "processing finished")
        _results(dp, _as(tech), qa, values)
    _as(qa)
    release.release(db.session.query(type(dp)).filter_by(number="DP-26-0001").one(), qa, password,
                    "all release criteria met")
    _as(admin)
    tank = build_tanks()
    load_storage(_as(tech), tank)
    load_templates(admin, qa, password, _as)
    load_patients(people, password, _as)
