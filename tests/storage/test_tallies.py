"""The unit tallies (app/storage/tallies.py): every creation and change of state is counted at commit, a write
from outside the app still counts, and the pages of units they lead to are the very pages a plain OFFSET gives."""

import pytest
from sqlalchemy import create_engine, func, select, text

import audit
from app.extensions import db
from app.storage import listing, tallies
from app.storage.tallies import UnitTally, UnitTallyChange
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import BACKENDS, count_audit, make_app, migrate


def _tallies(session) -> dict:
    return {(t.lot_id, t.unit_state): t.units for t in session.scalars(select(UnitTally)) if t.units}


def test_created_and_destroyed_units_are_folded_into_the_tallies_at_commit(bank, session, units, drug_product):
    lot = drug_product["id"]
    assert _tallies(session) == {(lot, "in_storage"): 4}
    bank.post(f"/api/v1/units/{units[0]['id']}/destroy", {"reason": "tube cracked at receipt"}, expect=200)
    assert _tallies(session) == {(lot, "in_storage"): 3, (lot, "destroyed"): 1}
    assert session.scalar(select(func.count()).select_from(UnitTallyChange)) == 0
    page = bank.client.get("/api/v1/units?state=destroyed").json
    assert page["total"] == 1 and [u["id"] for u in page["items"]] == [units[0]["id"]]
    assert bank.client.get(f"/api/v1/units?lot_id={lot}&state=in_storage").json["total"] == 3


@pytest.mark.tampers  # a change behind the app's back, which the audit verifier rightly reports
def test_a_change_made_outside_the_app_still_counts_until_folded(app, bank, session, units, drug_product):
    session.execute(text("UPDATE units SET state = 'destroyed' WHERE id = :id"), {"id": units[1]["id"]})
    session.commit()
    assert session.scalar(select(func.count()).select_from(UnitTallyChange)) == 2  # -1 in storage, +1 destroyed
    with app.app_context():
        assert tallies.count(drug_product["id"], "destroyed") == 1 == tallies.count(state="destroyed")
        assert tallies.count() == 4 and tallies.lot_at(3, "in_storage") is None
    assert bank.client.get("/api/v1/units?state=in_storage").json["total"] == 3
    assert tallies.mismatches(session.connection()) == {}
    tallies.fold(session.connection())
    assert session.scalar(select(func.count()).select_from(UnitTallyChange)) == 0
    assert _tallies(session) == {(drug_product["id"], "in_storage"): 3, (drug_product["id"], "destroyed"): 1}


def test_a_refused_change_leaves_the_tallies_as_they_were(bank, session, units):
    before, entries = _tallies(session), count_audit(session)
    refused = bank.client.post(f"/api/v1/units/{units[0]['id']}/destroy", json={"reason": "   "})
    assert refused.status_code == 422
    assert _tallies(session) == before and count_audit(session) == entries


def test_deep_pages_start_from_the_lot_the_tallies_find(bank, units, drug_product, monkeypatch):
    """Units in lot order then by id, across two lots created out of order; with the deep path taken from the
    second item on, every page of every filter is the page a plain OFFSET gives, and the last page is short."""
    mcb = bank.lots["mcb"]
    banked = bank.post(f"/api/v1/lots/{mcb['id']}/units", {"count": 3, "container_type": "cryovial",
                                                           "volume_ml": "1.5", "cells": 25_000_000})
    bank.post(f"/api/v1/units/{units[2]['id']}/destroy", {"reason": "label unreadable"}, expect=200)
    bank.post(f"/api/v1/units/{banked[0]['id']}/destroy", {"reason": "label unreadable"}, expect=200)
    in_lot_order = [u["id"] for u in banked] + [u["id"] for u in units]
    assert mcb["id"] < drug_product["id"] and banked[0]["id"] > units[-1]["id"]
    for filters, expected in (({}, in_lot_order), ({"state": "in_storage"}, in_lot_order[1:5] + in_lot_order[6:]),
                              ({"state": "destroyed"}, [banked[0]["id"], units[2]["id"]])):
        plain = bank.client.get("/api/v1/units", query_string={**filters, "per_page": 200}).json
        assert [u["id"] for u in plain["items"]] == expected and plain["total"] == len(expected), filters
        monkeypatch.setattr(listing, "DEEP_OFFSET", 1)
        pages = [bank.client.get("/api/v1/units", query_string={**filters, "per_page": 2, "page": n}).json
                 for n in range(1, 6)]
        monkeypatch.setattr(listing, "DEEP_OFFSET", 1_000)
        assert [u["id"] for page in pages for u in page["items"]] == expected, filters
        assert {page["total"] for page in pages} == {len(expected)}


@pytest.fixture(params=BACKENDS)
def own_app(request, tmp_path):
    """The app on a fresh database of its own, committed for real (a recount connects beside the app, as the
    schema owner)."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path)
    app = make_app(database)
    migrate(app)
    owner = create_engine(database.owner_url)
    yield app, owner
    owner.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    database.drop()


def test_flask_units_tallies_finds_a_wrong_tally_and_recounts_it(own_app):
    app, owner = own_app
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = runner.invoke(args=["units", "tallies"])
    assert first.exit_code == 0 and "OK: 0 tally(ies) disagree with the units" in first.output, first.output
    with owner.begin() as conn:
        lot_id, state, units = conn.execute(select(UnitTally.lot_id, UnitTally.unit_state, UnitTally.units)
                                            .where(UnitTally.units > 0).limit(1)).one()
        conn.execute(text("UPDATE unit_tallies SET units = units + 5 WHERE lot_id = :lot AND unit_state = :state"),
                     {"lot": lot_id, "state": state})
        entries = conn.execute(select(func.count()).select_from(audit.audit_log)).scalar_one()
    wrong = runner.invoke(args=["units", "tallies"])
    assert wrong.exit_code == 1 and "FAILED: 1 tally(ies) disagree" in wrong.output, wrong.output
    assert f"lot {lot_id}, {state}: {units} unit(s), tallied {units + 5}" in wrong.output
    fixed = runner.invoke(args=["units", "tallies", "--rebuild"])
    assert fixed.exit_code == 0 and "recounted from the units" in fixed.output, fixed.output
    assert "OK: 0 tally(ies) disagree" in fixed.output
    with owner.connect() as conn:
        assert tallies.mismatches(conn) == {} and audit.verify(conn).ok
        assert conn.execute(select(func.count()).select_from(audit.audit_log)).scalar_one() == entries
