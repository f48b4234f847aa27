"""units: a tally of units per lot and state kept by the database (a change row per created unit or change of lot
or state, folded at commit), and indexes in lot order, so that lists of a million units count and page without
reading them

Revision ID: f6b2d9e3a7c1
Revises: a4c8e1f7b2d5
Create Date: 2026-12-03 17:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "f6b2d9e3a7c1"
down_revision = "a4c8e1f7b2d5"
branch_labels = None
depends_on = None

POSTGRESQL = (
    """CREATE FUNCTION unit_tally_created() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO unit_tally_changes (lot_id, unit_state, units)
        SELECT lot_id, state, count(*) FROM created_units GROUP BY lot_id, state;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION unit_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO unit_tally_changes (lot_id, unit_state, units) VALUES (OLD.lot_id, OLD.state, -1),
                                                                     (NEW.lot_id, NEW.state, 1);
        RETURN NULL;
    END $$""",
    # the app's role may not delete: the fold runs as the owner, and only does this
    """CREATE FUNCTION unit_tallies_fold() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH moved AS (
        DELETE FROM unit_tally_changes
        WHERE id IN (SELECT id FROM unit_tally_changes FOR UPDATE SKIP LOCKED)
        RETURNING lot_id, unit_state, units)
    INSERT INTO unit_tallies (lot_id, unit_state, units)
    SELECT lot_id, unit_state, sum(units) FROM moved GROUP BY lot_id, unit_state ORDER BY lot_id, unit_state
    ON CONFLICT (lot_id, unit_state) DO UPDATE SET units = unit_tallies.units + excluded.units
    $$""",
    "CREATE TRIGGER units_tally_insert AFTER INSERT ON units REFERENCING NEW TABLE AS created_units "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_tally_created()",
    "CREATE TRIGGER units_tally_update AFTER UPDATE OF lot_id, state ON units FOR EACH ROW "
    "WHEN (OLD.lot_id IS DISTINCT FROM NEW.lot_id OR OLD.state IS DISTINCT FROM NEW.state) "
    "EXECUTE FUNCTION unit_tally_changed()",
    "ALTER TABLE units ENABLE ALWAYS TRIGGER units_tally_insert",
    "ALTER TABLE units ENABLE ALWAYS TRIGGER units_tally_update",
)
SQLITE = (
    "CREATE TRIGGER units_tally_insert AFTER INSERT ON units BEGIN "
    "INSERT INTO unit_tally_changes (lot_id, unit_state, units) VALUES (NEW.lot_id, NEW.state, 1); END",
    "CREATE TRIGGER units_tally_update AFTER UPDATE OF lot_id, state ON units "
    "WHEN OLD.lot_id IS NOT NEW.lot_id OR OLD.state IS NOT NEW.state BEGIN "
    "INSERT INTO unit_tally_changes (lot_id, unit_state, units) VALUES (OLD.lot_id, OLD.state, -1); "
    "INSERT INTO unit_tally_changes (lot_id, unit_state, units) VALUES (NEW.lot_id, NEW.state, 1); END",
)


def upgrade():
    op.create_table(
        "unit_tallies",
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("unit_state", sa.String(length=20), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lot_id", "unit_state", name="pk_unit_tallies"),
    )
    op.create_table(
        "unit_tally_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("unit_state", sa.String(length=20), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_tally_changes"),
    )
    op.execute("INSERT INTO unit_tallies (lot_id, unit_state, units) "
               "SELECT lot_id, state, count(*) FROM units GROUP BY lot_id, state")
    for statement in POSTGRESQL if _pg() else SQLITE:
        op.execute(statement)
    op.drop_index("ix_units_lot_id", table_name="units")
    if not _pg():
        op.drop_index("ix_units_id", table_name="units")
    op.create_index("ix_units_lot_id_id", "units", ["lot_id", "id"])
    op.create_index("ix_units_state_lot_id_id", "units", ["state", "lot_id", "id"])


def downgrade():
    op.drop_index("ix_units_state_lot_id_id", table_name="units")
    op.drop_index("ix_units_lot_id_id", table_name="units")
    op.create_index("ix_units_lot_id", "units", ["lot_id"])
    if not _pg():
        op.create_index("ix_units_id", "units", ["id"])
    op.execute("DROP TRIGGER IF EXISTS units_tally_update" + (" ON units" if _pg() else ""))
    op.execute("DROP TRIGGER IF EXISTS units_tally_insert" + (" ON units" if _pg() else ""))
    if _pg():
        for function in ("unit_tallies_fold", "unit_tally_changed", "unit_tally_created"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("unit_tally_changes")
    op.drop_table("unit_tallies")


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"
