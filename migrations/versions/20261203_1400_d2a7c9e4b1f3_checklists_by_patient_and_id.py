"""eligibility checklists: indexed by patient and id, so a patient's latest checklist is one probe whatever the
planner's statistics (on a single-column index PostgreSQL could read max(id) by walking the primary key backwards
through every other patient's checklists)

Revision ID: d2a7c9e4b1f3
Revises: b8e4f2a6c1d9
Create Date: 2026-12-03 14:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

from alembic import op

revision = "d2a7c9e4b1f3"
down_revision = "b8e4f2a6c1d9"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_eligibility_checklists_patient_id", table_name="eligibility_checklists")
    op.create_index("ix_eligibility_checklists_patient_id_id", "eligibility_checklists", ["patient_id", "id"])


def downgrade():
    op.drop_index("ix_eligibility_checklists_patient_id_id", table_name="eligibility_checklists")
    op.create_index("ix_eligibility_checklists_patient_id", "eligibility_checklists", ["patient_id"])
