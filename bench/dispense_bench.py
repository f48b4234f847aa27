"""Dispense benchmark: the two-scan dispense check and the signed dispense through the real app, on the bank of
bench/storage_bench.py (1,000,000 units in 10 tanks, of a released lot) with 10,000 enrolled patients, against an
authenticated request that does nothing (GET /api/v1/me) in the same run.

    python bench/dispense_bench.py [--units N] [--patients N] [--requests N] [--backends sqlite,postgresql]

Each backend gets a fresh database (dropped at the end). Users, lots and tanks are built through the API and the
operations; the units are bulk-loaded around the app (bench/storage_load.py); the patients are registered, their
checklists signed and they are enrolled through the operations (the benchmark's cheap Argon2 settings of
tests/helpers.make_app); the timed doses are ordered, allocated, thawed and prepared through the API.
Timed: POST /api/v1/dispense/check (dose label and patient identifier scanned; reads only) and POST
/api/v1/doses/{id}/dispense (the same checks, the pharmacist's password re-checked, signature, custody event),
each in rounds interleaved with GET /api/v1/me. Targets are reported as met or NOT met; nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import benchdb  # noqa: E402
import runinfo  # noqa: E402
import storage_build as build  # noqa: E402
from sqlalchemy import select  # noqa: E402
from storage_bench import Timings, bulk_load  # noqa: E402

import audit  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.core.transaction import unit_of_work  # noqa: E402
from app.extensions import db  # noqa: E402
from app.patients import operations as patients  # noqa: E402
from app.patients.models import Patient  # noqa: E402
from tests.databases import create_database  # noqa: E402
from tests.dispensing.helpers import answers  # noqa: E402
from tests.helpers import PASSWORD, create_user, make_app, migrate  # noqa: E402
from tests.printing.helpers import set_expiry  # noqa: E402

CHECK_P95_TARGET_MS = 20.0
CHECK_RATIO_TARGET = 2.0
ROUNDS = 10
SEED = 2026
BATCH = 500


def release_lot(bank, lot_id: int) -> int:
    """The quarantined drug product with its expiry, QC and QA's release; answers its id."""
    bank.as_user("tech1")
    set_expiry(bank, lot_id)
    bank.full_qc(lot_id)
    bank.as_user("qa2").release(lot_id)
    return lot_id


def dose_vials(bank, count: int) -> list[int]:
    """count vials of a second released drug-product lot, in hand: the bulk-loaded units hold every division of
    the first lot's DIN and product code, and a dose's syringe takes a division of its own."""
    bank.as_user("admin1").post("/api/v1/product-codes", {"code": "S2999", "description": "bench dose lot",
                                                          "lot_kind": "drug_product", "thaw_expiry_hours": 6})
    bank.as_user("tech1")
    lot = bank.post(f"/api/v1/lots/{bank.lots['mcb']['id']}/children", {
        "number": "DP-DOSES", "kind": "drug_product", "product_code": "S2999", "passage": 4})
    bank.post(f"/api/v1/lots/{lot['id']}/steps", {"step_type": "harvest", "equipment": "BSC-2",
                                                  "started_at": "2026-04-18T09:00:00+02:00",
                                                  "ended_at": "2026-04-18T11:00:00+02:00"})
    bank.post(f"/api/v1/lots/{lot['id']}/quarantine", {"reason": "processing finished"}, expect=200)
    release_lot(bank, lot["id"])
    units = bank.as_user("tech1").post(f"/api/v1/lots/{lot['id']}/units", {
        "count": count, "container_type": "cryovial", "volume_ml": "1.5", "cells": 25_000_000})
    return [unit["id"] for unit in units]


def enrol_patients(app, count: int) -> None:
    """count patients registered, their checklists signed by clin1 and enrolled, BATCH per transaction."""
    with app.app_context():
        clinician = db.session.scalar(select(User).where(User.username == "clin1"))
        audit.set_actor(db.session, clinician.id, clinician.username, clinician.roles, clinician.full_name)
        day = dt.date.today()
        for start in range(0, count, BATCH):
            with unit_of_work():
                clinician = db.session.get(User, clinician.id)
                for number in range(start, min(count, start + BATCH)):
                    patient = patients.register(f"P-{number + 1:05d}", "CHU Rennes", day, 1980, "F")
                    patients.assess_eligibility(patient, clinician, PASSWORD, answers(), day)
                    patients.change_status(patient, "enrolled", None, day)


def prepared_doses(app, bank, count: int) -> list[tuple[dict, str]]:
    """count doses, one per patient, ordered, allocated (one vial each), thawed and prepared through the API;
    answers (dose, patient barcode)."""
    vials = dose_vials(bank, count)
    with app.app_context():
        chosen = db.session.execute(select(Patient.id, Patient.barcode)
                                    .order_by(Patient.id).limit(count)).all()
    doses = []
    for (patient_id, patient_barcode), vial in zip(chosen, vials, strict=True):
        dose = bank.as_user("clin1").post(f"/api/v1/patients/{patient_id}/doses", {
            "dose_number": 1, "planned_date": dt.date.today().isoformat(), "prescribed_cells": 20_000_000})
        bank.as_user("pharm1").post(f"/api/v1/doses/{dose['id']}/allocate", {"unit_ids": [vial]}, expect=200)
        bank.as_user("tech1").post(f"/api/v1/units/{vial}/thaw", {}, expect=200)
        dose = bank.post(f"/api/v1/doses/{dose['id']}/prepare", {"post_thaw_cells": 20_000_000,
                                                                  "viability_pct": "88.0", "volume_ml": "5.00"},
                         expect=200)
        doses.append((dose, patient_barcode))
    return doses


def measure(client, doses: list[tuple[dict, str]]) -> dict[str, Timings]:
    """The check of each dose, the no-op, then the dispense of each dose, in interleaved rounds."""
    timings = {"check": Timings(), "dispense": Timings(), "floor": Timings()}

    def check(item) -> bool:
        dose, patient = item
        return client.post("/api/v1/dispense/check", json={"dose_code": dose["barcode"],
                                                            "patient_code": patient}).status_code == 200

    def dispense(item) -> bool:
        dose, patient = item
        return client.post(f"/api/v1/doses/{dose['id']}/dispense", json={
            "dose_code": dose["barcode"], "patient_code": patient, "password": PASSWORD}).status_code == 200

    def floor(_item) -> bool:
        return client.get("/api/v1/me").status_code == 200

    for item in doses[:5]:  # warm-up: checks only
        check(item)
        floor(item)
    size = max(1, len(doses) // ROUNDS)
    for start in range(0, len(doses), size):
        block = doses[start:start + size]
        for item in block:
            timings["check"].time(check, item)
            timings["floor"].time(floor, item)
        for item in block:
            timings["dispense"].time(dispense, item)
    return timings


def run_backend(backend: str, args, workdir: Path) -> dict:
    runinfo.progress(f"--- {backend}")
    rng, result = random.Random(SEED), {}
    database = create_database(backend, workdir)
    app = None
    try:
        app = make_app(database)
        migrate(app)
        runinfo.progress("users, catalogue, donor and lots through the API; the drug product released")
        bank = build.build_lots(app)
        for name, role in (("pharm1", "pharmacist"), ("clin1", "clinician")):
            create_user(app, name, [role], actor="bench-setup")
        lot_id = release_lot(bank, bank.lots["dp"]["id"])
        racks = build.racks_per_tank(args.units)
        layout = build.build_tanks(app, racks)
        free = set(rng.sample(range(layout.size), layout.size - args.units))
        runinfo.progress(f"bulk load of {args.units:,} units in released lots like the drug product")
        bulk_load(app, database, layout, args.units, free, bank.client.get(f"/api/v1/lots/{lot_id}").json)
        runinfo.progress(f"{args.patients:,} patients registered, checklists signed, enrolled")
        started = time.perf_counter()
        enrol_patients(app, args.patients)
        result["enrol_s"] = time.perf_counter() - started
        runinfo.progress(f"{args.requests:,} doses prepared through the API")
        doses = prepared_doses(app, bank, args.requests)
        bank.as_user("pharm1")
        runinfo.progress(f"{args.requests:,} checks, no-ops and dispenses in {ROUNDS} rounds")
        result.update(measure(bank.client, doses))
        with app.app_context(), db.engine.connect() as conn:
            result["verdict"] = audit.verify(conn)
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()
    return result


def report(args, results: dict, skipped: dict) -> None:
    print(f"\nDispense benchmark: {args.units:,} units, {args.patients:,} enrolled patients, {args.requests:,} doses "
          f"checked and dispensed per backend ({ROUNDS} interleaved rounds); {runinfo.load_average()}")
    print(f"{'backend':<11} {'measurement':<44} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    names = {"check": "POST /api/v1/dispense/check (two scans)", "dispense": "POST /api/v1/doses/{id}/dispense",
             "floor": "GET /api/v1/me (no-op)"}
    for backend, r in results.items():
        for key, label in names.items():
            p = r[key].percentiles()
            print(f"{backend:<11} {label:<44} {p['n']:>5} {p['errors']:>4} {p['p50']:>8.2f} {p['p95']:>8.2f} "
                  f"{p['p99']:>8.2f}")
        check, floor = r["check"].percentiles(), r["floor"].percentiles()
        ratio = check["p95"] / floor["p95"]
        met = check["p95"] <= CHECK_P95_TARGET_MS and ratio <= CHECK_RATIO_TARGET
        print(f"{backend:<11} check p95 {check['p95']:.2f} ms (target ≤ {CHECK_P95_TARGET_MS} ms), "
              f"{ratio:.2f}× the no-op (target ≤ {CHECK_RATIO_TARGET}×): {'met' if met else 'NOT met'}; "
              f"dispense p50/no-op p50 {r['dispense'].percentiles()['p50'] / floor['p50']:.1f}×; "
              f"setup of the patients {r['enrol_s']:.0f} s; audit trail {r['verdict'].line()}")
    for backend, why in skipped.items():
        print(f"{backend:<11} skipped: {why}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="doses checked and dispensed (one per patient)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    backends = args.backends.split(",")
    results, skipped = {}, {}
    with tempfile.TemporaryDirectory(prefix="dispense-bench-") as workdir:
        for backend in backends:
            if backend == "postgresql" and (why := benchdb.postgres_unreachable()):
                skipped[backend] = why
                continue
            results[backend] = run_backend(backend, args, Path(workdir))
    report(args, results, skipped)


if __name__ == "__main__":
    main()
