"""the commit check counts only the committing transaction's changes and audit entries of a row (txid columns)

Revision ID: 8e4b2d9c7a15
Revises: 3c9e1f7a2b6d
Create Date: 2026-11-28 13:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8e4b2d9c7a15"
down_revision = "3c9e1f7a2b6d"
branch_labels = None
depends_on = None

TXID = "PostgreSQL top-level transaction id (txid_current()) of the write; not hashed"
INDEXES = {"audit_log": ("ix_audit_log_entity", ["entity_type", "entity_id"]),
           "audit_journal": ("ix_audit_journal_row", ["table_name", "row_id"])}


def upgrade():
    for table, (index, columns) in INDEXES.items():
        op.add_column(table, sa.Column("txid", sa.BigInteger(), nullable=True, comment=TXID))  # no rewrite, no trigger
        op.drop_index(index, table_name=table)
        op.create_index(index, table, [*columns, "txid"])
    for statement in refresh_audit_functions_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    pass  # the audit tables only grow: no migration step takes columns from them


# --- The audit functions and the SQLite insert check as this revision installed them (audit/triggers.py
# of 2026-11-28 12:53), frozen: a migration never imports live code, so a database upgraded only this far gets exactly
# these.

#: SHA-256 domain tag b"cellbank.audit.v1\0" in hex, and the prev_hash of seq 1
DOMAIN_TAG_HEX = "63656c6c62616e6b2e61756469742e763100"
GENESIS_HASH = "0" * 64
#: registered on each SQLite connection by the app (audit.register_sqlite_functions)
SQLITE_HASH_FUNCTION = "audit_entry_hash"

PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% refused on %: this table is append-only', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION audit_log_check_insert() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
    DECLARE tail_seq bigint; tail_hash text; fields jsonb;
    BEGIN
        SELECT seq, entry_hash INTO tail_seq, tail_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
        IF NEW.seq <> COALESCE(tail_seq, 0) + 1 THEN
            RAISE EXCEPTION 'audit_log: seq % does not follow the tail %', NEW.seq, COALESCE(tail_seq, 0)
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.prev_hash <> COALESCE(tail_hash, '{GENESIS_HASH}') THEN
            RAISE EXCEPTION 'audit_log: prev_hash of seq % is not the hash of the tail', NEW.seq
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.entry_hash <> encode(sha256('\\x{DOMAIN_TAG_HEX}'::bytea
                                           || convert_to(NEW.prev_hash, 'UTF8') || NEW.payload), 'hex') THEN
            RAISE EXCEPTION 'audit_log: entry_hash of seq % does not match its payload', NEW.seq
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        fields := convert_from(NEW.payload, 'UTF8')::jsonb;
        IF jsonb_typeof(fields) IS DISTINCT FROM 'object'
           OR (fields->>'seq')::bigint IS DISTINCT FROM NEW.seq
           OR fields->>'recorded_at' IS DISTINCT FROM NEW.recorded_at
           OR (fields->>'actor_id')::integer IS DISTINCT FROM NEW.actor_id
           OR fields->>'actor_username' IS DISTINCT FROM NEW.actor_username
           OR fields->>'action' IS DISTINCT FROM NEW.action
           OR fields->>'entity_type' IS DISTINCT FROM NEW.entity_type
           OR fields->>'entity_id' IS DISTINCT FROM NEW.entity_id
           OR fields->>'operation' IS DISTINCT FROM NEW.operation THEN
            RAISE EXCEPTION 'audit_log: the columns of seq % differ from its payload', NEW.seq
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        NEW.txid := txid_current();
        RETURN NEW;
    END $$
    """,
    # SECURITY DEFINER: the app's role can read the journal but not write it.
    """
    CREATE OR REPLACE FUNCTION audit_journal_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO audit_journal (table_name, row_id, operation, txid)
            VALUES (TG_TABLE_NAME, NEW.id::text, lower(TG_OP), txid_current());
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION audit_require_entry() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
    -- Counts this transaction's changes and entries of the row only (earlier ones were checked at their commit),
    -- so the check costs the same however long the row's history. Text locals: comparing the name-typed
    -- TG_TABLE_NAME with the columns directly would skip their indexes.
    DECLARE journaled bigint; audited bigint; tbl text := TG_TABLE_NAME; rid text := NEW.id::text;
        tx bigint := txid_current();
    BEGIN
        SELECT count(*) INTO journaled FROM audit_journal WHERE table_name = tbl AND row_id = rid AND txid = tx;
        SELECT count(*) INTO audited FROM audit_log
            WHERE entity_type = tbl AND entity_id = rid AND txid = tx AND operation IN ('insert', 'update');
        IF journaled <> audited THEN
            RAISE EXCEPTION 'unaudited change refused: % row % has % changes in this transaction but % audit entries',
                TG_TABLE_NAME, NEW.id, journaled, audited USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
]


#: the mirrored columns that the SQLite insert check compares with the payload
MIRRORED_COLUMNS = ("seq", "recorded_at", "actor_id", "actor_username", "action", "entity_type", "entity_id",
                    "operation")


def _sqlite_mirror_mismatch() -> str:
    payload = "CAST(NEW.payload AS TEXT)"
    checks = [f"json_type({payload}) IS NOT 'object'"]
    checks += [f"json_extract({payload}, '$.{column}') IS NOT NEW.{column}" for column in MIRRORED_COLUMNS]
    return "(" + " OR ".join(checks) + ")"


def _sqlite_check_insert() -> str:
    tail = "(SELECT {col} FROM audit_log ORDER BY seq DESC LIMIT 1)"
    return (
        "CREATE TRIGGER audit_log_check_insert BEFORE INSERT ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'audit_log: seq does not follow the tail') "
        f"WHERE NEW.seq <> COALESCE({tail.format(col='seq')}, 0) + 1; "
        "SELECT RAISE(ABORT, 'audit_log: prev_hash is not the hash of the tail') "
        f"WHERE NEW.prev_hash <> COALESCE({tail.format(col='entry_hash')}, '{GENESIS_HASH}'); "
        "SELECT RAISE(ABORT, 'audit_log: entry_hash does not match its payload') "
        f"WHERE NEW.entry_hash <> {SQLITE_HASH_FUNCTION}(NEW.prev_hash, NEW.payload); "
        "SELECT RAISE(ABORT, 'audit_log: the columns differ from the payload') "
        f"WHERE NOT json_valid(CAST(NEW.payload AS TEXT)) OR {_sqlite_mirror_mismatch()}; END"
    )


def refresh_audit_functions_ddl(dialect: str) -> list[str]:
    """Replace the checking functions (PostgreSQL) or the insert check (SQLite) by this revision's."""
    if dialect == "postgresql":
        return PG_FUNCTIONS
    return ["DROP TRIGGER IF EXISTS audit_log_check_insert", _sqlite_check_insert()]
