"""audit check of GMP rows compares text with text, so it uses the audit_log and audit_journal indexes

Revision ID: 3c9e1f7a2b6d
Revises: ac1266c95aa3
Create Date: 2026-11-28 12:40:00.000000

"""

from alembic import op

from audit import triggers

# revision identifiers, used by Alembic.
revision = "3c9e1f7a2b6d"
down_revision = "ac1266c95aa3"
branch_labels = None
depends_on = None


def upgrade():
    for statement in triggers.refresh_audit_functions_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    pass  # same checks, only faster: nothing to undo
