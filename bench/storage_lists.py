"""List requests of the storage benchmark: each list's first page, a deep page and its filters, timed against the
authenticated no-op request (GET /api/v1/me) in interleaved rounds of the same run (used by storage_bench.py)."""

import gc
import statistics
import time

from sqlalchemy import select

from app.extensions import db
from app.storage.models import StorageLocation, Unit

LIST_P95_TARGET_MS = 50.0
LIST_RATIO_TARGET = 5.0
WARMUP = 20


def list_urls(app, layout) -> dict[str, str]:
    """The list requests timed, named by what they show, with ids from the bank built."""
    with app.app_context():
        box = db.session.get(StorageLocation, layout.boxes[len(layout.boxes) // 2])
        rack = db.session.get(StorageLocation, box.parent_id)
        tank_id, lot_id = rack.parent_id, db.session.scalar(select(Unit.lot_id).limit(1))
    return {
        "GET /api/v1/units (page 1)": "/api/v1/units",
        "GET /api/v1/units?page=10000&per_page=50": "/api/v1/units?page=10000",
        "GET /api/v1/units?lot_id=&per_page=200 (of 702)": f"/api/v1/units?lot_id={lot_id}&per_page=200",
        "GET /api/v1/units?box_id=": f"/api/v1/units?box_id={box.id}",
        "GET /api/v1/storage/locations (sites)": "/api/v1/storage/locations",
        "GET /api/v1/storage/locations?parent_id=<tank>": f"/api/v1/storage/locations?parent_id={tank_id}",
        "GET /api/v1/storage/locations?parent_id=<rack>": f"/api/v1/storage/locations?parent_id={rack.id}",
        "GET /storage?parent_id=<rack> (page)": f"/storage?parent_id={rack.id}",
        "GET /api/v1/lots": "/api/v1/lots",
        "GET /lots (page)": "/lots",
        "GET /api/v1/donors": "/api/v1/donors",
        "GET /donors (page)": "/donors",
        "GET /api/v1/shipments": "/api/v1/shipments",
        "GET /shipments (page)": "/shipments",
    }


def _timed(client, url: str) -> tuple[float, bool, int]:
    start = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - start) * 1000, response.status_code == 200, len(response.data)


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def measure_lists(client, urls: dict[str, str], requests: int, rounds: int = 10) -> dict[str, dict]:
    """p50/p95 ms, errors and answer size of each list, and of GET /api/v1/me timed in the same rounds."""
    named = {"GET /api/v1/me (no-op)": "/api/v1/me", **urls}
    for url in named.values():
        for _ in range(WARMUP):
            _timed(client, url)
    gc.collect()
    times = {name: [] for name in named}
    errors, sizes = dict.fromkeys(named, 0), {}
    for _ in range(rounds):
        for name, url in named.items():
            for _ in range(max(1, requests // rounds)):
                ms, ok, size = _timed(client, url)
                times[name].append(ms)
                errors[name] += not ok
                sizes[name] = size
    return {name: {"n": len(t), "errors": errors[name], "p50": statistics.median(t), "p95": _p95(t),
                   "bytes": sizes[name]} for name, t in times.items()}


def list_lines(backend: str, lists: dict[str, dict]) -> list[str]:
    """One line per list: n, errors, p50, p95, size, ratio to the no-op request, and whether the targets are met."""
    floor = lists["GET /api/v1/me (no-op)"]["p95"]
    lines = []
    for name, r in lists.items():
        ratio = r["p95"] / floor
        met = r["p95"] <= LIST_P95_TARGET_MS and ratio <= LIST_RATIO_TARGET
        lines.append(f"{backend:<11} {name:<48}{r['n']:>6}{r['errors']:>7} {r['p50']:>8.2f} {r['p95']:>8.2f} "
                     f"{r['bytes'] / 1024:>8.1f} KiB {ratio:>6.1f}x  {'met' if met else 'NOT met'}")
    return lines


HEADER = (f"{'backend':<11} {'list request':<48}{'n':>6}{'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'answer':>12} "
          f"{'/ no-op':>7}  target p95 ≤ {LIST_P95_TARGET_MS:g} ms and ≤ {LIST_RATIO_TARGET:g}× the no-op")
