"""A deep page of units skips ids in a narrow index, not whole rows: on SQLite the id scan is a covering index
scan of ix_units_id; on PostgreSQL that index is not made (its primary key index is narrow already)."""

from sqlalchemy import inspect, text

from app.core.pagination import DEEP_OFFSET, _page
from app.storage.listing import filtered_units


def test_a_deep_page_of_units_scans_a_narrow_index(session, backend):
    statement = _page(filtered_units({}), 50, DEEP_OFFSET * 500)
    sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    indexes = {index["name"] for index in inspect(session.connection()).get_indexes("units")}
    if backend == "sqlite":
        plan = " | ".join(row[3] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "SCAN units USING COVERING INDEX ix_units_id" in plan, plan
        assert "USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    else:
        assert "ix_units_id" not in indexes
        assert "IN (SELECT units.id" in sql.replace("\n", " ")
