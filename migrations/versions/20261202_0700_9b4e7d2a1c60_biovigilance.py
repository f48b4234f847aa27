"""biovigilance: adverse reactions and events on a patient, the doses they relate to, the case a serious one opens
and the donations and products its backward trace reached

Revision ID: 9b4e7d2a1c60
Revises: 5e1a9c3b7d20
Create Date: 2026-12-02 07:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "9b4e7d2a1c60"
down_revision = "5e1a9c3b7d20"
branch_labels = None
depends_on = None

GMP_TABLES = ("adverse_events", "adverse_event_doses", "biovigilance_cases", "biovigilance_case_products")
INDEXES = (("adverse_events", "patient_id"), ("adverse_event_doses", "event_id"), ("adverse_event_doses", "dose_id"),
           ("biovigilance_cases", "state"), ("biovigilance_case_products", "case_id"))


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade():
    op.create_table(
        "adverse_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("aware_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("seriousness", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        _moment("reported_at"),
        _fk("adverse_events", "patient_id", "patients"),
        _fk("adverse_events", "reported_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_adverse_events"),
    )
    op.create_table(
        "adverse_event_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("dose_id", sa.Integer(), nullable=False),
        _fk("adverse_event_doses", "event_id", "adverse_events"),
        _fk("adverse_event_doses", "dose_id", "doses"),
        sa.PrimaryKeyConstraint("id", name="pk_adverse_event_doses"),
        sa.UniqueConstraint("event_id", "dose_id", name="uq_adverse_event_doses_event_id_dose_id"),
    )
    op.create_table(
        "biovigilance_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        _moment("opened_at"),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("establishment", sa.String(length=200), nullable=False),
        sa.Column("establishment_fin", sa.String(length=5), nullable=False),
        sa.Column("trial_number", sa.String(length=40), nullable=False),
        sa.Column("reaction_type", sa.Text(), nullable=True),
        sa.Column("imputability", sa.String(length=20), nullable=True),
        sa.Column("expectedness", sa.String(length=20), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("corrective_actions", sa.Text(), nullable=True),
        _moment("submitted_at", nullable=True),
        sa.Column("submit_signature_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        _fk("biovigilance_cases", "event_id", "adverse_events"),
        _fk("biovigilance_cases", "submit_signature_id", "signatures"),
        sa.PrimaryKeyConstraint("id", name="pk_biovigilance_cases"),
        sa.UniqueConstraint("event_id", name="uq_biovigilance_cases_event_id"),
        sa.UniqueConstraint("report_id", name="uq_biovigilance_cases_report_id"),
        sa.CheckConstraint("state IN ('open', 'submitted')", name="ck_biovigilance_cases_state"),
    )
    op.create_table(
        "biovigilance_case_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("dose_id", sa.Integer(), nullable=False),
        sa.Column("dose_barcode", sa.String(length=20), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("lot_number", sa.String(length=40), nullable=False),
        sa.Column("product_code", sa.String(length=20), nullable=True),
        sa.Column("din", sa.String(length=13), nullable=False),
        _fk("biovigilance_case_products", "case_id", "biovigilance_cases"),
        _fk("biovigilance_case_products", "dose_id", "doses"),
        _fk("biovigilance_case_products", "lot_id", "lots"),
        sa.PrimaryKeyConstraint("id", name="pk_biovigilance_case_products"),
        sa.UniqueConstraint("case_id", "dose_id", "din", name="uq_biovigilance_case_products_case_id_dose_id_din"),
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
