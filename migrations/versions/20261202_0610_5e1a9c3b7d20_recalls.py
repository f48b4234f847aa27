"""recalls: the recall, the lots it recalled, the units it blocked with their dispositions, the doses it reached

Revision ID: 5e1a9c3b7d20
Revises: f3c1d8a4b7e2
Create Date: 2026-12-02 06:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "5e1a9c3b7d20"
down_revision = "f3c1d8a4b7e2"
branch_labels = None
depends_on = None

GMP_TABLES = ("recalls", "recall_lots", "recall_units", "recall_doses")
INDEXES = (("recalls", "state"), ("recall_lots", "recall_id"), ("recall_lots", "lot_id"), ("recall_units", "recall_id"),
           ("recall_units", "unit_id"), ("recall_doses", "recall_id"), ("recall_doses", "dose_id"))


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _version() -> sa.Column:
    return sa.Column("row_version", sa.Integer(), server_default="1", nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade():
    op.create_table(
        "recalls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("target_label", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        _moment("opened_at"),
        sa.Column("open_signature_id", sa.Integer(), nullable=True),
        _moment("closed_at", nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("close_signature_id", sa.Integer(), nullable=True),
        _version(),
        _fk("recalls", "opened_by_id", "users"),
        _fk("recalls", "open_signature_id", "signatures"),
        _fk("recalls", "close_signature_id", "signatures"),
        sa.PrimaryKeyConstraint("id", name="pk_recalls"),
        sa.CheckConstraint("state IN ('open', 'closed')", name="ck_recalls_state"),
    )
    op.create_table(
        "recall_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recall_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("state_before", sa.String(length=20), nullable=False),
        _fk("recall_lots", "recall_id", "recalls"),
        _fk("recall_lots", "lot_id", "lots"),
        sa.PrimaryKeyConstraint("id", name="pk_recall_lots"),
        sa.UniqueConstraint("recall_id", "lot_id", name="uq_recall_lots_recall_id_lot_id"),
    )
    op.create_table(
        "recall_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recall_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("state_at_recall", sa.String(length=20), nullable=False),
        sa.Column("place_at_recall", sa.String(length=60), nullable=True),
        sa.Column("required_action", sa.String(length=40), nullable=False),
        sa.Column("disposition", sa.String(length=20), nullable=True),
        sa.Column("disposition_note", sa.Text(), nullable=True),
        _moment("disposed_at", nullable=True),
        sa.Column("disposed_by_id", sa.Integer(), nullable=True),
        _version(),
        _fk("recall_units", "recall_id", "recalls"),
        _fk("recall_units", "unit_id", "units"),
        _fk("recall_units", "disposed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_recall_units"),
        sa.UniqueConstraint("recall_id", "unit_id", name="uq_recall_units_recall_id_unit_id"),
    )
    op.create_table(
        "recall_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recall_id", sa.Integer(), nullable=False),
        sa.Column("dose_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("state_at_recall", sa.String(length=20), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        _fk("recall_doses", "recall_id", "recalls"),
        _fk("recall_doses", "dose_id", "doses"),
        _fk("recall_doses", "patient_id", "patients"),
        sa.PrimaryKeyConstraint("id", name="pk_recall_doses"),
        sa.UniqueConstraint("recall_id", "dose_id", name="uq_recall_doses_recall_id_dose_id"),
    )
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in gmp_table_ddl(dialect, table):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in drop_gmp_table_ddl(dialect, table):
            op.execute(statement)
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in reversed(GMP_TABLES):
        op.drop_table(table)


# --- The journal and delete guards of a GMP table as this revision installed them, frozen (see the foundation
# revision 57842d1e1ac1 for the functions they call).

def gmp_table_ddl(dialect: str, table: str) -> list[str]:
    """Journal every row change of a GMP table, refuse deletes (and TRUNCATE, and unaudited commits on PostgreSQL)."""
    if dialect == "postgresql":
        journal, no_delete, no_truncate, audited = (f"{table}_{p}" for p in ("journal", "no_delete", "no_truncate",
                                                                              "audited"))
        return [
            f"CREATE TRIGGER {journal} AFTER INSERT OR UPDATE ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION audit_journal_row()",
            f"CREATE TRIGGER {no_delete} BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            f"CREATE TRIGGER {no_truncate} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION audit_refuse_change()",
            f"CREATE CONSTRAINT TRIGGER {audited} AFTER INSERT OR UPDATE ON {table} DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION audit_require_entry()",
            *(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}" for name in (journal, no_delete, no_truncate,
                                                                               audited)),
        ]
    journal = "INSERT INTO audit_journal (table_name, row_id, operation) VALUES ('{t}', CAST(NEW.id AS TEXT), '{op}')"
    return [
        f"CREATE TRIGGER {table}_journal_insert AFTER INSERT ON {table} "
        f"BEGIN {journal.format(t=table, op='insert')}; END",
        f"CREATE TRIGGER {table}_journal_update AFTER UPDATE ON {table} "
        f"BEGIN {journal.format(t=table, op='update')}; END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'DELETE refused on {table}: GMP records are never deleted'); END",
    ]


def drop_gmp_table_ddl(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_{p} ON {table}" for p in ("journal", "no_delete", "no_truncate",
                                                                           "audited")]
    return [f"DROP TRIGGER IF EXISTS {table}_{p}" for p in ("journal_insert", "journal_update", "no_delete")]
