"""units: on SQLite a narrow index of unit ids, so a deep page of a million units skips ids, not rows

Revision ID: f3c1d8a4b7e2
Revises: e5b7c2a9d4f1
Create Date: 2026-12-02 06:00:00.000000

Self-contained: the DDL is written here as it is at this revision (no import of today's code). PostgreSQL's
primary key index is narrow already: nothing is made there.
"""

from alembic import op

revision = "f3c1d8a4b7e2"
down_revision = "e5b7c2a9d4f1"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_units_id", "units", ["id"])


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_units_id", table_name="units")
