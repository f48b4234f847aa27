"""row versions on every mutable GMP table, server-side sessions, passwords to change, login throttle counters

Revision ID: 88260c0fd9c8
Revises: 8e4b2d9c7a15
Create Date: 2026-12-01 18:34:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "88260c0fd9c8"
down_revision = "8e4b2d9c7a15"
branch_labels = None
depends_on = None

VERSIONED = ("users", "api_tokens", "donors", "procurements", "material_lots", "product_codes", "lots",
             "process_steps", "deviations", "specifications", "qc_results", "storage_locations", "blocked_positions",
             "units", "shipments", "shipment_items", "excursions", "excursion_flags")


def upgrade():
    # Adding a column with a constant default rewrites no row and fires no row trigger.
    for table in VERSIONED:
        op.add_column(table, sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_user_sessions_user_id_users"),
                  nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_user_sessions_token_hash"),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limit_counters"),
    )


def downgrade():
    op.drop_table("rate_limit_counters")
    op.drop_index("ix_user_sessions_user_id", table_name="user_sessions")
    op.drop_table("user_sessions")
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy would lose the tables' audit triggers.
    op.execute("ALTER TABLE users DROP COLUMN must_change_password")
    for table in VERSIONED:
        op.execute(f"ALTER TABLE {table} DROP COLUMN row_version")
