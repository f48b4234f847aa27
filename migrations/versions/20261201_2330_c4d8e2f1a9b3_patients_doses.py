"""patients, signed eligibility checklists, doses and the vials allocated to them

Revision ID: c4d8e2f1a9b3
Revises: a7c3e91d5b20
Create Date: 2026-12-01 23:30:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e2f1a9b3"
down_revision = "a7c3e91d5b20"
branch_labels = None
depends_on = None

GMP_TABLES = ("patients", "eligibility_checklists", "doses", "dose_allocations")


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _version() -> sa.Column:
    return sa.Column("row_version", sa.Integer(), server_default="1", nullable=False)


def _user(table: str, column: str, nullable: bool = False) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (sa.Column(column, sa.Integer(), nullable=nullable),
            sa.ForeignKeyConstraint([column], ["users.id"], name=f"fk_{table}_{column}_users"))


def upgrade():
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("barcode", sa.String(length=20), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        _moment("created_at"),
        _version(),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("code", name="uq_patients_code"),
        sa.UniqueConstraint("barcode", name="uq_patients_barcode"),
    )
    op.create_table(
        "eligibility_checklists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("criteria_version", sa.String(length=100), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("unmet", sa.Text(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=True),
        _moment("created_at"),
        _version(),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_eligibility_checklists_patient_id_patients"),
        sa.ForeignKeyConstraint(["signature_id"], ["signatures.id"],
                                name="fk_eligibility_checklists_signature_id_signatures"),
        sa.PrimaryKeyConstraint("id", name="pk_eligibility_checklists"),
    )
    op.create_index("ix_eligibility_checklists_patient_id", "eligibility_checklists", ["patient_id"])
    ordered_by, ordered_by_fk = _user("doses", "ordered_by_id")
    prepared_by, prepared_by_fk = _user("doses", "prepared_by_id", nullable=True)
    dispensed_by, dispensed_by_fk = _user("doses", "dispensed_by_id", nullable=True)
    administered_by, administered_by_fk = _user("doses", "administered_by_id", nullable=True)
    op.create_table(
        "doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("barcode", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("prescribed_cells", sa.BigInteger(), nullable=False),
        sa.Column("window_override_reason", sa.Text(), nullable=True),
        ordered_by,
        _moment("ordered_at"),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("syringe_unit_id", sa.Integer(), nullable=True),
        sa.Column("post_thaw_cells", sa.BigInteger(), nullable=True),
        sa.Column("viability_pct", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("volume_ml", sa.Numeric(precision=8, scale=2), nullable=True),
        _moment("expires_at", nullable=True),
        prepared_by,
        _moment("prepared_at", nullable=True),
        dispensed_by,
        _moment("dispensed_at", nullable=True),
        sa.Column("dispense_signature_id", sa.Integer(), nullable=True),
        administered_by,
        _moment("administered_at", nullable=True),
        sa.Column("route", sa.String(length=20), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        _version(),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_doses_patient_id_patients"),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name="fk_doses_lot_id_lots"),
        sa.ForeignKeyConstraint(["syringe_unit_id"], ["units.id"], name="fk_doses_syringe_unit_id_units"),
        sa.ForeignKeyConstraint(["dispense_signature_id"], ["signatures.id"],
                                name="fk_doses_dispense_signature_id_signatures"),
        ordered_by_fk, prepared_by_fk, dispensed_by_fk, administered_by_fk,
        sa.PrimaryKeyConstraint("id", name="pk_doses"),
        sa.UniqueConstraint("barcode", name="uq_doses_barcode"),
    )
    op.create_index("ix_doses_patient_id", "doses", ["patient_id"])
    op.create_index("ix_doses_state", "doses", ["state"])
    op.create_index("ix_doses_lot_id", "doses", ["lot_id"])
    allocated_by, allocated_by_fk = _user("dose_allocations", "allocated_by_id")
    op.create_table(
        "dose_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dose_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        allocated_by,
        _moment("allocated_at"),
        sa.ForeignKeyConstraint(["dose_id"], ["doses.id"], name="fk_dose_allocations_dose_id_doses"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_dose_allocations_unit_id_units"),
        allocated_by_fk,
        sa.PrimaryKeyConstraint("id", name="pk_dose_allocations"),
        sa.UniqueConstraint("unit_id", name="uq_dose_allocations_unit_id"),
    )
    op.create_index("ix_dose_allocations_dose_id", "dose_allocations", ["dose_id"])
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in gmp_table_ddl(dialect, table):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in drop_gmp_table_ddl(dialect, table):
            op.execute(statement)
    op.drop_index("ix_dose_allocations_dose_id", table_name="dose_allocations")
    op.drop_table("dose_allocations")
    for index in ("ix_doses_lot_id", "ix_doses_state", "ix_doses_patient_id"):
        op.drop_index(index, table_name="doses")
    op.drop_table("doses")
    op.drop_index("ix_eligibility_checklists_patient_id", table_name="eligibility_checklists")
    op.drop_table("eligibility_checklists")
    op.drop_table("patients")


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
