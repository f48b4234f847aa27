"""Single-record updates through the ORM, each timed from load to commit."""

import itertools
import statistics
from contextlib import nullcontext
from time import perf_counter

#: a fresh value for every update, so each one really changes the row
_values = itertools.count()


def time_updates(session, model, row_id: int, count: int, context=nullcontext) -> list[float]:
    """Load one row, change one column and commit, count times; return each update's seconds."""
    times = []
    for _ in range(count):
        start = perf_counter()
        with context():
            row = session.get(model, row_id)
            row.full_name = f"Bench User {next(_values)}"
        session.commit()
        times.append(perf_counter() - start)
    return times


def summary(times: list[float]) -> dict:
    """p50, mean and p95 in milliseconds."""
    ordered = sorted(times)
    return {"n": len(times), "p50": statistics.median(ordered) * 1e3, "mean": statistics.fmean(ordered) * 1e3,
            "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1e3}


def interleaved(variants: dict, count: int, rounds: int = 10) -> dict:
    """Run each variant's timer in alternating rounds until each did count updates; return their times."""
    times = {name: [] for name in variants}
    chunk = -(-count // rounds)
    for done in range(0, count, chunk):
        for name, run in variants.items():
            times[name] += run(min(chunk, count - done))
    return times
