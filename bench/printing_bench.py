"""Printing benchmark: the labels of N vials printed through the app as one job (POST /api/v1/print-jobs, PDF and
ZPL), against labels/ rendering the same N labels alone, measured in the same run.

    python bench/printing_bench.py [--vials N] [--rounds N] [--backends sqlite,postgresql]

A job does more than render: it loads and locks the records, checks that each label's unit barcode and compound
message resolve back to its unit (the scan's own resolution: three queries a label), checks the print history,
and records the job, a row per record and their audit entries in one transaction. The ratio is that cost.
Each backend gets a fresh database (dropped at the end); PostgreSQL comes from CELLBANK_TEST_POSTGRES_URL.
Nothing is asserted; there is no target for it in issue 11.
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import runinfo  # noqa: E402
import storage_build as build  # noqa: E402

from app.extensions import db  # noqa: E402
from app.printing.builtin import unit_label  # noqa: E402
from app.storage.models import Unit  # noqa: E402
from labels.pdf import render_pdf  # noqa: E402
from labels.stock import STOCKS  # noqa: E402
from labels.zpl import render_zpl  # noqa: E402
from tests.databases import POSTGRES_ADMIN_URL, create_database  # noqa: E402
from tests.helpers import make_app, migrate  # noqa: E402
from tests.printing.helpers import approved_template, set_expiry  # noqa: E402


def vials(bank, count: int) -> list[int]:
    """count cryovials of lots with an expiry, each lot with a product code of its own (702 divisions at most)."""
    ids = []
    for number in range(1, math.ceil(count / build.UNITS_PER_LOT) + 1):
        code = f"S3{number:03d}"
        bank.as_user("admin1").post("/api/v1/product-codes", {"code": code, "description": f"bench lot {number}",
                                                              "lot_kind": "drug_product"})
        lot = bank.as_user("tech1").post(f"/api/v1/lots/{bank.lots['mcb']['id']}/children", {
            "number": f"DP-P{number:03d}", "kind": "drug_product", "product_code": code, "passage": 4})
        set_expiry(bank, lot["id"])
        size = min(build.UNITS_PER_LOT, count - len(ids))
        ids += [u["id"] for u in bank.post(f"/api/v1/lots/{lot['id']}/units", {
            "count": size, "container_type": "cryovial", "volume_ml": "1.5", "cells": 25_000_000})]
    return ids


def job(client, ids: list[int], output: str, reason: str | None) -> int:
    response = client.post("/api/v1/print-jobs", json={"record_type": "unit", "record_ids": ids, "output": output,
                                                        "reason": reason})
    if response.status_code != 201:
        raise RuntimeError(f"print job answered {response.status_code}: {response.get_json()}")
    return len(response.data)


def run(backend: str, count: int, rounds: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as directory:
        database = create_database(backend, Path(directory))
        try:
            app = make_app(database)
            migrate(app)
            bank = build.build_lots(app)
            approved_template(bank, "cryovial")
            ids = vials(bank, count)
            bank.as_user("tech1")
            with app.app_context():
                labels = [unit_label(db.session.get(Unit, unit_id)) for unit_id in ids]
                db.session.remove()
            stock = STOCKS["cryovial"]
            tasks = {"app job, PDF": lambda turn: job(bank.client, ids, "pdf", f"round {turn}" if turn else None),
                     "labels/ render_pdf alone": lambda turn: len(render_pdf(labels, stock)),
                     "app job, ZPL 203 dpi": lambda turn: job(bank.client, ids, "zpl", f"round {turn}"),
                     "labels/ render_zpl alone": lambda turn: len(render_zpl(labels, stock, 203))}
            times = {name: [] for name in tasks}
            for turn in range(rounds):
                for name, task in tasks.items():
                    start = time.perf_counter()
                    task(turn)
                    times[name].append(time.perf_counter() - start)
                    runinfo.progress(f"{backend} round {turn + 1}/{rounds}: {name} {times[name][-1]:.3f} s")
            with app.app_context():
                db.engine.dispose()
            return times
        finally:
            database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vials", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b != "postgresql" or POSTGRES_ADMIN_URL]
    load_at_start = runinfo.load_average()
    results = {backend: run(backend, args.vials, args.rounds) for backend in backends}
    print(f"\nPrinting benchmark: {args.vials:,} cryovial labels in one job, {args.rounds} rounds; "
          f"{runinfo.machine(backends, load_at_start)}\n")
    print(f"{'backend':<12}{'measurement':<28}{'median s':>10}{'labels/s':>10}{'app / alone':>13}")
    for backend, times in results.items():
        medians = {name: statistics.median(t) for name, t in times.items()}
        for name, median in medians.items():
            alone = medians.get(name.replace("app job, PDF", "labels/ render_pdf alone")
                                .replace("app job, ZPL 203 dpi", "labels/ render_zpl alone"))
            ratio = f"{median / alone:.2f}x" if name.startswith("app") else ""
            print(f"{backend:<12}{name:<28}{median:>10.3f}{args.vials / median:>10,.0f}{ratio:>13}")
    print("\napp job: POST /api/v1/print-jobs of every vial through the Flask test client, logged in as tech1 (the "
          "first round a first print,\n  later rounds reprints with a reason); alone: the same label values rendered "
          "by labels.pdf.render_pdf / labels.zpl.render_zpl.")


if __name__ == "__main__":
    main()
