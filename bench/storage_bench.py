"""Storage benchmark: scan and placement latency through the real app on a bank of 1,000,000 units in 10 tanks,
against a bare indexed SELECT of one unit by barcode on the same database.

    python bench/storage_bench.py [--units N] [--requests N] [--backends sqlite,postgresql] [--profile DIR]

Each backend gets a fresh database (dropped at the end). The bank is built through the API and the tanks
through locations.create_tank; the units are bulk-loaded around the app (bench/storage_load.py); the timed
requests go through the real app, connected as its own role, logged in as tech1.
PostgreSQL comes from CELLBANK_TEST_POSTGRES_URL (an admin URL); it is skipped if unreachable.
Targets are reported as met or NOT met; nothing is asserted.
"""

import argparse
import cProfile
import gc
import os
import pstats
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import benchdb  # noqa: E402
import psycopg  # noqa: E402
import runinfo  # noqa: E402
import storage_build as build  # noqa: E402
import storage_lists as lists  # noqa: E402
import storage_load as load  # noqa: E402
from sqlalchemy import create_engine, make_url  # noqa: E402

import audit  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.databases import create_database  # noqa: E402
from tests.helpers import make_app, migrate  # noqa: E402

SCAN_P95_TARGET_MS = 20.0
#: scan p95 against an authenticated request that does nothing (GET /api/v1/me) in the same run
SCAN_RATIO_TARGET = 1.5
WARMUP = 50
ROUNDS = 10
SEED = 2026



@contextmanager
def stopwatch(into: dict, key: str):
    """Store the seconds the block took in into[key]."""
    start = time.perf_counter()
    yield
    into[key] = time.perf_counter() - start


# --- timing ----------------------------------------------------------------------------------------

@dataclass
class Timings:
    """Milliseconds per call, and how many calls failed."""

    times: list[float] = field(default_factory=list)
    errors: int = 0

    def time(self, call: Callable[..., bool], item) -> None:
        """Time one call(item); a False answer counts as an error."""
        start = time.perf_counter()
        ok = call(item)
        self.times.append((time.perf_counter() - start) * 1000)
        self.errors += not ok

    def percentiles(self) -> dict[str, float]:
        """n, errors, p50, p95, p99 (ms)."""
        cuts = statistics.quantiles(self.times, n=100, method="inclusive")
        return {"n": len(self.times), "errors": self.errors, "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


@contextmanager
def bare_select(app_url: str):
    """A plain DBAPI connection (the app's role on PostgreSQL) and a call that SELECTs one unit id by barcode."""
    url = make_url(app_url)
    if url.get_backend_name() == "sqlite":
        conn, sql = sqlite3.connect(url.database), "SELECT id FROM units WHERE barcode = ?"
    else:
        conn = psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True)
        sql = "SELECT id FROM units WHERE barcode = %s"
    try:
        yield lambda code: conn.execute(sql, (code,)).fetchone() is not None
    finally:
        conn.close()


def scan_call(client) -> Callable[[str], bool]:
    """POST /api/v1/scan of one code; True on 200."""
    return lambda code: client.post("/api/v1/scan", json={"code": code}).status_code == 200


def floor_call(client) -> Callable[[str], bool]:
    """GET /api/v1/me: a logged-in request that reads one row and answers JSON, but scans nothing; True on 200."""
    return lambda _code: client.get("/api/v1/me").status_code == 200


def store_call(client) -> Callable[[tuple], bool]:
    """POST /api/v1/units/{id}/store of (unit id, box id, position label); True on 200."""

    def store(target: tuple[int, int, str]) -> bool:
        unit_id, box_id, position = target
        response = client.post(f"/api/v1/units/{unit_id}/store", json={"box_id": box_id, "position": position})
        return response.status_code == 200

    return store


def check_scan(client, code: str) -> None:
    """Refuse to time a scan that does not answer the unit it was asked for."""
    answer = client.post("/api/v1/scan", json={"code": code}).get_json()
    if answer.get("type") != "unit" or answer.get("barcode") != code:
        raise RuntimeError(f"scan of {code} answered {answer}")


def measure_scans(client, app_url: str, codes: list[str], requests: int) -> dict[str, Timings]:
    """Scans through the app and bare SELECTs, each call of its own random barcode, after a warm-up.

    ROUNDS rounds of: a block of scans, each followed by one SELECT ("after"), then a block of SELECTs back to
    back ("select", the floor), then a block of GET /api/v1/me ("floor": the app's own cost of any request)."""
    timings = {"scan": Timings(), "after": Timings(), "select": Timings(), "floor": Timings()}
    scan, floor = scan_call(client), floor_call(client)
    with bare_select(app_url) as select:
        for code in codes[:WARMUP]:
            check_scan(client, code)
            select(code)
        gc.collect()
        scans, afters, selects = (codes[WARMUP + k * requests:WARMUP + (k + 1) * requests] for k in range(3))
        for block in range(ROUNDS):
            part = slice(block * requests // ROUNDS, (block + 1) * requests // ROUNDS)
            for scan_code, after_code in zip(scans[part], afters[part], strict=True):
                timings["scan"].time(scan, scan_code)
                timings["after"].time(select, after_code)
            for code in selects[part]:
                timings["select"].time(select, code)
            for code in scans[part]:
                timings["floor"].time(floor, code)
    return timings


def measure_placements(client, targets: list[tuple[int, int, str]]) -> Timings:
    """POST /units/{id}/store of fresh units into free positions, after a warm-up."""
    placements, store = Timings(), store_call(client)
    for target in targets[:WARMUP]:
        if not store(target):
            raise RuntimeError(f"warm-up placement {target} failed")
    gc.collect()
    for target in targets[WARMUP:]:
        placements.time(store, target)
    return placements


def profile_scans(client, codes: list[str], path: Path) -> None:
    """cProfile of scans (not timed), written to path (.prof) and its top functions to path (.txt)."""
    scan, profiler = scan_call(client), cProfile.Profile()
    profiler.enable()
    for code in codes:
        scan(code)
    profiler.disable()
    profiler.dump_stats(path.with_suffix(".prof"))
    with path.with_suffix(".txt").open("w") as out:
        for order in ("cumulative", "tottime"):
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(40)


# --- one backend -----------------------------------------------------------------------------------

def database_size(database) -> int:
    """Bytes the database takes on disk."""
    url = make_url(database.owner_url)
    if url.get_backend_name() == "sqlite":
        return sum(p.stat().st_size for p in Path(url.database).parent.glob(Path(url.database).name + "*"))
    engine = create_engine(database.owner_url)
    with engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    engine.dispose()
    return size


def bulk_load(app, database, layout: build.Layout, units: int, free: set[int], lot: dict) -> None:
    """Load units in lots like this one into every position of the layout but the free ones
    (bench/storage_load.py)."""
    actor_id = build.user_id(app, "tech1")

    def places():
        return (layout.place(p) for p in range(layout.size) if p not in free)

    def spec(first: dict[str, int]) -> load.Load:
        return load.Load(units, lot, actor_id, places, first)

    if database.backend == "postgresql":
        load.load_postgresql(database.owner_url, spec)
    else:
        with app.app_context():
            load.load_sqlite(db.engine, spec)


def prepare(app, database, args, rng: random.Random, result: dict) -> tuple:
    """Bank, tanks, bulk-loaded units and fresh units; returns the bank driver and the placement targets."""
    setup = result["setup"] = {}
    placements = args.requests + WARMUP
    racks = build.racks_per_tank(args.units + placements)
    with stopwatch(setup, "lots"):
        runinfo.progress("users, catalogue, donor and lots through the API")
        bank = build.build_lots(app)
    with stopwatch(setup, "tanks"):
        runinfo.progress(f"{build.TANKS} tanks × {racks} racks × {build.BOXES_PER_RACK} boxes through create_tank")
        layout = build.build_tanks(app, racks)
    free = set(rng.sample(range(layout.size), layout.size - args.units))
    with stopwatch(setup, "load"):
        runinfo.progress(f"bulk load of {args.units:,} units in lots of {load.UNITS_PER_LOT} and {2 * args.units:,} "
                         "custody events")
        bulk_load(app, database, layout, args.units, free, bank.lots["dp"])
    with stopwatch(setup, "fresh"):
        runinfo.progress(f"{placements:,} fresh units through POST /lots/{{id}}/units")
        unit_ids = build.fresh_units(bank, placements)
    setup.update(racks=racks, boxes=len(layout.boxes), positions=layout.size, size=database_size(database))
    targets = [(unit_id, layout.place(p)[0], layout.label(p))
               for unit_id, p in zip(unit_ids, rng.sample(sorted(free), placements), strict=True)]
    return bank, targets, layout


def run_backend(backend: str, args, workdir: Path) -> dict:
    """Every measurement on one fresh database of this backend."""
    runinfo.progress(f"--- {backend}")
    rng, result = random.Random(SEED), {}
    database = create_database(backend, workdir)
    app = None
    try:
        app = make_app(database)
        migrate(app)
        bank, targets, layout = prepare(app, database, args, rng, result)
        bank.as_user("tech1")
        codes = [load.barcode(rng.randrange(args.units)) for _ in range(WARMUP + 3 * args.requests)]
        runinfo.progress(f"{args.requests:,} scans and {2 * args.requests:,} bare SELECTs in {ROUNDS} rounds")
        result.update(measure_scans(bank.client, database.app_url, codes, args.requests))
        runinfo.progress(f"{args.requests:,} placements")
        result["store"] = measure_placements(bank.client, targets)
        runinfo.progress(f"list requests, {args.requests:,} of each and of GET /api/v1/me")
        result["lists"] = lists.measure_lists(bank.client, lists.list_urls(app, layout), args.requests)
        if args.profile:
            runinfo.progress(f"profiling {args.requests:,} more scans into {args.profile}")
            profile_scans(bank.client, codes[WARMUP:WARMUP + args.requests], args.profile / f"storage-{backend}-scan")
        with app.app_context(), db.engine.connect() as conn:
            result["verdict"] = audit.verify(conn)
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()
    return result


# --- report ----------------------------------------------------------------------------------------

MEASUREMENTS = {"scan": "POST /api/v1/scan (unit barcode)", "store": "POST /api/v1/units/{id}/store",
                "select": "bare SELECT id FROM units WHERE barcode", "after": "  the same, each right after a scan",
                "floor": "GET /api/v1/me (a request that scans nothing)"}


def verdict(met: bool) -> str:
    """met or NOT met."""
    return "met" if met else "NOT met"


def setup_lines(backend: str, args, s: dict) -> list[str]:
    """The bank's geometry and what building it took."""
    return [
        f"{backend:<11} bank: {build.TANKS} tanks × {s['racks']} racks × {build.BOXES_PER_RACK} boxes of "
        f"{build.BOX['rows']} × {build.BOX['columns']} = {s['positions']:,} positions, {args.units:,} units "
        f"bulk-loaded, {s['positions'] - args.units:,} free; database {s['size'] / 2**20:,.0f} MiB",
        f"{backend:<11} set-up: lots through the API {s['lots']:.1f} s; {s['boxes']:,} boxes through create_tank "
        f"{s['tanks']:.1f} s; bulk load incl. ANALYZE {s['load']:.1f} s ({3 * args.units / s['load']:,.0f} rows/s); "
        f"{args.requests + WARMUP:,} fresh units through the API {s['fresh']:.1f} s",
    ]


def ratio_line(backend: str, label: str, scan: dict, baseline: dict) -> str:
    """Scan time / baseline time at p50, p95, p99."""
    ratios = " ".join(f"{scan[k] / baseline[k]:>7.1f}x" for k in ("p50", "p95", "p99"))
    return f"{backend:<11} {label:<42}{'':>13} {ratios}"


def table_lines(backend: str, r: dict) -> list[str]:
    """The percentile table of one backend, then the ratios."""
    lines = []
    for key, label in MEASUREMENTS.items():
        p = r[key].percentiles()
        lines.append(f"{backend:<11} {label:<42}{p['n']:>6}{p['errors']:>7} {p['p50']:>8.3f} {p['p95']:>8.3f} "
                     f"{p['p99']:>8.3f}")
    scan = r["scan"].percentiles()
    lines.append(ratio_line(backend, "scan / bare SELECT", scan, r["select"].percentiles()))
    lines.append(ratio_line(backend, "scan / SELECT right after a scan", scan, r["after"].percentiles()))
    lines.append(ratio_line(backend, "scan / GET /api/v1/me", scan, r["floor"].percentiles()))
    return lines


def target_lines(backend: str, r: dict) -> list[str]:
    """The two scan targets of one backend, met or NOT met."""
    scan, select, floor = (r[key].percentiles() for key in ("scan", "select", "floor"))
    ratio = scan["p95"] / floor["p95"]
    return [
        f"{backend:<11} target scan p95 ≤ {SCAN_P95_TARGET_MS:g} ms: {scan['p95']:.2f} ms: "
        f"{verdict(scan['p95'] <= SCAN_P95_TARGET_MS)}",
        f"{backend:<11} target scan p95 ≤ {SCAN_RATIO_TARGET:g}× an authenticated no-op request: {ratio:.2f}× "
        f"({scan['p95']:.3f} / {floor['p95']:.3f} ms): {verdict(ratio <= SCAN_RATIO_TARGET)} "
        f"(for scale: the bare SELECT takes {select['p95']:.3f} ms)",
    ]


def environment(args, backends: list[str]) -> str:
    """Sizes, versions and machine load of the run."""
    return (f"{args.units:,} units, {args.requests:,} timed requests per measurement after {WARMUP} warm-up; "
            f"{runinfo.machine(backends, args.load_at_start)}")


NOTES = """\
scan: POST /api/v1/scan {{"code": <barcode>}} of a random bulk-loaded unit, through the Flask test client of the
  app (session cookie of tech1; on PostgreSQL the app's own role): the whole request (test client, login check,
  scan.resolve, commit, JSON) from post() to its return; status 200 or it counts as an error.
bare SELECT: SELECT id FROM units WHERE barcode = ? + fetchone of a random loaded barcode on a plain DBAPI
  connection (sqlite3 / psycopg, autocommit, the app's role) to the same database. Timed in {rounds} rounds of:
  a block of scans, each followed by one SELECT ("right after a scan": the database and CPU caches as a scan's
  own queries find them), then a block of SELECTs back to back (the floor; shown for scale),
  then a block of GET /api/v1/me: the same client, login check and JSON answer with no scan, i.e. what any
  request through the app costs before it does anything (the 1.5× target is judged on it).
store: POST /api/v1/units/{{id}}/store {{"box_id", "position"}} of a unit made through POST /lots/{{id}}/units
  into a random free position (free positions are spread over all boxes): one audited transaction with its
  custody event. Warm-up: {warmup} untimed calls of each first. Percentiles: statistics.quantiles, inclusive.
bulk load (set-up, not a GMP path): see bench/storage_load.py; one transaction, lots of 702 units (the most one
  DIN and product code hold), units + 2 custody events each
  (created, stored); PostgreSQL: COPY as the owner with DISABLE TRIGGER USER and each trigger put back in its
  mode (ENABLE ALWAYS), then VACUUM ANALYZE; SQLite: Core executemany with the tables' triggers dropped and
  re-created from their stored SQL, then ANALYZE. Loaded rows have no journal rows and no audit entries."""


def report(args, results: dict, skipped: dict) -> None:
    """Print the set-up, the table and the targets per backend."""
    print(f"\nStorage benchmark: {environment(args, list(results))}\n")
    for backend, r in results.items():
        print("\n".join(setup_lines(backend, args, r["setup"])))
    print(f"\n{'backend':<11} {'measurement':<42}{'n':>6}{'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for backend, r in results.items():
        print("\n".join(table_lines(backend, r)))
    print()
    for backend, r in results.items():
        print(f"{backend:<11} audit trail after the placements: {r['verdict'].line()}")
    for backend, reason in skipped.items():
        print(f"{backend:<11} skipped: {reason}")
    print()
    for backend, r in results.items():
        print("\n".join(target_lines(backend, r)))
    print(f"\n{lists.HEADER}")
    for backend, r in results.items():
        print("\n".join(lists.list_lines(backend, r["lists"])))
    print("\n" + NOTES.format(warmup=WARMUP, rounds=ROUNDS))


def parse_args(argv=None):
    """--units, --requests, --backends, --profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000, help="units bulk-loaded (default 1,000,000)")
    parser.add_argument("--requests", type=int, default=1_000, help="timed requests per measurement (default 1,000)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--profile", type=Path, default=None,
                        help="also cProfile --requests more scans per backend into this directory")
    args = parser.parse_args(argv)
    if args.units < 1 or args.requests < 2:
        parser.error("--units must be at least 1 and --requests at least 2")
    return args


def main(argv=None) -> None:
    """Run every available backend, then print the report."""
    args = parse_args(argv)
    # a plain kill still runs the finally blocks that drop the databases
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    args.load_at_start = runinfo.load_average()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        sys.exit(f"unknown backend(s): {', '.join(sorted(unknown))}")
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    skipped = {}
    if "postgresql" in backends and (reason := benchdb.postgres_unreachable()):
        skipped["postgresql"] = reason
        backends.remove("postgresql")
    results = {}
    with tempfile.TemporaryDirectory(prefix="storage-bench-") as workdir:
        for backend in backends:
            results[backend] = run_backend(backend, args, Path(workdir))
    report(args, results, skipped)


if __name__ == "__main__":
    main()
