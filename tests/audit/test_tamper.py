"""Tampering by someone past the triggers (the file's holder, the owner) is caught by `flask audit verify`."""

import pytest
from sqlalchemy import insert, text

import audit
from audit import chain

from .helpers import assert_caught, edited, forged_row, trail_for

UPDATE_ROW = text("UPDATE audit_log SET payload = :payload, prev_hash = :prev_hash, entry_hash = :entry_hash "
                  "WHERE seq = :seq")


def test_an_untouched_trail_verifies(built):
    """Control: the trail built by real changes verifies, so every failure below is the tampering's."""
    code, line = built.verify()
    assert code == 0 and line.startswith("OK: 9 audit entries verified, head seq 9"), line


@pytest.mark.parametrize(("rehash", "bad_seq", "problem"), [
    (False, 4, "entry_hash does not match the stored payload"),
    (True, 5, "prev_hash does not link to the previous entry"),
], ids=["payload-only", "payload-and-own-hash"])
def test_edited_payload(built, rehash, bad_seq, problem):
    """An edited payload is caught at its seq; recomputing its own hash only moves the break to the next link."""
    row = built.rows()[3]
    row["payload"] = edited(row["payload"], reason="roles set at hiring", changes={"roles": ["technician", "admin"]})
    if rehash:
        row["entry_hash"] = chain.entry_hash(row["prev_hash"], row["payload"])
    with built.owner() as conn:
        conn.execute(UPDATE_ROW, row)
    assert_caught(built.verify(), bad_seq, problem)


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("recorded_at", "2026-01-01T00:00:00.000000Z", "columns differ from the hashed payload"),
    ("actor_id", 99, "columns differ from the hashed payload"),
    ("actor_username", "qa-lead", "columns differ from the hashed payload"),
    ("action", "user.create", "columns differ from the hashed payload"),
    ("entity_type", "signatures", "columns differ from the hashed payload"),
    ("entity_id", "1", "columns differ from the hashed payload"),
    ("operation", "event", "columns differ from the hashed payload"),
    ("prev_hash", "a" * 64, "prev_hash does not link to the previous entry"),
    ("entry_hash", "b" * 64, "entry_hash does not match the stored payload"),
    ("seq", 40, "seq 4 is missing (found 5 next)"),
])
def test_edited_column(built, column, value, problem):
    """Each column outside the payload is checked: mirrored ones against the payload, the others by the chain."""
    with built.owner() as conn:
        conn.execute(text(f"UPDATE audit_log SET {column} = :value WHERE seq = 4"), {"value": value})
    assert_caught(built.verify(), 4, problem)


def test_deleted_middle_row(built):
    """A removed entry leaves a gap in the sequence."""
    with built.owner() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    assert_caught(built.verify(), 5, "seq 5 is missing (found 6 next)")


def test_swapped_rows(built):
    """Two entries that trade places (all their contents) break the links."""
    with built.owner() as conn:
        for old, new in ((4, -4), (5, 4), (-4, 5)):
            conn.execute(text("UPDATE audit_log SET seq = :new WHERE seq = :old"), {"old": old, "new": new})
    assert_caught(built.verify(), 4, "prev_hash does not link to the previous entry")


def _replaced_fifth(rows):
    return 5, forged_row(4, rows[3]["entry_hash"], action="user.roles_change", entity_type="users", entity_id="2")


@pytest.mark.parametrize(("forge", "bad_seq", "problem"), [
    (_replaced_fifth, 6, "prev_hash does not link to the previous entry"),
    (lambda rows: (None, forged_row(9, "c" * 64)), 10, "prev_hash does not link to the previous entry"),
    (lambda rows: (None, forged_row(10, rows[-1]["entry_hash"])), 10, "seq 10 is missing (found 11 next)"),
    (lambda rows: (None, {**forged_row(9, rows[-1]["entry_hash"]), "actor_username": "alice"}), 10,
     "columns differ from the hashed payload"),
], ids=["replaces-a-middle-entry", "appended-with-a-made-up-link", "appended-after-a-gap", "appended-lying"])
def test_forged_row(built, forge, bad_seq, problem):
    """A forged entry, however well hashed in itself, breaks the chain where it was put."""
    replaced, row = forge(built.rows())
    with built.owner() as conn:
        if replaced is not None:
            conn.execute(text("DELETE FROM audit_log WHERE seq = :seq"), {"seq": replaced})
        conn.execute(insert(audit.audit_log), [row])
    assert_caught(built.verify(), bad_seq, problem)


def test_rewritten_chain_is_caught_only_by_a_checkpoint(built):
    """Editing an early entry and recomputing every later hash yields a valid chain; the signed checkpoint differs."""
    head = 9
    checkpoint = built.checkpoint()
    rows = built.rows()
    rows[1]["payload"] = edited(rows[1]["payload"], changes={"roles": [None, "admin"]})
    for before, row in zip(rows[:-1], rows[1:], strict=True):
        row["prev_hash"] = before["entry_hash"]
        row["entry_hash"] = chain.entry_hash(row["prev_hash"], row["payload"])
    with built.owner() as conn:
        for row in rows[1:]:
            conn.execute(UPDATE_ROW, row)
    code, line = built.verify()
    assert code == 0 and line.startswith(f"OK: {head} audit entries verified"), line
    assert_caught(built.verify("--checkpoint", checkpoint), head, f"the hash of seq {head} differs from the signed")


def test_cut_tail_is_caught_only_by_a_checkpoint(trail):
    """Removing the last entries (and their journal rows) leaves a valid, shorter chain; the checkpoint is longer."""
    trail.build()
    seq, journal = trail.head(), trail.journal_max()
    trail.user("erin")
    trail.user("frank")
    checkpoint = trail.checkpoint()
    with trail.owner() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq > :seq"), {"seq": seq})
    assert_caught(trail.verify(), None, "journal: users row")  # the database journal still remembers the changes
    with trail.owner() as conn:
        conn.execute(text("DELETE FROM audit_journal WHERE id > :id"), {"id": journal})
    code, line = trail.verify()
    assert code == 0 and line.startswith(f"OK: {seq} audit entries verified"), line
    assert_caught(trail.verify("--checkpoint", checkpoint), seq + 1,
                  f"entries {seq + 1} to {seq + 2} are missing: the trail ends at seq {seq} but the checkpoint "
                  f"vouches for seq {seq + 2}")


@pytest.mark.parametrize("payload", [b"not json", b"[]"], ids=["not-json", "not-an-object"])
def test_unreadable_payload_gets_a_verdict_not_a_crash(built, payload):
    """Past the triggers, a linked, well-hashed entry whose payload is not a JSON object is named, not a crash."""
    head = built.rows()[-1]["entry_hash"]
    row = {**forged_row(9, head), "payload": payload, "entry_hash": chain.entry_hash(head, payload)}
    with built.owner() as conn:
        conn.execute(insert(audit.audit_log), [row])
    assert_caught(built.verify(), 10, "payload is not a JSON object")


@pytest.fixture
def sqlite_built(tmp_path):
    """A built nine-entry trail in a SQLite file of its own."""
    yield from trail_for("sqlite", tmp_path, build=True)


def test_a_blob_in_a_mirrored_column_gets_a_verdict_not_a_crash(sqlite_built):
    """SQLite cannot compare a blob with the payload by itself: the verifier still judges the row."""
    with sqlite_built.owner() as conn:
        conn.execute(text("UPDATE audit_log SET entity_type = CAST(entity_type AS BLOB) WHERE seq = 4"))
    assert_caught(sqlite_built.verify(), 4, "columns differ from the hashed payload")


@pytest.mark.parametrize("entity_id", ["é\u00e9ü-Ω", "tab\there", "quote\"back\\slash", "ctl\u001f\u0001", "💉 vial"])
def test_unusual_characters_in_mirrored_columns_verify(trail, entity_id):
    """Values the database's JSON writes differently from the payload's are compared by value: no false alarm."""
    trail.build()
    with trail.work() as session:
        audit.record(session, "label.print", "units", entity_id, None, {"copies": 1})
    code, line = trail.verify()
    assert code == 0 and line.startswith("OK: 10 audit entries verified"), line
