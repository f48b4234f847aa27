"""Fire requests from separate processes at the same moment, on PostgreSQL, so that they truly overlap.

Each worker process runs the app, logs in, then waits. The harness takes a SHARE lock on the table the requests
write and lets them go: every worker reads and checks what it needs, then blocks at its first write to that table.
Once all of them are blocked (or waiting on each other's row locks), the lock is released and they race for real.
Without a version check or a row lock, every one of them would then succeed.
"""

import dataclasses
import multiprocessing
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from app.extensions import db
from tests.helpers import PASSWORD, make_app

TIMEOUT_S = 60


@dataclass(frozen=True)
class Call:
    """One request of the race: who sends it, and what."""

    username: str
    method: str
    url: str
    body: dict | None = None


def _worker(database, call: Call, ready, go, results) -> None:
    app = make_app(database)
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": call.username, "password": PASSWORD})
    assert login.status_code == 200, login.json
    ready.put(call.username)
    go.wait(TIMEOUT_S)
    response = client.open(call.url, method=call.method, json=call.body)
    results.put((call, response.status_code, response.get_json()))
    with app.app_context():
        db.engine.dispose()


def _waiting(conn) -> int:
    """How many sessions of this database wait for a lock (pg_locks: visible whatever role they run as)."""
    return conn.execute(text("SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                             "WHERE NOT l.granted AND a.datname = current_database()")).scalar_one()


def race(database, calls: list[Call], table: str) -> list[tuple[Call, int, dict]]:
    """Run the calls at the same moment; answers (call, status, json) in the order they finished."""
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Queue(), context.Event(), context.Queue()
    picklable = dataclasses.replace(database, drop=None)
    workers = [context.Process(target=_worker, args=(picklable, call, ready, go, results)) for call in calls]
    for process in workers:
        process.start()
    for _ in workers:
        ready.get(timeout=TIMEOUT_S)
    engine = create_engine(database.owner_url)
    try:
        with engine.connect() as locker, engine.connect() as watcher:
            holding = locker.begin()
            locker.execute(text(f"LOCK TABLE {table} IN SHARE MODE"))
            go.set()
            deadline = time.monotonic() + TIMEOUT_S / 3
            while _waiting(watcher) < len(calls):
                if time.monotonic() > deadline or not results.empty():
                    holding.commit()
                    early = [results.get(timeout=TIMEOUT_S) for _ in workers]
                    raise AssertionError(f"a worker answered before reaching its write to {table}: {early}")
                time.sleep(0.02)
            holding.commit()
        answers = [results.get(timeout=TIMEOUT_S) for _ in workers]
    finally:
        engine.dispose()
        for process in workers:
            process.join(timeout=TIMEOUT_S)
    return answers
