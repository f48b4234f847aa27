"""Concurrent writers on PostgreSQL append one contiguous, unforked chain: the append lock serialises them."""

import multiprocessing

from sqlalchemy import text

WORKERS, TRANSACTIONS = 8, 25
#: per worker: the first transaction writes 2 entries (create, event), each later one 3 (create, roles, event)
ENTRIES = WORKERS * (2 + 3 * (TRANSACTIONS - 1))


def _worker(app_url: str, owner_url: str, number: int, barrier) -> None:
    """Create the app in this process, wait for the others, then write TRANSACTIONS audited transactions."""
    import audit
    from app.auth import operations
    from app.core.transaction import unit_of_work
    from app.extensions import db
    from tests.databases import TestDatabase
    from tests.helpers import PASSWORD, make_app

    app = make_app(TestDatabase("postgresql", app_url, owner_url, lambda: None))
    with app.app_context():
        db.engine.connect().close()
        barrier.wait(timeout=60)
        previous = None
        for i in range(TRANSACTIONS):
            audit.set_actor(db.session, None, f"worker{number}")
            with unit_of_work():
                user = operations.create_user(f"w{number}-{i}", f"Worker {number} {i}", PASSWORD, ["technician"])
                if previous is not None:
                    operations.set_roles(user, operations.get_user(previous), ["qa"], "trained")
                audit.record(db.session, "worker.step", "users", user.id, None, {"step": i})
            previous = user.id
        db.engine.dispose()


def test_concurrent_appends_form_one_chain(pg_trail):
    """8 processes x 25 transactions at once: all succeed; seq is 1..N with N exact; no fork; the trail verifies."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    database = pg_trail.database
    processes = [context.Process(target=_worker, args=(database.app_url, database.owner_url, n, barrier))
                 for n in range(WORKERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WORKERS, "a writer failed: see its traceback above"
    rows = pg_trail.rows()
    assert [row["seq"] for row in rows] == list(range(1, ENTRIES + 1))
    assert len({row["prev_hash"] for row in rows}) == ENTRIES
    assert all(row["prev_hash"] == before["entry_hash"] for before, row in zip(rows, rows[1:], strict=False))
    for n in range(WORKERS):
        assert pg_trail.scalar("SELECT COUNT(*) FROM audit_log WHERE actor_username = :who", who=f"worker{n}") == \
            ENTRIES // WORKERS
    assert pg_trail.scalar(text("SELECT COUNT(*) FROM users").text) == WORKERS * TRANSACTIONS
    code, line = pg_trail.verify()
    assert code == 0 and line.startswith(f"OK: {ENTRIES} audit entries verified"), line
