"""state machines: each record's column of states holds only the states of its transition table (CHECK)

Revision ID: e5b7c2a9d4f1
Revises: c4d81f2e9a37
Create Date: 2026-12-02 05:30:00.000000

Self-contained: the states are written here as they are at this revision (no import of today's code).

SQLite cannot add a constraint to a table: each table is rebuilt. Foreign keys cannot be turned off inside the
migration's transaction (and a rename would rewrite the other tables' references), so they are deferred: the rows
are held in a temporary table, the table dropped and re-created under its own name with the constraint, the rows
put back (which resolves the references the drop left open before the commit checks them), and its indexes and
its journal and delete guards re-created as they stood, from the schema itself.
"""

from alembic import op

revision = "e5b7c2a9d4f1"
down_revision = "c4d81f2e9a37"
branch_labels = None
depends_on = None

STATES = {
    ("lots", "state"): ("in_process", "quarantine", "released", "rejected", "recalled", "expired"),
    ("units", "state"): ("in_storage", "in_transit", "quarantined", "thawed", "prepared", "dispensed", "returned",
                         "administered", "destroyed"),
    ("doses", "state"): ("ordered", "allocated", "prepared", "dispensed", "returned", "administered", "destroyed"),
    ("patients", "status"): ("screening", "enrolled", "completed", "withdrawn"),
    ("donors", "eligibility"): ("pending", "eligible", "ineligible"),
    ("material_lots", "status"): ("quarantine", "approved", "rejected"),
    ("label_template_versions", "state"): ("draft", "approved", "superseded"),
    ("print_jobs", "status"): ("produced", "delivered", "failed"),
}


def _check(column: str, states: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(state) for state in states)})"


def upgrade():
    for (table, column), states in STATES.items():
        name = f"ck_{table}_{column}"
        if op.get_bind().dialect.name == "postgresql":
            op.create_check_constraint(name, table, _check(column, states))
        else:
            table_sql = _table_sql(table)
            _rebuild_sqlite(table, table_sql[:table_sql.rstrip().rindex(")")].rstrip() + _clause(name, column, states)
                            + "\n)")


def downgrade():
    for (table, column), states in STATES.items():
        name = f"ck_{table}_{column}"
        if op.get_bind().dialect.name == "postgresql":
            op.drop_constraint(name, table, type_="check")
        else:
            _rebuild_sqlite(table, _table_sql(table).replace(_clause(name, column, states), ""))


def _clause(name: str, column: str, states: tuple[str, ...]) -> str:
    return f", \n\tCONSTRAINT {name} CHECK ({_check(column, states)})"


def _table_sql(table: str) -> str:
    return op.get_bind().exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                         (table,)).scalar_one()


def _rebuild_sqlite(table: str, new_sql: str) -> None:
    """Re-create a SQLite table from a new CREATE statement, keeping its rows, indexes and triggers."""
    bind = op.get_bind()
    if new_sql == _table_sql(table):
        raise RuntimeError(f"{table}: the table definition did not change")
    kept = list(bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                     "AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name", (table,)).scalars())
    columns = ", ".join(f'"{row[1]}"' for row in bind.exec_driver_sql(f'PRAGMA table_info("{table}")'))
    bind.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    bind.exec_driver_sql(f'CREATE TEMP TABLE "_held_{table}" AS SELECT {columns} FROM "{table}"')
    bind.exec_driver_sql(f'DROP TABLE "{table}"')
    bind.exec_driver_sql(new_sql)
    bind.exec_driver_sql(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "_held_{table}"')
    bind.exec_driver_sql(f'DROP TABLE "_held_{table}"')
    for statement in kept:
        bind.exec_driver_sql(statement)
    if problems := list(bind.exec_driver_sql("PRAGMA foreign_key_check")):
        raise RuntimeError(f"{table}: references left open by the rebuild: {problems[:5]}")
