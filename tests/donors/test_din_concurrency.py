"""DIN allocation under concurrency (PostgreSQL): 8 processes, gapless and unique, rollbacks give numbers back."""

import dataclasses
import datetime as dt
import multiprocessing

import pytest

import audit
from app.core.transaction import unit_of_work
from app.extensions import db
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import create_user, make_app, migrate

WORKERS, ROUNDS = 8, 12
COLLECTED = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


class Abort(Exception):
    """Raised on purpose to roll a procurement back."""


def _worker(database, donor_id: int, collector_id: int, worker: int, start, results) -> None:
    from app.auth.models import User
    from app.donors import operations

    app = make_app(database)
    committed = []
    with app.app_context():
        start.wait()
        for round_ in range(ROUNDS):
            audit.set_actor(db.session, collector_id, f"worker{worker}", "technician")  # create_user's role
            try:
                with unit_of_work():
                    donor, collector = operations.get_donor(donor_id), db.session.get(User, collector_id)
                    procurement = operations.create_procurement(donor, collector, {
                        "tissue": "adipose lipoaspirate", "collected_at": COLLECTED, "site": "CHU",
                        "quantity": 1, "quantity_unit": "mL", "transport_conditions": "cold"})
                    din = procurement.din
                    if round_ % 3 == 2:
                        raise Abort
                committed.append(din)
            except Abort:
                pass
        db.engine.dispose()
    results.put(committed)


@pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)
def test_parallel_dins_are_unique_and_gapless(tmp_path):
    from app.donors.operations import create_donor

    database = create_database("postgresql", tmp_path)
    try:
        app = make_app(database)
        migrate(app)
        collector = create_user(app, "collector", full_name="Col Lector")
        with app.app_context():
            audit.set_actor(db.session, None, "test-setup")
            with unit_of_work():
                donor = create_donor("ASC-D900", dt.date(2026, 1, 1), "bank")
                ids = (donor.id, collector)
        with app.app_context():
            db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        start, results = context.Event(), context.Queue()
        picklable = dataclasses.replace(database, drop=None)
        workers = [context.Process(target=_worker, args=(picklable, *ids, n, start, results)) for n in range(WORKERS)]
        for process in workers:
            process.start()
        start.set()
        dins = [din for _ in workers for din in results.get(timeout=120)]
        for process in workers:
            process.join(timeout=60)
            assert process.exitcode == 0
        expected = WORKERS * (ROUNDS - ROUNDS // 3)
        assert len(dins) == expected and len(set(dins)) == expected
        assert sorted(int(d[-6:]) for d in dins) == list(range(1, expected + 1))
        assert all(d.startswith(app.config["FIN"] + "26") for d in dins)
        with app.app_context(), db.engine.connect() as conn:
            assert audit.verify(conn).ok
        with app.app_context():
            db.engine.dispose()
    finally:
        database.drop()
