"""State machines: one transition table per record type, enforced by one function on every flush and by a CHECK
constraint in the database; the migration that adds the constraints keeps every row and guard."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

import audit
from app.core.errors import RuleViolation
from app.core.states import StateMachine
from app.extensions import db
from app.lots.models import Lot
from app.storage import tallies
from app.storage.models import Unit
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import BACKENDS, count_audit, make_app

STATE_COLUMNS = {"state", "status", "eligibility"}
BEFORE_CHECKS = "c4d81f2e9a37"


def _machines() -> dict[type, StateMachine]:
    return {mapper.class_: mapper.class_.__state_machine__ for mapper in db.Model.registry.mappers
            if hasattr(mapper.class_, "__state_machine__")}


def test_every_state_column_has_one_machine_and_its_database_check():
    """A record with a state column declares its table; the model's default is an initial state; the CHECK lists
    exactly the table's states."""
    with_states = {mapper.class_: column for mapper in db.Model.registry.mappers for column in mapper.columns
                   if column.name in STATE_COLUMNS}
    machines = _machines()
    assert set(with_states) == set(machines), "a state column without a transition table (or the reverse)"
    for model, column in with_states.items():
        machine = machines[model]
        assert machine.column == column.name
        if column.default is not None:
            assert column.default.arg in machine.initial, f"{model.__name__}: default {column.default.arg}"
        checks = {c.name: str(c.sqltext) for c in model.__table__.constraints if c.name and c.name.startswith("ck_")}
        listed = ", ".join(f"'{state}'" for state in machine.states)
        assert checks == {f"ck_{model.__tablename__}_{column.name}": f"{column.name} IN ({listed})"}


def test_every_state_is_reached_from_a_first_state():
    for machine in _machines().values():
        _reached_from_the_first_states(machine)


def _reached_from_the_first_states(machine: StateMachine) -> None:
    reached, frontier = set(machine.initial), list(machine.initial)
    while frontier:
        for after in machine.transitions[frontier.pop()]:
            if after not in reached:
                reached.add(after)
                frontier.append(after)
    assert reached == set(machine.states), machine.record


def test_a_table_naming_an_undeclared_state_is_refused_when_declared():
    with pytest.raises(ValueError, match="'lost'"):
        StateMachine("unit", "state", {"in_storage": ("lost",)}, initial=("in_storage",))


def test_a_forbidden_change_is_refused_at_flush_even_without_the_operation(session, units):
    """Setting a state the table forbids, past every operation, is refused before anything is written."""
    unit = session.get(Unit, units[0]["id"])
    refusal = rf"unit {unit.barcode} is in storage: administered may not follow \(allowed next: in transit, thawed, "
    with pytest.raises(RuleViolation, match=refusal), audit.action(session, "unit.test", "set past the operations"):
        unit.state = "administered"
    session.rollback()
    assert session.scalar(select(Unit.state).where(Unit.id == units[0]["id"])) == "in_storage"


def test_a_new_record_must_start_in_a_first_state(session, drug_product):
    lot = session.get(Lot, drug_product["id"])
    session.add(Unit(barcode="U-STATE-1", lot_id=lot.id, division="A0", container_type="cryovial",
                     volume_ml=1, cells=1, state="dispensed"))
    with pytest.raises(RuleViolation, match="a new unit starts in storage or prepared, not dispensed"):
        session.flush()
    session.rollback()


def test_the_database_refuses_a_state_outside_the_table(session, units):
    """A raw UPDATE, past the application, is refused by the CHECK constraint; the row keeps its state."""
    before = count_audit(session)
    savepoint = session.connection().begin_nested()
    with pytest.raises(IntegrityError, match="ck_units_state"):
        session.connection().execute(text("UPDATE units SET state = 'lost' WHERE id = :id"), {"id": units[0]["id"]})
    savepoint.rollback()
    assert session.scalar(select(Unit.state).where(Unit.id == units[0]["id"])) == "in_storage"
    assert count_audit(session) == before


def test_through_the_api_a_final_state_answers_409_and_changes_nothing(bank, session, units):
    bank.post(f"/api/v1/units/{units[0]['id']}/destroy", {"reason": "dropped on the floor"}, expect=200)
    before = count_audit(session)
    again = bank.client.post(f"/api/v1/units/{units[0]['id']}/destroy", json={"reason": "again"})
    assert again.status_code == 409
    assert again.json["message"] == (f"unit {units[0]['barcode']} is destroyed: destroyed may not follow "
                                     "(allowed next: nothing: it is final)")
    assert count_audit(session) == before


@pytest.fixture(params=BACKENDS)
def demo_database(request, tmp_path):
    """A database at head with the demo bank loaded (donors, lots, units, doses, patients, labels)."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path)
    app = make_app(database)
    with app.app_context():
        upgrade()
    loaded = app.test_cli_runner().invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    yield app, database
    with app.app_context():
        db.engine.dispose()
    database.drop()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {table: conn.execute(select(func.count()).select_from(text(table))).scalar_one()
                  for table in sorted(inspect(conn).get_table_names())}
    engine.dispose()
    return counts


def _verified(app) -> str:
    with app.app_context(), db.engine.connect() as conn:  # the guards of the GMP tables this revision has
        verdict = audit.verify(conn, gmp_tables=audit.audited_tables() & set(inspect(conn).get_table_names()))
    assert verdict.ok, verdict.line()
    return verdict.line()


def test_the_check_migration_keeps_every_row_and_guard_both_ways(demo_database):
    """Down to the revision before the constraints and up again over a loaded bank: every row stays, every
    journal and delete guard is back (the verifier checks them), and the constraints hold again."""
    app, database = demo_database
    counts = _counts(database.owner_url)
    assert counts["units"] > 0 and counts["doses"] > 0 and counts["lots"] > 0
    with app.app_context():
        downgrade(revision=BEFORE_CHECKS)
        db.engine.dispose()
    down = _counts(database.owner_url)
    assert down == {table: n for table, n in counts.items() if table in down}  # later revisions' tables: empty
    # later revisions' tables held nothing but the unit tallies, which the upgrade counts again from the units
    assert all(n == 0 for table, n in counts.items() if table not in down and table != "unit_tallies")
    _verified(app)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    again = _counts(database.owner_url)
    # the tallies come back counted from the units, without the groups the demo had emptied (units moved on)
    assert {t: n for t, n in again.items() if t != "unit_tallies"} == {t: n for t, n in counts.items()
                                                                       if t != "unit_tallies"}
    _verified(app)
    engine = create_engine(database.owner_url)
    with engine.connect() as conn:
        assert tallies.mismatches(conn) == {}
    with engine.connect() as conn, pytest.raises(IntegrityError, match="ck_lots_state"):
        conn.execute(text("UPDATE lots SET state = 'lost'"))
    engine.dispose()
