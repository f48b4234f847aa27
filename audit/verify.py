"""The verifier: contiguity, links, hashes, mirrored columns, a checkpoint, the database's guards and the journal."""

import hashlib
import sqlite3
from dataclasses import dataclass
from operator import itemgetter

import orjson
from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import guards
from .capture import audited_tables
from .chain import DOMAIN_TAG, GENESIS_HASH
from .schema import MIRRORED_COLUMNS

BATCH = 20_000
#: the mirrored fields of a parsed payload, in column order (raises KeyError if one is missing)
_mirrored_fields = itemgetter(*MIRRORED_COLUMNS)
_SELECT = "SELECT {cols}, payload, prev_hash, entry_hash FROM audit_log ORDER BY seq".format(
    cols=", ".join(MIRRORED_COLUMNS)
)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None

    def line(self) -> str:
        """The one-line verdict the CLI prints."""
        if self.ok:
            return f"OK: {self.entries} audit entries verified, head seq {self.head_seq}, head hash {self.head_hash}"
        where = f"first bad seq {self.first_bad_seq}: " if self.first_bad_seq is not None else ""
        return f"FAILED: {where}{self.problem}"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str


def _batches(conn: Connection):
    """Yield iterables of raw rows in seq order without building ORM or Row objects."""
    raw = conn.connection.driver_connection
    postgresql = conn.dialect.name == "postgresql"
    # PostgreSQL: a server-side cursor in binary format (bytea arrives as raw bytes, not hex to decode).
    cursor = raw.cursor(name="audit_verify", binary=True) if postgresql else raw.cursor()
    try:
        cursor.execute(_SELECT)
        if postgresql:
            while rows := cursor.fetchmany(BATCH):
                yield rows
        else:
            # SQLite steps row by row: no list of thousands of live rows for the garbage collector to scan.
            yield cursor
    finally:
        cursor.close()


def _mirror_problem(payload: bytes, columns: tuple) -> str | None:
    """Whether the queryable columns equal the fields of the hashed payload (a missing key compares as None)."""
    try:
        fields = orjson.loads(payload)
    except orjson.JSONDecodeError:
        fields = None
    if not isinstance(fields, dict):
        return "payload is not a JSON object"
    try:
        values = _mirrored_fields(fields)
    except KeyError:
        values = tuple(fields.get(c) for c in MIRRORED_COLUMNS)
    return None if values == columns else "columns differ from the hashed payload"


def _check_chain(conn: Connection) -> tuple[int, str, int | None, str | None]:
    """Walk the chain; return (head seq, head hash, first bad seq, problem)."""
    # The hot loop: one pass per entry, names bound locally.
    sha256, tag, width = hashlib.sha256, DOMAIN_TAG, len(MIRRORED_COLUMNS)
    expected, last = 1, GENESIS_HASH
    for rows in _batches(conn):
        for row in rows:
            seq, payload, prev, digest = row[0], row[width], row[width + 1], row[width + 2]
            if seq != expected:
                return expected - 1, last, expected, f"seq {expected} is missing (found {seq} next)"
            if prev != last:
                return expected - 1, last, seq, "prev_hash does not link to the previous entry"
            if sha256(tag + prev.encode() + payload).hexdigest() != digest:
                return expected - 1, last, seq, "entry_hash does not match the stored payload"
            if problem := _mirror_problem(payload, row[:width]):
                return expected - 1, last, seq, problem
            expected, last = seq + 1, digest
    return expected - 1, last, None, None


#: SQLite compares the mirrored columns with the payload itself, parsing it once; a row it does not find equal
#: is checked again in Python, and if it cannot judge at all (malformed payload, a blob column) it raises
_PATHS, _COLUMNS = ", ".join(f"'$.{c}'" for c in MIRRORED_COLUMNS), ", ".join(MIRRORED_COLUMNS)
_SQLITE_SELECT = (f"SELECT seq, payload, prev_hash, entry_hash, json_extract(CAST(payload AS TEXT), {_PATHS}) "
                  f"IS json_array({_COLUMNS}) FROM audit_log ORDER BY seq")
_SQLITE_COLUMNS = f"SELECT {_COLUMNS} FROM audit_log WHERE seq = ?"


def _check_chain_sqlite(conn: Connection) -> tuple[int, str, int | None, str | None] | None:
    """The same walk with the column check done by SQLite; None when SQLite could not judge a row."""
    raw = conn.connection.driver_connection
    sha256, tag = hashlib.sha256, DOMAIN_TAG
    expected, last = 1, GENESIS_HASH
    cursor = raw.cursor()
    try:
        for seq, payload, prev, digest, mirrored in cursor.execute(_SQLITE_SELECT):
            if seq != expected:
                return expected - 1, last, expected, f"seq {expected} is missing (found {seq} next)"
            if prev != last:
                return expected - 1, last, seq, "prev_hash does not link to the previous entry"
            if sha256(tag + prev.encode() + payload).hexdigest() != digest:
                return expected - 1, last, seq, "entry_hash does not match the stored payload"
            if not mirrored and (problem := _mirror_problem(payload, raw.execute(_SQLITE_COLUMNS, (seq,)).fetchone())):
                return expected - 1, last, seq, problem
            expected, last = seq + 1, digest
    except sqlite3.Error:
        return None
    finally:
        cursor.close()
    return expected - 1, last, None, None


_JOURNAL_MISMATCH = text("""
    SELECT j.table_name, j.row_id, j.operation, j.n AS journaled, COALESCE(a.n, 0) AS audited FROM
      (SELECT table_name, row_id, operation, count(*) AS n FROM audit_journal
        GROUP BY table_name, row_id, operation) j
    LEFT JOIN
      (SELECT entity_type, entity_id, operation, count(*) AS n FROM audit_log WHERE operation IN ('insert', 'update')
        GROUP BY entity_type, entity_id, operation) a
    ON a.entity_type = j.table_name AND a.entity_id = j.row_id AND a.operation = j.operation
    WHERE COALESCE(a.n, 0) <> j.n
    ORDER BY j.table_name, j.row_id
    LIMIT 1
""")


def _check_journal(conn: Connection) -> str | None:
    """Every row change the database journaled must have exactly one audit entry."""
    row = conn.execute(_JOURNAL_MISMATCH).first()
    if row is None:
        return None
    return (f"journal: {row.table_name} row {row.row_id} had {row.journaled} {row.operation}(s) "
            f"but {row.audited} audit entries: changed behind the application's back")


def _check_guards(conn: Connection, gmp_tables) -> str | None:
    """The triggers the journal and the append-only rule depend on: once per run, never per entry."""
    found = guards.problems(conn, audited_tables() if gmp_tables is None else gmp_tables)
    return f"guards: {'; '.join(found)}" if found else None


def verify(conn: Connection, checkpoint: Checkpoint | None = None, gmp_tables=None) -> Verdict:
    """Check the whole trail; the verdict names the first bad seq if anything is wrong.

    gmp_tables: the tables whose journal and delete guards must be in place (default: every audited model's).
    """
    walked = _check_chain_sqlite(conn) if conn.dialect.name == "sqlite" else None
    head_seq, head_hash, bad_seq, problem = walked or _check_chain(conn)
    if problem is None and checkpoint is not None:
        problem, bad_seq = _check_checkpoint(conn, checkpoint, head_seq)
    if problem is None:
        problem = _check_guards(conn, gmp_tables)
    if problem is None:
        problem = _check_journal(conn)
    return Verdict(problem is None, head_seq, head_seq, head_hash, bad_seq, problem)


def _check_checkpoint(conn: Connection, checkpoint: Checkpoint, head_seq: int) -> tuple[str | None, int | None]:
    if head_seq < checkpoint.seq:
        first = head_seq + 1
        missing = f"entry {first} is" if first == checkpoint.seq else f"entries {first} to {checkpoint.seq} are"
        return (f"{missing} missing: the trail ends at seq {head_seq} but the checkpoint vouches for seq "
                f"{checkpoint.seq}"), first
    stored = conn.execute(text("SELECT entry_hash FROM audit_log WHERE seq = :seq"), {"seq": checkpoint.seq}).scalar()
    if stored != checkpoint.head_hash:
        return f"the hash of seq {checkpoint.seq} differs from the signed checkpoint", checkpoint.seq
    return None, None
