"""trace: lots indexed by their procurement (a forward trace from a donor finds the tissue lots without a scan)

Revision ID: c4d81f2e9a37
Revises: c4d8e2f1a9b3
Create Date: 2026-12-01 23:30:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

from alembic import op

revision = "c4d81f2e9a37"
down_revision = "c4d8e2f1a9b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_lots_procurement_id", "lots", ["procurement_id"])


def downgrade():
    op.drop_index("ix_lots_procurement_id", table_name="lots")
