"""doses: one dose a syringe, and the way back from a syringe to its dose indexed (a backward trace read every dose
to find the dose of a syringe)

Revision ID: a4c8e1f7b2d5
Revises: d2a7c9e4b1f3
Create Date: 2026-12-03 14:10:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

from alembic import op

revision = "a4c8e1f7b2d5"
down_revision = "d2a7c9e4b1f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_doses_syringe_unit_id", "doses", ["syringe_unit_id"], unique=True)


def downgrade():
    op.drop_index("ix_doses_syringe_unit_id", table_name="doses")
