"""the commit check counts only the committing transaction's changes and audit entries of a row (txid columns)

Revision ID: 8e4b2d9c7a15
Revises: 3c9e1f7a2b6d
Create Date: 2026-11-28 13:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from audit import triggers
from audit.schema import TXID

# revision identifiers, used by Alembic.
revision = "8e4b2d9c7a15"
down_revision = "3c9e1f7a2b6d"
branch_labels = None
depends_on = None

INDEXES = {"audit_log": ("ix_audit_log_entity", ["entity_type", "entity_id"]),
           "audit_journal": ("ix_audit_journal_row", ["table_name", "row_id"])}


def upgrade():
    for table, (index, columns) in INDEXES.items():
        op.add_column(table, sa.Column("txid", sa.BigInteger(), nullable=True, comment=TXID))  # no rewrite, no trigger
        op.drop_index(index, table_name=table)
        op.create_index(index, table, [*columns, "txid"])
    for statement in triggers.refresh_audit_functions_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    pass  # the audit tables only grow: no migration step takes columns from them
