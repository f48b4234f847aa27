"""harden audit triggers: fixed search_path (no pg_temp shadowing), payload must match the columns

Revision ID: 5199ec88a60a
Revises: 77260922659d
Create Date: 2026-11-28 05:23:14.526397

"""

from alembic import op

from audit import triggers

# revision identifiers, used by Alembic.
revision = "5199ec88a60a"
down_revision = "77260922659d"
branch_labels = None
depends_on = None


def upgrade():
    for statement in triggers.refresh_audit_functions_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    pass  # the hardened checks stay: weakening the audit trail is never a migration step
