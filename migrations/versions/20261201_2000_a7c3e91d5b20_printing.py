"""printing: label templates and their QA-approved versions, printers, print jobs and the records they printed;
the division and expiry of lots

Revision ID: a7c3e91d5b20
Revises: 88260c0fd9c8
Create Date: 2026-12-01 20:00:44.799800

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c3e91d5b20"
down_revision = "88260c0fd9c8"
branch_labels = None
depends_on = None

GMP_TABLES = ("printers", "label_templates", "label_template_versions", "print_jobs", "print_job_records")


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _version() -> sa.Column:
    return sa.Column("row_version", sa.Integer(), server_default="1", nullable=False)


def upgrade():
    op.create_table(
        "printers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("dpi", sa.Integer(), nullable=False),
        sa.Column("stock_name", sa.String(length=60), nullable=False),
        sa.Column("stock_width_mm", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("stock_height_mm", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _version(),
        sa.PrimaryKeyConstraint("id", name="pk_printers"),
        sa.UniqueConstraint("name", name="uq_printers_name"),
    )
    op.create_table(
        "label_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        _moment("created_at"),
        sa.Column("approved_number", sa.Integer(), nullable=True),
        _version(),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_label_templates_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_label_templates"),
        sa.UniqueConstraint("name", name="uq_label_templates_name"),
    )
    op.create_index("ix_label_templates_kind", "label_templates", ["kind"])
    op.create_table(
        "label_template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stock_name", sa.String(length=60), nullable=False),
        sa.Column("width_mm", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("height_mm", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("margin_mm", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.Column("sample_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        _moment("created_at"),
        _moment("approved_at", nullable=True),
        sa.Column("approval_signature_id", sa.Integer(), nullable=True),
        _moment("superseded_at", nullable=True),
        _version(),
        sa.ForeignKeyConstraint(["approval_signature_id"], ["signatures.id"],
                                name="fk_label_template_versions_approval_signature_id_signatures"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name="fk_label_template_versions_author_id_users"),
        sa.ForeignKeyConstraint(["template_id"], ["label_templates.id"],
                                name="fk_label_template_versions_template_id_label_templates"),
        sa.PrimaryKeyConstraint("id", name="pk_label_template_versions"),
        sa.UniqueConstraint("template_id", "number", name="uq_label_template_versions_template_id_number"),
    )
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("output", sa.String(length=10), nullable=False),
        sa.Column("printer_id", sa.Integer(), nullable=True),
        sa.Column("dpi", sa.Integer(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        _moment("requested_at"),
        sa.ForeignKeyConstraint(["printer_id"], ["printers.id"], name="fk_print_jobs_printer_id_printers"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name="fk_print_jobs_requested_by_id_users"),
        sa.ForeignKeyConstraint(["template_version_id"], ["label_template_versions.id"],
                                name="fk_print_jobs_template_version_id_label_template_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_print_jobs"),
    )
    op.create_index("ix_print_jobs_printer_id", "print_jobs", ["printer_id"])
    op.create_index("ix_print_jobs_template_version_id", "print_jobs", ["template_version_id"])
    op.create_table(
        "print_job_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["print_jobs.id"], name="fk_print_job_records_job_id_print_jobs"),
        sa.PrimaryKeyConstraint("id", name="pk_print_job_records"),
        sa.UniqueConstraint("job_id", "position", name="uq_print_job_records_job_id_position"),
    )
    op.create_index("ix_print_job_records_record", "print_job_records", ["record_type", "record_id"])
    # Adding a column with a constant default rewrites no row and fires no row trigger; plain ALTER TABLE, as a
    # batch copy would lose the table's audit triggers on SQLite.
    op.add_column("lots", sa.Column("division", sa.String(length=2), server_default="00", nullable=False))
    op.add_column("lots", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in gmp_table_ddl(dialect, table):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in GMP_TABLES:
        for statement in drop_gmp_table_ddl(dialect, table):
            op.execute(statement)
    op.execute("ALTER TABLE lots DROP COLUMN expires_at")
    op.execute("ALTER TABLE lots DROP COLUMN division")
    op.drop_index("ix_print_job_records_record", table_name="print_job_records")
    op.drop_table("print_job_records")
    op.drop_index("ix_print_jobs_template_version_id", table_name="print_jobs")
    op.drop_index("ix_print_jobs_printer_id", table_name="print_jobs")
    op.drop_table("print_jobs")
    op.drop_table("label_template_versions")
    op.drop_index("ix_label_templates_kind", table_name="label_templates")
    op.drop_table("label_templates")
    op.drop_table("printers")


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
