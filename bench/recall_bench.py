"""Recall benchmark: QA's signed recall of one donor's material over the synthetic trace bank, against baselines.

The bank is bench/trace_bench.py's (N donors, each 100 lots 6 deep and 1,000 cryovials; 1,000 donors at full size).
Timed, in the same run, each through the Flask test client as a logged-in QA: POST /api/v1/recalls on a donor not
recalled yet (the forward walk, its 100 lots locked and recalled, a membership row for each of its 1,000 units, all
audited, in one transaction), and as baselines GET /api/v1/trace forward from another donor (the same walk, read
only) and a bare primary-key SELECT of a unit on a plain connection. Target: a donor's recall ≤ 1 s.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import runinfo  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from trace_bench import DOSES_PER_DONOR, LOTS_PER_DONOR, UNITS_PER_DONOR, built_bank, percentiles  # noqa: E402

from tests.helpers import PASSWORD  # noqa: E402

TARGET_S = 1.0
SEED = 13


def _clock(call, *args):
    """(seconds, answer) of one call."""
    start = time.perf_counter()
    answer = call(*args)
    return time.perf_counter() - start, answer


def measure(bank, app_url: str, first: dict, donors: int, recalls: int) -> dict:
    """Recall `recalls` distinct donors (the first one warms up); trace and SELECT others between them."""
    rng = random.Random(SEED)
    chosen = rng.sample(range(donors), recalls + 1)
    timed, traced, bare = [], [], []
    engine = create_engine(app_url)
    query = text("SELECT id, barcode, state FROM units WHERE id = :id")
    with engine.connect() as conn:
        for n, donor in enumerate(chosen):
            other = first["donors"] + chosen[(n + 1) % len(chosen)]
            trace, _ = _clock(bank.client.get, f"/api/v1/trace?from=donor:{other}&direction=forward")
            select, _ = _clock(conn.execute, query, {"id": first["units"] + rng.randrange(donors * UNITS_PER_DONOR)})
            body = {"target": f"donor:{first['donors'] + donor}", "reason": "benchmark look-back", "password": PASSWORD}
            recall, response = _clock(lambda payload: bank.client.post("/api/v1/recalls", json=payload), body)
            summary = _ok(response, 201)["summary"]
            assert summary["units"] == UNITS_PER_DONOR + DOSES_PER_DONOR, summary  # vials and syringes
            assert summary["lots"] == LOTS_PER_DONOR, summary
            if n:
                timed.append(recall)
                traced.append(trace)
                bare.append(select)
    engine.dispose()
    return {"recall": percentiles(timed), "trace": percentiles(traced), "select": percentiles(bare),
            "worst_s": max(timed)}


def _ok(response, status: int) -> dict:
    assert response.status_code == status, response.json
    return response.json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=1000, help="donors (100 lots and 1,000 units each)")
    parser.add_argument("--recalls", type=int, default=10, help="timed recalls, one donor each (default 10)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"recall benchmark: {args.donors:,} donors, {args.donors * LOTS_PER_DONOR:,} lots, "
          f"{args.donors * UNITS_PER_DONOR:,} units; {args.recalls} recalls of {LOTS_PER_DONOR} lots and "
          f"{UNITS_PER_DONOR:,} units each; load {runinfo.load_average()}")
    ok = True
    with tempfile.TemporaryDirectory() as workdir:
        for backend in args.backends.split(","):
            with built_bank(backend, args.donors, Path(workdir)) as (bank, database, first, built):
                runinfo.progress(f"loaded in {built:.0f} s; {args.recalls} recalls")
                bank.as_user("qa1")
                r = measure(bank, database.app_url, first, args.donors, args.recalls)
            print(f"{backend:<11} built in {built:.0f} s")
            for key, label in (("recall", "recall of one donor (signed, audited)"),
                               ("trace", "baseline: forward trace from a donor"),
                               ("select", "baseline: bare SELECT of a unit by id")):
                p = r[key]
                print(f"{backend:<11} {label:<40} n={p['n']:<4} p50 {p['p50']:9.2f} ms  p95 {p['p95']:9.2f} ms")
            met = r["worst_s"] <= TARGET_S
            ok &= met
            print(f"{backend:<11} recall p50 / trace p50: {r['recall']['p50'] / r['trace']['p50']:.1f}x; worst "
                  f"{r['worst_s'] * 1000:.0f} ms; target ≤ {TARGET_S * 1000:.0f} ms {'met' if met else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
