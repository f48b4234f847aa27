"""Database triggers that keep the trail append-only and journal every row change of GMP tables.

The DDL is plain SQL per dialect so migrations can install it with ``op.execute``. Table names
come from the code, never from users.
"""

import hashlib

from .chain import DOMAIN_TAG, GENESIS_HASH
from .schema import MIRRORED_COLUMNS

AUDIT_TABLES = ("audit_log", "audit_journal")


def _pg_trigger_name(table: str, purpose: str) -> str:
    return f"{table}_{purpose}"


# --- PostgreSQL ------------------------------------------------------------------------------------

_PG_FUNCTIONS = [
    """
    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% refused on %: this table is append-only', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    f"""
    CREATE FUNCTION audit_log_check_insert() RETURNS trigger LANGUAGE plpgsql
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
        IF NEW.entry_hash <> encode(sha256('\\x{DOMAIN_TAG.hex()}'::bytea
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
    CREATE FUNCTION audit_journal_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO audit_journal (table_name, row_id, operation, txid)
            VALUES (TG_TABLE_NAME, NEW.id::text, lower(TG_OP), txid_current());
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION audit_require_entry() RETURNS trigger LANGUAGE plpgsql
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


def _pg_append_only(table: str) -> list[str]:
    row, trunc = _pg_trigger_name(table, "append_only"), _pg_trigger_name(table, "no_truncate")
    return [
        f"CREATE TRIGGER {row} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
        f"CREATE TRIGGER {trunc} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {row}",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trunc}",
    ]


def _pg_audit_tables() -> list[str]:
    check = "CREATE TRIGGER audit_log_check_insert BEFORE INSERT ON audit_log FOR EACH ROW "
    return [
        *_PG_FUNCTIONS,
        *_pg_append_only("audit_log"),
        *_pg_append_only("audit_journal"),
        check + "EXECUTE FUNCTION audit_log_check_insert()",
        "ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_check_insert",
    ]


def _pg_gmp_table(table: str) -> list[str]:
    journal, no_delete = _pg_trigger_name(table, "journal"), _pg_trigger_name(table, "no_delete")
    no_truncate, audited = _pg_trigger_name(table, "no_truncate"), _pg_trigger_name(table, "audited")
    return [
        f"CREATE TRIGGER {journal} AFTER INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_journal_row()",
        f"CREATE TRIGGER {no_delete} BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
        f"CREATE TRIGGER {no_truncate} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
        "EXECUTE FUNCTION audit_refuse_change()",
        f"CREATE CONSTRAINT TRIGGER {audited} AFTER INSERT OR UPDATE ON {table} DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION audit_require_entry()",
        *(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}" for name in (journal, no_delete, no_truncate, audited)),
    ]


# --- SQLite ----------------------------------------------------------------------------------------

SQLITE_HASH_FUNCTION = "audit_entry_hash"


def register_sqlite_functions(dbapi_connection) -> None:
    """Give a SQLite connection the hash function that the insert trigger checks entries with."""
    dbapi_connection.create_function(
        SQLITE_HASH_FUNCTION, 2,
        lambda prev, payload: hashlib.sha256(DOMAIN_TAG + prev.encode("ascii") + payload).hexdigest(),
        deterministic=True,
    )


def _sqlite_refuse(table: str, op: str) -> str:
    return (f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{op} refused on {table}: this table is append-only'); END")


def _sqlite_mirror_mismatch() -> str:
    payload = "CAST(NEW.payload AS TEXT)"
    checks = [f"json_type({payload}) IS NOT 'object'"]
    checks += [f"json_extract({payload}, '$.{column}') IS NOT NEW.{column}" for column in MIRRORED_COLUMNS]
    return "(" + " OR ".join(checks) + ")"


def _sqlite_audit_tables() -> list[str]:
    tail = "(SELECT {col} FROM audit_log ORDER BY seq DESC LIMIT 1)"
    return [
        _sqlite_refuse("audit_log", "UPDATE"),
        _sqlite_refuse("audit_log", "DELETE"),
        _sqlite_refuse("audit_journal", "UPDATE"),
        _sqlite_refuse("audit_journal", "DELETE"),
        "CREATE TRIGGER audit_log_check_insert BEFORE INSERT ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'audit_log: seq does not follow the tail') "
        f"WHERE NEW.seq <> COALESCE({tail.format(col='seq')}, 0) + 1; "
        "SELECT RAISE(ABORT, 'audit_log: prev_hash is not the hash of the tail') "
        f"WHERE NEW.prev_hash <> COALESCE({tail.format(col='entry_hash')}, '{GENESIS_HASH}'); "
        "SELECT RAISE(ABORT, 'audit_log: entry_hash does not match its payload') "
        f"WHERE NEW.entry_hash <> {SQLITE_HASH_FUNCTION}(NEW.prev_hash, NEW.payload); "
        "SELECT RAISE(ABORT, 'audit_log: the columns differ from the payload') "
        f"WHERE NOT json_valid(CAST(NEW.payload AS TEXT)) OR {_sqlite_mirror_mismatch()}; END",
    ]


def _sqlite_gmp_table(table: str) -> list[str]:
    journal = "INSERT INTO audit_journal (table_name, row_id, operation) VALUES ('{t}', CAST(NEW.id AS TEXT), '{op}')"
    return [
        f"CREATE TRIGGER {table}_journal_insert AFTER INSERT ON {table} "
        f"BEGIN {journal.format(t=table, op='insert')}; END",
        f"CREATE TRIGGER {table}_journal_update AFTER UPDATE ON {table} "
        f"BEGIN {journal.format(t=table, op='update')}; END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'DELETE refused on {table}: GMP records are never deleted'); END",
    ]


# --- public ----------------------------------------------------------------------------------------

def audit_tables_ddl(dialect: str) -> list[str]:
    """DDL that makes the audit tables append-only and checks every new entry's link and hash."""
    return _pg_audit_tables() if dialect == "postgresql" else _sqlite_audit_tables()


def gmp_table_ddl(dialect: str, table: str) -> list[str]:
    """DDL that journals every row change of a GMP table and refuses deletes."""
    return _pg_gmp_table(table) if dialect == "postgresql" else _sqlite_gmp_table(table)


def refresh_audit_functions_ddl(dialect: str) -> list[str]:
    """DDL that brings the checking functions (PostgreSQL) or the insert check (SQLite) up to this version."""
    if dialect == "postgresql":
        return [statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1) for statement in _PG_FUNCTIONS]
    return ["DROP TRIGGER IF EXISTS audit_log_check_insert", _sqlite_audit_tables()[-1]]


def drop_audit_tables_ddl(dialect: str) -> list[str]:
    """DDL that removes what audit_tables_ddl installed (downgrades only)."""
    if dialect == "postgresql":
        return ["DROP FUNCTION IF EXISTS audit_refuse_change, audit_log_check_insert, audit_journal_row, "
                "audit_require_entry CASCADE"]
    names = ["audit_log_no_update", "audit_log_no_delete", "audit_journal_no_update", "audit_journal_no_delete",
             "audit_log_check_insert"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def drop_gmp_table_ddl(dialect: str, table: str) -> list[str]:
    """DDL that removes what gmp_table_ddl installed (downgrades only)."""
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_{p} ON {table}" for p in ("journal", "no_delete", "no_truncate",
                                                                           "audited")]
    return [f"DROP TRIGGER IF EXISTS {table}_{p}" for p in ("journal_insert", "journal_update", "no_delete")]
