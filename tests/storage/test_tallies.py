"""The unit tallies (app/storage/tallies.py): every creation and change of state is counted at commit, a write
from outside the app still counts, and the pages of units they lead to are the very pages a plain OFFSET gives."""

import pytest
from sqlalchemy import func, select, text

from app.storage import listing, tallies
from app.storage.tallies import UnitTally, UnitTallyChange
from tests.helpers import count_audit, tally_mismatches


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
    assert tally_mismatches(session.connection()) == {}
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
