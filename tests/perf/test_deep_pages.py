"""A page of units reads no more of the units table than the page itself, however deep: the total and the lot
the page starts in come from the unit tallies, the rows from the (lot_id, id) index."""

import re

from sqlalchemy import text

from app.storage import listing
from tests.helpers import selects


def _reading_units(statements: list[str]) -> list[str]:
    return [s for s in selects(statements) if re.search(r"\bFROM units\b", s)]


def test_a_deep_page_of_units_counts_from_the_tallies_and_reads_only_its_rows(bank, units, count_queries,
                                                                               monkeypatch):
    monkeypatch.setattr(listing, "DEEP_OFFSET", 1)  # the path of a page past the first thousand units
    with count_queries() as statements:
        page = bank.client.get("/api/v1/units?per_page=2&page=2").json
    assert [u["id"] for u in page["items"]] == [units[2]["id"], units[3]["id"]] and page["total"] == 4
    [rows] = _reading_units(statements)
    assert "LIMIT" in rows.upper() and "unit_tallies" not in rows
    assert sum("unit_tallies" in s for s in selects(statements)) == 2  # the total, then the lot the page starts in


def test_the_page_of_units_is_served_by_an_index_in_lot_order(session, backend, units):
    sql = ("SELECT units.id FROM units WHERE units.lot_id >= 1 AND units.state = 'in_storage' "
           "ORDER BY units.lot_id, units.id LIMIT 50 OFFSET 10")
    if backend == "sqlite":
        plan = " | ".join(row[3] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "USING COVERING INDEX ix_units_state_lot_id_id" in plan and "TEMP B-TREE" not in plan, plan
    else:
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a handful of rows: the planner would read them all
        plan = " | ".join(row[0] for row in session.execute(text(f"EXPLAIN {sql}")))
        assert "ix_units_state_lot_id_id" in plan and "Sort" not in plan, plan
