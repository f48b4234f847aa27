"""The database's guards, checked by the verifier before it trusts what the tables say.

A verdict over the chain and the journal means nothing if the triggers that keep the trail append-only, or that
journal each row change of a GMP table, were dropped or switched off: the journal would simply stay silent. So
the verifier reads the catalog once per run (sqlite_master, or pg_trigger and pg_proc) and names every guard that
is missing, disabled, or not the one the migrations install.

Which GMP tables must be guarded comes from the models marked ``__audited__`` (audit.capture collects them); the
trigger names and shapes are those every migration revision installs (see migrations/versions).
"""

from dataclasses import dataclass

from sqlalchemy.engine import Connection

AUDIT_TABLES = ("audit_log", "audit_journal")
#: the PostgreSQL functions the triggers call; the journal's runs as its owner so the app role cannot write it
PG_FUNCTIONS = ("audit_refuse_change", "audit_log_check_insert", "audit_journal_row", "audit_require_entry")
PG_SECURITY_DEFINER = ("audit_journal_row",)

# pg_trigger.tgtype bits (PostgreSQL's include/catalog/pg_trigger.h); no BEFORE and no INSTEAD means AFTER
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE = 1, 2, 4, 8, 16, 32


@dataclass(frozen=True)
class PgTrigger:
    table: str
    name: str
    function: str
    tgtype: int
    #: a deferred constraint trigger (the commit-time check)
    deferred: bool = False


@dataclass(frozen=True)
class SqliteTrigger:
    table: str
    name: str
    #: fragments its SQL must hold (compared without case or repeated spaces): when it fires and what it does
    fragments: tuple[str, ...]


def pg_expected(gmp_tables) -> list[PgTrigger]:
    """Every trigger a PostgreSQL database at head must have, all ENABLE ALWAYS."""
    refuse, row_refuse, truncate = "audit_refuse_change", _ROW | _BEFORE | _UPDATE | _DELETE, _BEFORE | _TRUNCATE
    expected = [PgTrigger("audit_log", "audit_log_check_insert", "audit_log_check_insert", _ROW | _BEFORE | _INSERT)]
    for table in AUDIT_TABLES:
        expected += [PgTrigger(table, f"{table}_append_only", refuse, row_refuse),
                     PgTrigger(table, f"{table}_no_truncate", refuse, truncate)]
    for table in sorted(gmp_tables):
        expected += [PgTrigger(table, f"{table}_journal", "audit_journal_row", _ROW | _INSERT | _UPDATE),
                     PgTrigger(table, f"{table}_no_delete", refuse, _ROW | _BEFORE | _DELETE),
                     PgTrigger(table, f"{table}_no_truncate", refuse, truncate),
                     PgTrigger(table, f"{table}_audited", "audit_require_entry", _ROW | _INSERT | _UPDATE, True)]
    return expected


def sqlite_expected(gmp_tables) -> list[SqliteTrigger]:
    """Every trigger a SQLite database at head must have."""
    expected = [SqliteTrigger("audit_log", "audit_log_check_insert",
                              ("before insert on audit_log", "audit_entry_hash(new.prev_hash, new.payload)"))]
    for table in AUDIT_TABLES:
        expected += [SqliteTrigger(table, f"{table}_no_{op}", (f"before {op} on {table}", "raise(abort,"))
                     for op in ("update", "delete")]
    for table in sorted(gmp_tables):
        expected += [SqliteTrigger(table, f"{table}_journal_{op}", (f"after {op} on {table}",
                                                                    "insert into audit_journal", f"'{op}'"))
                     for op in ("insert", "update")]
        expected.append(SqliteTrigger(table, f"{table}_no_delete", (f"before delete on {table}", "raise(abort,")))
    return expected


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").lower().split())


def _sqlite_problems(conn: Connection, gmp_tables) -> list[str]:
    present = {name: (table, _normal(sql)) for name, table, sql in
               conn.exec_driver_sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")}
    problems = []
    for guard in sqlite_expected(gmp_tables):
        found = present.get(guard.name)
        if found is None or found[0] != guard.table:
            problems.append(f"trigger {guard.name} on {guard.table} is missing")
        elif not all(fragment in found[1] for fragment in guard.fragments):
            problems.append(f"trigger {guard.name} on {guard.table} is not the guard the migrations install")
    return problems


_PG_TRIGGERS = """
    SELECT c.relname, t.tgname, p.proname, t.tgtype, t.tgenabled, t.tgconstraint <> 0, t.tgdeferrable,
           t.tginitdeferred
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
"""
_PG_FUNCTIONS = "SELECT proname, prosecdef FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"
_ENABLED = {"D": "disabled", "O": "enabled only for origin sessions (ENABLE), not ALWAYS",
            "R": "enabled only for replica sessions (ENABLE REPLICA), not ALWAYS"}


def _pg_trigger_problem(guard: PgTrigger, found) -> str | None:
    where = f"trigger {guard.name} on {guard.table}"
    if found is None:
        return f"{where} is missing"
    function, tgtype, enabled, constraint, deferrable, deferred = found
    if enabled != "A":
        return f"{where} is {_ENABLED.get(enabled, f'in mode {enabled!r}')}"
    if function != guard.function:
        return f"{where} runs {function}() instead of {guard.function}()"
    if tgtype != guard.tgtype or (guard.deferred and not (constraint and deferrable and deferred)):
        return f"{where} does not fire when the migrations make it fire"
    return None


def _pg_problems(conn: Connection, gmp_tables) -> list[str]:
    functions = dict(conn.exec_driver_sql(_PG_FUNCTIONS).all())
    problems = [f"function {name}() is missing" for name in PG_FUNCTIONS if name not in functions]
    problems += [f"function {name}() is not SECURITY DEFINER" for name in PG_SECURITY_DEFINER
                 if functions.get(name) is False]
    present = {(row[0], row[1]): tuple(row[2:]) for row in conn.exec_driver_sql(_PG_TRIGGERS)}
    for guard in pg_expected(gmp_tables):
        if problem := _pg_trigger_problem(guard, present.get((guard.table, guard.name))):
            problems.append(problem)
    return problems


def problems(conn: Connection, gmp_tables) -> list[str]:
    """What is wrong with the guards of the audit tables and of the given GMP tables; empty if all hold."""
    if conn.dialect.name == "postgresql":
        return _pg_problems(conn, gmp_tables)
    return _sqlite_problems(conn, gmp_tables)
