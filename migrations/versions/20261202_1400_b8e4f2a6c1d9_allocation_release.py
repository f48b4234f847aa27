"""allocation release: a dose destroyed before its vials are thawed gives them back (the allocation is kept,
released); a vial is held by one unreleased allocation at a time

Revision ID: b8e4f2a6c1d9
Revises: e5f1a2b3c4d6
Create Date: 2026-12-02 14:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).

SQLite cannot drop a table's UNIQUE constraint: the table is rebuilt as in e5b7c2a9d4f1 (rows held in a temporary
table, foreign keys deferred, indexes and journal and delete guards re-created as they stood).
"""

import sqlalchemy as sa
from alembic import op

revision = "b8e4f2a6c1d9"
down_revision = "e5f1a2b3c4d6"
branch_labels = None
depends_on = None

TABLE = "dose_allocations"
UNIQUE = "\tCONSTRAINT uq_dose_allocations_unit_id UNIQUE (unit_id)"
NEW_COLUMNS = ("\trow_version INTEGER DEFAULT '1' NOT NULL, \n\treleased_by_id INTEGER, \n\treleased_at DATETIME, \n"
               "\trelease_reason TEXT, \n")
RELEASED_BY_FK = (", \n\tCONSTRAINT fk_dose_allocations_released_by_id_users FOREIGN KEY(released_by_id) "
                  "REFERENCES users (id)")
HELD = "uq_dose_allocations_unit_id_held"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(TABLE, sa.Column("row_version", sa.Integer(), server_default="1", nullable=False))
        op.add_column(TABLE, sa.Column("released_by_id", sa.Integer(), nullable=True))
        op.add_column(TABLE, sa.Column("released_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(TABLE, sa.Column("release_reason", sa.Text(), nullable=True))
        op.create_foreign_key("fk_dose_allocations_released_by_id_users", TABLE, "users", ["released_by_id"], ["id"])
        op.drop_constraint("uq_dose_allocations_unit_id", TABLE, type_="unique")
    else:
        sql = _table_sql()
        columns_end = sql.index("\tCONSTRAINT pk_dose_allocations")
        sql = sql[:columns_end] + NEW_COLUMNS + sql[columns_end:]
        _rebuild_sqlite(sql.replace(", \n" + UNIQUE, RELEASED_BY_FK))
    op.create_index(HELD, TABLE, ["unit_id"], unique=True, sqlite_where=sa.text("released_at IS NULL"),
                    postgresql_where=sa.text("released_at IS NULL"))


def downgrade():
    op.drop_index(HELD, table_name=TABLE)
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint("uq_dose_allocations_unit_id", TABLE, ["unit_id"])
        op.drop_constraint("fk_dose_allocations_released_by_id_users", TABLE, type_="foreignkey")
        for column in ("release_reason", "released_at", "released_by_id", "row_version"):
            op.drop_column(TABLE, column)
    else:
        _rebuild_sqlite(_table_sql().replace(NEW_COLUMNS, "").replace(RELEASED_BY_FK, ", \n" + UNIQUE))


def _table_sql() -> str:
    return op.get_bind().exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                         (TABLE,)).scalar_one()


def _rebuild_sqlite(new_sql: str) -> None:
    """Re-create the SQLite table from a new CREATE statement, keeping its rows, indexes and triggers."""
    bind = op.get_bind()
    if new_sql == _table_sql():
        raise RuntimeError(f"{TABLE}: the table definition did not change")
    kept = list(bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                     "AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name", (TABLE,)).scalars())
    new_names = {row[1] for row in bind.exec_driver_sql(f'PRAGMA table_info("{TABLE}")')}
    bind.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    bind.exec_driver_sql(f'CREATE TEMP TABLE "_held_{TABLE}" AS SELECT * FROM "{TABLE}"')
    bind.exec_driver_sql(f'DROP TABLE "{TABLE}"')
    bind.exec_driver_sql(new_sql)
    kept_columns = new_names & {row[1] for row in bind.exec_driver_sql(f'PRAGMA table_info("{TABLE}")')}
    columns = ", ".join(f'"{name}"' for name in sorted(kept_columns))
    bind.exec_driver_sql(f'INSERT INTO "{TABLE}" ({columns}) SELECT {columns} FROM "_held_{TABLE}"')
    bind.exec_driver_sql(f'DROP TABLE "_held_{TABLE}"')
    for statement in kept:
        bind.exec_driver_sql(statement)
    if problems := list(bind.exec_driver_sql("PRAGMA foreign_key_check")):
        raise RuntimeError(f"{TABLE}: references left open by the rebuild: {problems[:5]}")
