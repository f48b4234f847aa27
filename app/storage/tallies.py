"""How many units each lot holds in each state, kept beside the units table so that a list of a million units is
counted and paged without reading them.

The database keeps the count: a trigger on units adds a change row (+1 for the new lot and state, -1 for the old)
whenever a unit is created or changes lot or state, inside the writer's transaction. A session that changed units
folds the change rows into the tallies just before it commits, in (lot, state) order, so that two commits touching
the same tallies queue instead of deadlocking (on PostgreSQL a function owned by the schema owner folds: the app's
role deletes nothing). A fold takes every change row it sees, so one left by a write the session did not notice
(SQL outside the app, a bulk UPDATE) goes with the next fold; until then it still counts: every count reads both
tables in one statement.
"""

from functools import cache
from itertools import chain

from sqlalchemy import BigInteger, Integer, String, bindparam, event, func, select, text, union_all
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

from .models import Unit

_CHANGED = "unit_tallies_changed"
_SQLITE_FOLD = (
    "INSERT INTO unit_tallies (lot_id, unit_state, units) SELECT lot_id, unit_state, sum(units) "
    "FROM unit_tally_changes WHERE true GROUP BY lot_id, unit_state ORDER BY lot_id, unit_state "
    "ON CONFLICT (lot_id, unit_state) DO UPDATE SET units = units + excluded.units",
    "DELETE FROM unit_tally_changes",
)


class UnitTally(db.Model):
    """The number of units of a lot in a state, as of the last fold."""

    __tablename__ = "unit_tallies"
    __audit_exempt__ = "a count derived from the units, rebuilt from them at will; every change of a unit is audited"

    lot_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_state: Mapped[str] = mapped_column(String(20), primary_key=True)
    units: Mapped[int] = mapped_column(Integer)


class UnitTallyChange(db.Model):
    """A change of a tally not folded yet: +1 or -1 units of a lot in a state (written by the units triggers)."""

    __tablename__ = "unit_tally_changes"
    __audit_exempt__ = "a count derived from the units, folded at commit; every change of a unit is audited"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(Integer)
    unit_state: Mapped[str] = mapped_column(String(20))
    units: Mapped[int] = mapped_column(Integer)


def _rows(by_lot: bool = False, by_state: bool = False):
    """Every tally and unfolded change, narrowed by the lot_id and state parameters if asked, as one subquery of
    (lot_id, unit_state, units)."""
    parts = []
    for table in (UnitTally, UnitTallyChange):
        part = select(table.lot_id, table.unit_state, table.units)
        if by_lot:
            part = part.where(table.lot_id == bindparam("lot_id"))
        if by_state:
            part = part.where(table.unit_state == bindparam("state"))
        parts.append(part)
    return union_all(*parts).subquery()


# the statements are built once for each shape of filter: building one costs more than running it
@cache
def _count_statement(by_lot: bool, by_state: bool):
    rows = _rows(by_lot, by_state)
    return select(func.coalesce(func.sum(rows.c.units), 0))


@cache
def _lot_at_statement(by_state: bool):
    rows = _rows(by_state=by_state)
    per_lot = select(rows.c.lot_id, func.sum(rows.c.units).label("units")).group_by(rows.c.lot_id).subquery()
    through = func.sum(per_lot.c.units).over(order_by=per_lot.c.lot_id)
    running = select(per_lot.c.lot_id, per_lot.c.units, through.label("through")).subquery()
    return (select(running.c.lot_id, running.c.through - running.c.units)
            .where(running.c.through > bindparam("offset")).order_by(running.c.lot_id).limit(1))


def count(lot_id: int | None = None, state: str | None = None) -> int:
    """How many units there are of this lot and in this state (None: any)."""
    statement = _count_statement(lot_id is not None, state is not None)
    return int(db.session.scalar(statement, {"lot_id": lot_id, "state": state}))


def lot_at(offset: int, state: str | None = None) -> tuple[int, int] | None:
    """With units in lot order, the lot holding the unit at this offset (from 0), and how many units come before
    that lot's; None past the last unit."""
    found = db.session.execute(_lot_at_statement(state is not None), {"offset": offset, "state": state}).first()
    return None if found is None else (found[0], int(found[1]))


def fold(connection) -> None:
    """Fold every visible change into the tallies, in (lot, state) order."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT unit_tallies_fold()"))
    else:
        for statement in _SQLITE_FOLD:
            connection.execute(text(statement))


def mismatches(connection) -> dict[tuple[int, str], tuple[int, int]]:
    """(lot_id, state) -> (units counted, units tallied) wherever the tallies disagree with the units; in one
    statement, so that writes committing meanwhile cannot make a difference appear."""
    counted = select(Unit.lot_id, Unit.state, func.count().label("units")).group_by(Unit.lot_id, Unit.state).subquery()
    rows = _rows()
    tallied = (select(rows.c.lot_id, rows.c.unit_state, func.sum(rows.c.units).label("units"))
               .group_by(rows.c.lot_id, rows.c.unit_state).subquery())
    units, tally = func.coalesce(counted.c.units, 0), func.coalesce(tallied.c.units, 0)
    joined = counted.join(tallied, (counted.c.lot_id == tallied.c.lot_id) & (counted.c.state == tallied.c.unit_state),
                          full=True)
    found = connection.execute(select(func.coalesce(counted.c.lot_id, tallied.c.lot_id),
                                      func.coalesce(counted.c.state, tallied.c.unit_state), units, tally)
                               .select_from(joined).where(units != tally))
    return {(lot_id, state): (int(n), int(t)) for lot_id, state, n, t in found}


def recount(connection) -> None:
    """Rebuild the tallies from the units themselves (after a bulk load that bypassed the triggers, or a
    mismatch), writes to units held off meanwhile: one committing between the delete and the count would count
    twice."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE units IN SHARE MODE"))
    connection.execute(UnitTallyChange.__table__.delete())
    connection.execute(UnitTally.__table__.delete())
    connection.execute(UnitTally.__table__.insert().from_select(
        ["lot_id", "unit_state", "units"],
        select(Unit.lot_id, Unit.state, func.count()).group_by(Unit.lot_id, Unit.state)))


def _note_unit_changes(session: Session, flush_context, instances) -> None:
    if any(isinstance(obj, Unit) for obj in chain(session.new, session.dirty)):
        session.info[_CHANGED] = True


def _fold_before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(_CHANGED):
        return
    session.flush()
    fold(session.connection())
    del session.info[_CHANGED]


def install(session_class: type[Session]) -> None:
    """Fold the tallies before every commit of a session of this class that changed units."""
    for name, listener in (("before_flush", _note_unit_changes), ("before_commit", _fold_before_commit)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
