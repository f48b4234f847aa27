"""user locale: each user's language for pages and messages (none: the site's, CELLBANK_LOCALE)

Revision ID: e5f1a2b3c4d6
Revises: 9b4e7d2a1c60
Create Date: 2026-12-02 06:10:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code).
"""

import sqlalchemy as sa
from alembic import op

revision = "e5f1a2b3c4d6"
down_revision = "9b4e7d2a1c60"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: no row rewritten, no row trigger fired.
    op.add_column("users", sa.Column("locale", sa.String(length=5), nullable=True))


def downgrade():
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy would lose the table's audit triggers.
    op.execute("ALTER TABLE users DROP COLUMN locale")
