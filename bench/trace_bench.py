"""Trace benchmark: forward from a donor and backward from a patient over a synthetic bank, against a bare SELECT.

The bank: the small one of tests/bankbuild.py built through the API (users, catalogue), then, bulk-loaded
(bench/trace_load.py), N donors each with one procurement, 100 lots in a genealogy 6 deep (tissue → P1 → 2 P2 →
4 MCB → 12 WCB → 80 DP), one processing step per lot consuming 2 of 500 material lots, 1,000 cryovials with
their first custody event (in the laboratory), and 10 enrolled patients who each received 3 administered doses,
each dose prepared from one of the donor's vials into a syringe of its own. The target size is 1,000 donors
(100,000 lots, 1,000,000 vials, 10,000 patients, 30,000 doses).

Timed, in the same run: GET /api/v1/trace forward from a random donor (every lot, unit, dose and patient, units
with their state and place) and backward from a random patient (doses, vials, lineage to the donor, materials),
each through the Flask test client as a logged-in technician, and a bare primary-key SELECT of a unit on a plain
connection. Target: each trace p95 ≤ 50 ms.
"""

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import runinfo  # noqa: E402
import trace_load  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from storage_build import bank_client  # noqa: E402

from app.auth.models import User  # noqa: E402
from app.custody.places import LAB, InPatient  # noqa: E402
from app.extensions import db  # noqa: E402
from app.lots.divisions import SEQUENCE  # noqa: E402
from tests.bankbuild import build_bank  # noqa: E402
from tests.databases import create_database  # noqa: E402
from tests.helpers import create_user, make_app, migrate  # noqa: E402

LEVELS = (("tissue", "S1001", 1), ("culture_passage", "S1002", 1), ("culture_passage", "S1002", 2),
          ("master_cell_bank", "S1003", 4), ("working_cell_bank", "S1005", 12), ("drug_product", "S1004", 80))
LOTS_PER_DONOR = sum(n for _, _, n in LEVELS)
UNITS_PER_DONOR = 1000
PATIENTS_PER_DONOR = 10
DOSES_PER_PATIENT = 3
DOSES_PER_DONOR = PATIENTS_PER_DONOR * DOSES_PER_PATIENT
#: what a forward trace from a donor reaches: itself, its procurement, lots, vials, syringes, doses and patients
FORWARD_NODES = 2 + LOTS_PER_DONOR + UNITS_PER_DONOR + 2 * DOSES_PER_DONOR + PATIENTS_PER_DONOR
MATERIALS = 500
AT = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
TARGET_P95_MS = 50.0
SEED = 13


def _next_ids(conn, tables) -> dict[str, int]:
    return {t: conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}").scalar() for t in tables}


def synthetic_rows(first: dict[str, int], donors: int, actor_id: int) -> trace_load.Rows:
    """The rows of the synthetic bank, generated lazily in foreign-key order."""
    lot_ids = {}  # (donor, level, index) -> id, filled as lots are generated (parents come first)

    def donors_rows():
        for d in range(donors):
            yield (first["donors"] + d, f"BD-{d + 1:06d}", dt.date(2025, 5, 1), "allogeneic ASC bank", "eligible", AT)

    def procurements_rows():
        for d in range(donors):
            yield (first["procurements"] + d, first["donors"] + d, f"A999925{d + 1:06d}", "adipose tissue", AT,
                   "CHU Rennes", Decimal("250.000"), "mL", "2-8 °C", actor_id, AT, actor_id, AT)

    def lot_rows():
        next_id = first["lots"]
        for d in range(donors):
            for level, (kind, code, count) in enumerate(LEVELS):
                for j in range(count):
                    lot_ids[d, level, j] = next_id
                    yield (next_id, f"B{d + 1:05d}-{level}{j:02d}", kind, f"A999925{d + 1:06d}", code,
                           "00" if level == 0 else SEQUENCE[j % len(SEQUENCE)],
                           first["procurements"] + d if level == 0 else None, level or None,
                           "released" if kind == "drug_product" else "in_process", AT)
                    next_id += 1

    def parent_rows():
        next_id = first["lot_parents"]
        for d in range(donors):
            for level in range(1, len(LEVELS)):
                above, count = LEVELS[level - 1][2], LEVELS[level][2]
                for j in range(count):
                    yield next_id, lot_ids[d, level, j], lot_ids[d, level - 1, j * above // count]
                    next_id += 1

    def material_rows():
        for m in range(MATERIALS):
            yield (first["material_lots"] + m, "Human platelet lysate", "Macopharma", "HPL-500", f"BL{m:05d}",
                   dt.date(2099, 12, 31), "approved", AT)

    def step_rows():
        for n in range(donors * LOTS_PER_DONOR):
            yield first["process_steps"] + n, first["lots"] + n, "seeding", actor_id, "BSC-2", AT, AT, ""

    def step_material_rows():
        for n in range(donors * LOTS_PER_DONOR):
            for k, material in enumerate((n % MATERIALS, (n * 7 + 3) % MATERIALS)):
                yield (first["step_materials"] + 2 * n + k, first["process_steps"] + n,
                       first["material_lots"] + material, Decimal("50.000"), "mL")

    dp_count = LEVELS[-1][2]

    vials, doses = donors * UNITS_PER_DONOR, donors * DOSES_PER_DONOR

    def vial_id(dose: int) -> int:
        """The vial dose number `dose` (counted over the bank) was prepared from: one of its donor's first 30."""
        return first["units"] + dose // DOSES_PER_DONOR * UNITS_PER_DONOR + dose % DOSES_PER_DONOR

    def patient_of(dose: int) -> int:
        return first["patients"] + dose // DOSES_PER_PATIENT

    def unit_rows():
        for d in range(donors):
            for k in range(UNITS_PER_DONOR):
                n = d * UNITS_PER_DONOR + k
                yield (first["units"] + n, f"TU{n:09d}", lot_ids[d, len(LEVELS) - 1, k % dp_count],
                       SEQUENCE[k // dp_count], "cryovial", Decimal("1.50"), 25_000_000,
                       "prepared" if k < DOSES_PER_DONOR else "in_storage", False, AT)
        for n in range(doses):  # each dose's syringe, of its vial's lot
            d, k = divmod(n, DOSES_PER_DONOR)
            yield (first["units"] + vials + n, f"DS-{n:08d}", lot_ids[d, len(LEVELS) - 1, k % dp_count],
                   SEQUENCE[len(SEQUENCE) - 1 - k], "syringe", Decimal("5.00"), 20_000_000, "administered", False, AT)

    def event_rows():
        for n in range(vials + doses):
            yield first["custody_events"] + n, first["units"] + n, 1, "created", str(LAB), actor_id, AT, "scan"
        for n in range(doses):
            yield (first["custody_events"] + vials + doses + n, first["units"] + vials + n, 2, "administered",
                   str(InPatient(patient_of(n))), actor_id, AT, "scan")

    def patient_rows():
        for p in range(donors * PATIENTS_PER_DONOR):
            yield (first["patients"] + p, f"P-{p + 1:06d}", f"PT-{p + 1:08d}", "CHU Rennes", dt.date(2025, 5, 2),
                   1980, "FM"[p % 2], "enrolled", dt.date(2025, 5, 20), AT)

    def dose_rows():
        for n in range(doses):
            d, k = divmod(n, DOSES_PER_DONOR)
            yield (first["doses"] + n, patient_of(n), n % DOSES_PER_PATIENT + 1, f"DS-{n:08d}", "administered",
                   AT.date(), 20_000_000, actor_id, AT, lot_ids[d, len(LEVELS) - 1, k % dp_count],
                   first["units"] + vials + n, AT, "intrathecal")

    def allocation_rows():
        for n in range(doses):
            yield first["dose_allocations"] + n, first["doses"] + n, vial_id(n), actor_id, AT

    return {
        "donors": (("id", "code", "consent_date", "consent_scope", "eligibility", "created_at"), donors_rows()),
        "procurements": (("id", "donor_id", "din", "tissue", "collected_at", "site", "quantity", "quantity_unit",
                          "transport_conditions", "collected_by_id", "received_at", "received_by_id", "created_at"),
                         procurements_rows()),
        "lots": (("id", "number", "kind", "din", "product_code", "division", "procurement_id", "passage", "state",
                  "created_at"), lot_rows()),
        "lot_parents": (("id", "child_id", "parent_id"), parent_rows()),
        "material_lots": (("id", "name", "supplier", "catalogue_number", "supplier_lot", "expiry", "status",
                           "received_at"), material_rows()),
        "process_steps": (("id", "lot_id", "step_type", "operator_id", "equipment", "started_at", "ended_at",
                           "observations"), step_rows()),
        "step_materials": (("id", "step_id", "material_lot_id", "quantity", "unit"), step_material_rows()),
        "units": (("id", "barcode", "lot_id", "division", "container_type", "volume_ml", "cells", "state",
                   "qc_sample", "created_at"), unit_rows()),
        "custody_events": (("id", "unit_id", "sequence", "event_type", "to_place", "actor_id", "at", "confirmation"),
                           event_rows()),
        "patients": (("id", "code", "barcode", "site", "consent_date", "birth_year", "sex", "status", "enrolled_on",
                      "created_at"), patient_rows()),
        "doses": (("id", "patient_id", "dose_number", "barcode", "state", "planned_date", "prescribed_cells",
                   "ordered_by_id", "ordered_at", "lot_id", "syringe_unit_id", "administered_at", "route"),
                  dose_rows()),
        "dose_allocations": (("id", "dose_id", "unit_id", "allocated_by_id", "allocated_at"), allocation_rows()),
    }


def percentiles(times: list[float]) -> dict[str, float]:
    cuts = sorted(times)
    return {"n": len(cuts), "p50": cuts[len(cuts) // 2] * 1000, "p95": cuts[int(len(cuts) * 0.95) - 1] * 1000}


def measure(bank, app_url: str, first: dict, donors: int, requests: int) -> dict:
    rng = random.Random(SEED)
    forward, backward, bare = [], [], []
    engine = create_engine(app_url)
    with engine.connect() as conn:
        for round_ in range(requests + 10):  # the first 10 of each warm up
            donor = first["donors"] + rng.randrange(donors)
            unit = first["units"] + rng.randrange(donors * UNITS_PER_DONOR)
            patient = first["patients"] + rng.randrange(donors * PATIENTS_PER_DONOR)
            for times, url, size in ((forward, f"/api/v1/trace?from=donor:{donor}&direction=forward", FORWARD_NODES),
                                     (backward, f"/api/v1/trace?from=patient:{patient}&direction=backward", None)):
                start = time.perf_counter()
                response = bank.client.get(url)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.json
                if size is not None:
                    assert len(response.json["nodes"]) == size, len(response.json["nodes"])
                else:  # patient, 3 doses and their vials, their lots' lineage, procurement, donor, materials
                    assert {n["type"] for n in response.json["nodes"]} == {"patient", "dose", "unit", "lot",
                                                                             "procurement", "donor", "material"}
                if round_ >= 10:
                    times.append(elapsed)
            start = time.perf_counter()
            conn.execute(text("SELECT id, barcode, state FROM units WHERE id = :id"), {"id": unit}).one()
            if round_ >= 10:
                bare.append(time.perf_counter() - start)
    engine.dispose()
    return {"forward": percentiles(forward), "backward": percentiles(backward), "select": percentiles(bare)}


@contextlib.contextmanager
def built_bank(backend: str, donors: int, workdir: Path):
    """The synthetic bank on a database of its own: yields (bank client, database, first ids, seconds to build)."""
    runinfo.progress(f"--- {backend}: building {donors:,} donors")
    database = create_database(backend, workdir)
    app = None
    try:
        app = make_app(database)
        migrate(app)
        bank = build_bank(bank_client(app), lambda name, roles: create_user(app, name, roles, actor="bench-setup"))
        bank.as_user("admin1").post("/api/v1/product-codes", {"code": "S1005", "description": "ASC WCB",
                                                              "lot_kind": "working_cell_bank"})
        with app.app_context():
            actor_id = db.session.scalar(select(User.id).where(User.username == "tech1"))
            db.session.remove()  # its transaction would hold SQLite's write lock (BEGIN IMMEDIATE)
            with db.engine.connect() as conn:
                first = _next_ids(conn, ("donors", "procurements", "lots", "lot_parents", "material_lots",
                                         "process_steps", "step_materials", "units", "custody_events", "patients",
                                         "doses", "dose_allocations"))
            started = time.perf_counter()
            rows = synthetic_rows(first, donors, actor_id)
            if backend == "postgresql":
                trace_load.load_postgresql(database.owner_url, rows)
            else:
                trace_load.load_sqlite(db.engine, rows)
        yield bank, database, first, time.perf_counter() - started
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()


def run_backend(backend: str, donors: int, requests: int, workdir: Path) -> dict:
    with built_bank(backend, donors, workdir) as (bank, database, first, built):
        runinfo.progress(f"loaded in {built:.0f} s; {requests} forward and {requests} backward traces")
        bank.as_user("tech1")
        result = measure(bank, database.app_url, first, donors, requests)
        result["built_s"] = built
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=1000, help="donors (100 lots and 1,000 units each)")
    parser.add_argument("--requests", type=int, default=200, help="timed traces of each direction (default 200)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"trace benchmark: {args.donors:,} donors, {args.donors * LOTS_PER_DONOR:,} lots (6 deep), "
          f"{args.donors * UNITS_PER_DONOR:,} vials, {args.donors * PATIENTS_PER_DONOR:,} patients, "
          f"{args.donors * DOSES_PER_DONOR:,} doses, {MATERIALS} material lots; load {runinfo.load_average()}")
    ok = True
    with tempfile.TemporaryDirectory() as workdir:
        for backend in args.backends.split(","):
            r = run_backend(backend, args.donors, args.requests, Path(workdir))
            print(f"{backend:<11} built in {r['built_s']:.0f} s")
            for key, label in (("forward", f"forward trace from a donor ({FORWARD_NODES:,} nodes)"),
                               ("backward", "backward trace from a patient"),
                               ("select", "bare SELECT of a unit by id")):
                p = r[key]
                print(f"{backend:<11} {label:<44} n={p['n']:<5} p50 {p['p50']:8.2f} ms  p95 {p['p95']:8.2f} ms")
            for key in ("forward", "backward"):
                met = r[key]["p95"] <= TARGET_P95_MS
                ok &= met
                print(f"{backend:<11} {key} p95 / bare SELECT p95: {r[key]['p95'] / r['select']['p95']:.0f}x; "
                      f"target p95 ≤ {TARGET_P95_MS:g} ms {'met' if met else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
