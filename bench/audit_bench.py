"""Audit trail benchmark: append and verify throughput against bare baselines, and the cost of one audited update.

    python bench/audit_bench.py [--entries N] [--backends sqlite,postgresql] [--updates N]

Each backend gets fresh databases (dropped at the end): the migrated app database, where entries are
appended through the real write path and verified, and a separate one for SQLAlchemy-Continuum.
PostgreSQL comes from CELLBANK_TEST_POSTGRES_URL (an admin URL); it is skipped if unreachable.
Targets are reported as met or NOT met; nothing is asserted.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("CELLBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

import benchdb  # noqa: E402
import runinfo  # noqa: E402
import trail  # noqa: E402
from updates import interleaved, summary, time_updates  # noqa: E402

import audit  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.helpers import create_user  # noqa: E402

VERIFY_TARGET = 300_000
UPDATE_COST_TARGET = 2.0



def measure_trail(app, args) -> dict:
    """Append, plain-insert, verify and bare-hash the same entries; return seconds per measurement."""
    runinfo.progress(f"append {args.entries:,} entries in batches of {args.batch:,}")
    result = {"append": trail.append(app, args.entries, args.batch)}
    rows = trail.stored_rows(app)
    runinfo.progress("plain INSERT of the same rows")
    result["plain"] = trail.plain_insert(app, benchdb.plain_log, rows, args.batch)
    checkpoint = audit.Checkpoint(rows[-1][0], rows[-1][-1])
    runinfo.progress(f"verify x{args.runs}")
    runs = [trail.verify(app, checkpoint) for _ in range(args.runs)]
    result["verify"] = statistics.median(seconds for seconds, _ in runs)
    result["verdict"] = runs[-1][1]
    runinfo.progress(f"raw read x{args.runs}")
    result["read"] = statistics.median(trail.raw_read(app) for _ in range(args.runs))
    runinfo.progress(f"bare sha256 x{args.runs}")
    result["sha256"] = statistics.median(trail.bare_sha256(rows) for _ in range(args.runs))
    result["entries"] = len(rows)
    return result


def measure_updates(app, count: int, warmup: int) -> dict:
    """Time updates of an audited User and of its unaudited twin, interleaved; return their summaries."""
    runinfo.progress(f"{count:,} audited and {count:,} unaudited single-record updates")
    with app.app_context():
        session = db.session
        audit.set_actor(session, None, "bench")
        user_id = create_user(app, "bench", password="bench password 2026", full_name="Bench User", actor="bench")
        user = session.get(User, user_id)
        twin = benchdb.PlainUser(**{c.key: getattr(user, c.key) for c in User.__table__.columns if c.key != "id"})
        session.add(twin)
        session.commit()
        variants = {
            "audited": partial(time_updates, session, User, user_id,
                               context=lambda: audit.action(session, "bench.update", "benchmark update")),
            "unaudited": partial(time_updates, session, benchdb.PlainUser, twin.id),
        }
        for run in variants.values():
            run(warmup)
        times = interleaved(variants, count)
        db.session.remove()
    return {name: summary(values) for name, values in times.items()}


def measure_continuum(backend: str, workdir: Path, count: int, warmup: int) -> dict:
    """Time the same updates on a Continuum-versioned users model, in its own database and process."""
    runinfo.progress(f"{count:,} Continuum-versioned updates")
    with benchdb.bare_database(backend, workdir) as url:
        script = BENCH / "continuum_update.py"
        done = subprocess.run([sys.executable, str(script), url, str(count), str(warmup)], capture_output=True,
                              text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(done.stdout)


def run_backend(backend: str, args, workdir: Path) -> dict:
    """Every measurement on one backend."""
    runinfo.progress(f"--- {backend}")
    with benchdb.app_database(backend, workdir) as app:
        result = measure_trail(app, args)
        result["updates"] = measure_updates(app, args.updates, args.warmup)
        runinfo.progress("verify after the updates")
        result["final_verdict"] = trail.verify(app, None)[1]
    result["updates"]["continuum"] = measure_continuum(backend, workdir, args.updates, args.warmup)
    return result


# --- report ----------------------------------------------------------------------------------------

def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>11,.0f}"


def throughput_lines(backend: str, r: dict) -> list[str]:
    n = r["entries"]
    return [
        f"{backend:<11} {'append: audit.record + commit':<34}{rate(n, r['append'])}   "
        f"{'plain INSERT, same rows':<31}{rate(n, r['plain'])}   {r['append'] / r['plain']:>6.2f}x",
        f"{backend:<11} {'verify: audit.verify':<34}{rate(n, r['verify'])}   "
        f"{'bare sha256 over stored bytes':<31}{rate(n, r['sha256'])}   {r['verify'] / r['sha256']:>6.2f}x",
        f"{backend:<11} {'':<34}{'':>11}   "
        f"{'raw read of the stored columns':<31}{rate(n, r['read'])}   {r['verify'] / r['read']:>6.2f}x",
    ]


UPDATE_LABELS = {"audited": "audited (capture on)", "unaudited": "unaudited twin (capture off)",
                 "continuum": "SQLAlchemy-Continuum"}


def update_lines(backend: str, updates: dict) -> list[str]:
    audited = updates["audited"]
    lines = []
    for name, label in UPDATE_LABELS.items():
        s = updates[name]
        if "error" in s:
            lines.append(f"{backend:<11} {label:<30} failed: {s['error']}")
            continue
        ratio = "" if name == "audited" else f"{audited['p50'] / s['p50']:>8.2f}x {audited['mean'] / s['mean']:>7.2f}x"
        times = f"{s['n']:>6} {s['p50']:>8.3f} {s['mean']:>8.3f} {s['p95']:>8.3f}"
        lines.append(f"{backend:<11} {label:<30}{times}  {ratio}")
    return lines


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def target_lines(backend: str, r: dict) -> list[str]:
    lines = []
    if backend == "sqlite":
        speed = r["entries"] / r["verify"]
        lines.append(f"{backend:<11} target verify >= {VERIFY_TARGET:,} entries/s on SQLite: {speed:,.0f}/s: "
                     f"{verdict(speed >= VERIFY_TARGET)}")
    u = r["updates"]
    p50, mean = (u["audited"][k] / u["unaudited"][k] for k in ("p50", "mean"))
    lines.append(f"{backend:<11} target audited update <= {UPDATE_COST_TARGET:g}x unaudited: {p50:.2f}x (p50), "
                 f"{mean:.2f}x (mean): {verdict(p50 <= UPDATE_COST_TARGET and mean <= UPDATE_COST_TARGET)}")
    if "error" in u["continuum"]:
        lines.append(f"{backend:<11} target audited update < Continuum: NOT met (Continuum did not run)")
    else:
        p50, mean = (u["audited"][k] / u["continuum"][k] for k in ("p50", "mean"))
        lines.append(f"{backend:<11} target audited update < Continuum: {p50:.2f}x (p50), {mean:.2f}x (mean): "
                     f"{verdict(p50 < 1 and mean < 1)}")
    return lines


def environment(args, backends: list[str]) -> str:
    """Sizes, versions and machine load of the run."""
    return (f"{args.entries:,} entries in batches of {args.batch:,}, {args.updates:,} updates per variant; "
            f"{runinfo.machine(backends, args.load_at_start)}")


NOTES = """\
append: audit.record(session, "bench.event", ...) then db.session.commit() per batch, through the app's session
  (before_commit: append lock, tail, canonical JSON, SHA-256, INSERT checked row by row by the insert trigger).
plain INSERT: the same stored rows into bench_plain_log (audit_log's columns, keys and indexes; no triggers, no chain),
  same batches, SQLAlchemy Core executemany, one transaction per batch; only the inserts and commits are timed.
verify: audit.verify(conn, checkpoint) over the whole trail (contiguity, links, hashes, mirrored columns, journal,
  checkpoint); bare sha256: sha256(tag + prev_hash + payload).hexdigest() over the stored bytes held in memory;
  raw read: the same SELECT through the driver's cursor, rows iterated and dropped (verify's floor). Each is the
  median of {runs} runs. Ratios are time ratios: measured time / baseline time.
update: session.get, change full_name, commit; timed from get to commit; {warmup} warm-up updates per variant,
  audited and unaudited interleaved in 10 rounds. audited = User (__audited__) inside audit.action(..., reason):
  old values loaded, audit entry appended in the same transaction, journal trigger (and, on PostgreSQL, the
  deferred "audited" constraint trigger). capture off = the same change to bench_plain_users, a twin of users
  with the same columns that is not __audited__ and has no triggers, through the same db.session and engine (the
  session's audit hooks still run and find nothing to record). Continuum = the users table versioned by
  SQLAlchemy-Continuum (validity strategy: users_version + transaction tables) in its own fresh database, same
  engine settings, in a separate process. "audited / x" = audited time divided by that variant's time."""


def report(args, results: dict, skipped: dict) -> None:
    """Print the compact result tables."""
    print(f"\nAudit trail benchmark: {environment(args, list(results))}\n")
    print(f"{'backend':<11} {'measurement':<34}{'entries/s':>11}   {'baseline':<31}{'entries/s':>11}   {'time':>7}")
    for backend, r in results.items():
        print("\n".join(throughput_lines(backend, r)))
    print(f"\n{'backend':<11} {'single-record update':<30}{'n':>6} {'p50 ms':>8} {'mean ms':>8} {'p95 ms':>8}  "
          f"{'audited / x (p50, mean)'}")
    for backend, r in results.items():
        print("\n".join(update_lines(backend, r["updates"])))
    print()
    for backend, r in results.items():
        print(f"{backend:<11} after append: {r['verdict'].line()}")
        print(f"{backend:<11} after updates: {r['final_verdict'].line()}")
    for backend, reason in skipped.items():
        print(f"{backend:<11} skipped: {reason}")
    print()
    for backend, r in results.items():
        print("\n".join(target_lines(backend, r)))
    print("\n" + NOTES.format(runs=args.runs, warmup=args.warmup))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="audit entries to append (default 1,000,000)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--updates", type=int, default=2_000, help="timed updates per variant (default 2,000)")
    parser.add_argument("--batch", type=int, default=1_000, help="entries per transaction (default 1,000)")
    parser.add_argument("--runs", type=int, default=3, help="verify and sha256 runs; the median counts (default 3)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed updates per variant first (default 100)")
    parser.add_argument("--dir", type=Path, default=None, help="directory for SQLite files (default: a temp dir)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    args.load_at_start = runinfo.load_average()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        sys.exit(f"unknown backend(s): {', '.join(sorted(unknown))}")
    skipped = {}
    if "postgresql" in backends and (reason := benchdb.postgres_unreachable()):
        skipped["postgresql"] = reason
        backends.remove("postgresql")
    results = {}
    with tempfile.TemporaryDirectory(prefix="audit-bench-", dir=args.dir) as workdir:
        for backend in backends:
            results[backend] = run_backend(backend, args, Path(workdir))
    report(args, results, skipped)


if __name__ == "__main__":
    main()
