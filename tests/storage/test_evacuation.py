"""Whole-box moves, and evacuating a tank of 1,000 units: all or nothing, each unit with its own custody event, even
when the process doing it fails halfway or is killed in the middle of its transaction."""

import multiprocessing
import os
import signal
import sqlite3
import time

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

import audit
from app.custody.models import CustodyEvent
from app.extensions import db
from app.storage import evacuation
from app.storage.models import StorageLocation
from tests.bankbuild import Bank, build_bank, build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, TestDatabase, create_database
from tests.helpers import BACKENDS, api_login, create_user, make_app, migrate
from tests.storage.helpers import boxes, fill_tank

#: units the killed worker moves inside its transaction before it stops and waits for the kill
MOVED_BEFORE_THE_KILL = 600


def _moved_events(session) -> int:
    return session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.event_type == "moved"))


def test_box_move_gives_each_unit_a_custody_event(bank, tank, units, session):
    first_box, rack2 = boxes(tank)[0], tank["children"][1]
    for unit in units[:2]:
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": first_box["id"]}, expect=200)
    moved = bank.post(f"/api/v1/storage/locations/{first_box['id']}/move", {"rack_id": rack2["id"]}, expect=200)
    assert moved["parent_id"] == rack2["id"]
    chain = bank.client.get(f"/api/v1/units/{units[0]['id']}/custody").json
    assert chain[-1]["event_type"] == "moved" and "moved to" in chain[-1]["manual_reason"]
    assert _moved_events(session) == 2


@pytest.fixture(params=BACKENDS)
def full_tank(request, tmp_path):
    """A committed database of its own (a worker process must see it): the bank, tech1 logged in on a client, and
    tank LN2-B holding 1,000 units beside an empty LN2-C."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path)
    app = make_app(database)
    try:
        migrate(app)
        client = app.test_client()
        bank = build_bank(Bank(client, lambda name: api_login(client, name)),
                          lambda name, roles: create_user(app, name, roles))
        drug_product = build_drug_product(bank)
        tech = client.get("/api/v1/me").json["id"]
        tanks = fill_tank(app, tech, (drug_product["id"], bank.lots["mcb"]["id"]))
        yield {"app": app, "database": database, "client": client, **tanks}
    finally:
        with app.app_context():
            db.engine.dispose()
        database.drop()


def _state(app) -> dict:
    """Where LN2-B's racks are, how many custody moves, audit entries and journal rows there are."""
    with app.app_context(), db.engine.connect() as conn:
        racks = conn.execute(select(StorageLocation.parent_id).where(StorageLocation.name.like("LN2-B rack%")))
        return {"rack_parents": set(racks.scalars()),
                "moved_events": conn.scalar(select(func.count()).select_from(CustodyEvent)
                                            .where(CustodyEvent.event_type == "moved")),
                "audit_entries": conn.scalar(select(func.count()).select_from(audit.audit_log)),
                "journal_rows": conn.scalar(select(func.count()).select_from(audit.audit_journal))}


def _evacuate_until_killed(backend: str, app_url: str, owner_url: str, source: int, target: int, logged_in, go,
                           ready) -> None:
    """Worker: log in, wait for the go, evacuate LN2-B through the API; after MOVED_BEFORE_THE_KILL custody events are
    flushed inside the request's transaction, say so and wait to be killed. The hook wraps custody.record in this
    process only: production code is unchanged."""
    from app.custody import operations as custody

    app = make_app(TestDatabase(backend, app_url, owner_url, lambda: None))
    record, recorded = custody.record, []

    def record_then_wait(*args, **kwargs):
        event = record(*args, **kwargs)  # flushed: the event, its journal row and its pending audit entry exist
        recorded.append(event)
        if len(recorded) == MOVED_BEFORE_THE_KILL:
            ready.set()
            time.sleep(300)
        return event

    custody.record = record_then_wait
    client = app.test_client()
    assert api_login(client, "tech1").status_code == 200
    logged_in.set()
    assert go.wait(timeout=120)
    client.post(f"/api/v1/storage/locations/{source}/evacuate", json={"target_id": target})
    raise AssertionError("the evacuation finished: the worker was not killed in its transaction")


def _assert_writer_inside_its_transaction(database: TestDatabase) -> None:
    """The worker's transaction is open and has written: nobody else can take SQLite's write lock; on PostgreSQL
    its session is idle in a transaction that holds a transaction id and row locks on custody_events (read as the
    server's superuser: other roles do not see a session's state)."""
    if database.backend == "sqlite":
        probe = sqlite3.connect(make_url(database.owner_url).database, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                probe.execute("BEGIN IMMEDIATE")
        finally:
            probe.close()
        return
    superuser = make_url(POSTGRES_ADMIN_URL).set(database=make_url(database.owner_url).database)
    engine = create_engine(superuser)
    try:
        with engine.connect() as conn:
            writers = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
                "WHERE a.datname = current_database() AND a.usename = :role AND a.state = 'idle in transaction' "
                "AND a.backend_xid IS NOT NULL AND l.relation = 'custody_events'::regclass "
                "AND l.mode = 'RowExclusiveLock' AND l.granted"),
                {"role": make_url(database.app_url).username}).scalar()
    finally:
        engine.dispose()
    assert writers == 1, "the worker is not inside a transaction that wrote custody events"


def _wait_until_gone(database: TestDatabase, seconds: float = 30) -> None:
    """PostgreSQL: the killed client's backend ends and rolls back; wait until it has."""
    if database.backend != "postgresql":
        return
    engine = create_engine(database.owner_url)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND usename = :role"), {"role": make_url(database.app_url).username}
                                    ).scalar():
                    return
            time.sleep(0.1)
    finally:
        engine.dispose()
    raise AssertionError("the killed worker's PostgreSQL session did not end")


def _assert_whole(app) -> None:
    """`flask audit verify` and `flask custody verify` both pass."""
    runner = app.test_cli_runner()
    for command in (["audit", "verify"], ["custody", "verify"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output


def test_evacuating_1000_units_is_all_or_nothing(full_tank, monkeypatch):
    """An evacuation that fails halfway, or whose worker is SIGKILLed in the middle of its transaction, leaves every
    rack where it was, no custody event and no audit entry; the trail verifies; then the evacuation succeeds."""
    app, database, client = full_tank["app"], full_tank["database"], full_tank["client"]
    url = f"/api/v1/storage/locations/{full_tank['source']}/evacuate"
    before = _state(app)
    assert before["rack_parents"] == {full_tank["source"]}

    record, calls = evacuation.custody.record, []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) == 500:
            raise RuntimeError("disk full halfway through the evacuation")
        return record(*args, **kwargs)

    monkeypatch.setattr(evacuation.custody, "record", failing_record)
    with pytest.raises(RuntimeError, match="halfway"):
        client.post(url, json={"target_id": full_tank["target"]})
    monkeypatch.undo()
    assert _state(app) == before
    _assert_whole(app)

    with app.app_context():
        db.engine.dispose()  # the worker gets the SQLite write lock; PostgreSQL sessions of this process stay out
    context = multiprocessing.get_context("spawn")
    logged_in, go, ready = context.Event(), context.Event(), context.Event()
    worker = context.Process(target=_evacuate_until_killed, args=(
        database.backend, database.app_url, database.owner_url, full_tank["source"], full_tank["target"], logged_in,
        go, ready))
    worker.start()
    try:
        assert logged_in.wait(timeout=120), "the worker could not log in"
        before = _state(app)  # its login is committed and audited; nothing after it may be
        with app.app_context():
            db.engine.dispose()
        go.set()
        assert ready.wait(timeout=120), "the worker never reached the middle of its evacuation"
        _assert_writer_inside_its_transaction(database)
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=30)
    finally:
        if worker.is_alive():
            worker.kill()
            worker.join()
    assert worker.exitcode == -signal.SIGKILL
    _wait_until_gone(database)
    assert _state(app) == before
    _assert_whole(app)

    moved = client.post(url, json={"target_id": full_tank["target"]})
    assert moved.status_code == 200 and len(moved.json) == 1000, moved.json
    after = _state(app)
    assert after["rack_parents"] == {full_tank["target"]}
    assert after["moved_events"] == before["moved_events"] + 1000
    _assert_whole(app)
