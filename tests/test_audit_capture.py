"""Automatic capture: every audited model, field-level values, required reasons, refusals write nothing."""

import pytest
from sqlalchemy import inspect as sa_inspect

import audit
from app.auth.models import User
from app.extensions import db
from audit import guards
from audit.canonical import dumps
from tests.helpers import audit_rows, count_audit


def test_every_mapped_model_is_audited_or_exempt_with_a_reason(app):
    undecided = []
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        exempt = getattr(model, "__audit_exempt__", None)
        if not audit.is_audited(mapper) and not (isinstance(exempt, str) and exempt.strip()):
            undecided.append(model.__name__)
    assert undecided == [], f"models neither audited nor exempt with a reason: {undecided}"


def test_the_verifier_guards_every_audited_table(app, connection):
    """The tables whose triggers the verifier checks are exactly the audited models', and all their guards hold."""
    audited = {m.local_table.name for m in db.Model.registry.mappers if audit.is_audited(m)}
    assert audited >= {"users", "api_tokens", "signatures", "lots", "units", "custody_events"}
    assert audit.audited_tables() == audited
    assert guards.problems(connection, audited) == []


def _new_user(session, username="tech1") -> User:
    user = User(username=username, full_name="T", roles="technician", password_hash="x", active=True,
                failed_logins=0)
    with audit.action(session, "test.create"):
        session.add(user)
    session.commit()
    return user


def test_insert_and_update_record_field_level_old_and_new(session):
    user = _new_user(session)
    with audit.action(session, "test.rename", "typo in the printed name"):
        user.full_name = "Theo Tech"
        user.failed_logins = 0  # unchanged: not recorded
    session.commit()
    create, rename = audit_rows(session, entity_type="users", entity_id=str(user.id))
    assert create["operation"] == "insert" and create["changes"]["username"] == [None, "tech1"]
    assert rename["operation"] == "update" and rename["action"] == "test.rename"
    assert rename["changes"] == {"full_name": ["T", "Theo Tech"]}
    assert rename["reason"] == "typo in the printed name" and rename["actor_username"] == "test"


def test_old_value_is_loaded_even_when_expired(session):
    user = _new_user(session)
    session.expire(user)
    with audit.action(session, "test.roles", "needed"):
        user.roles = "qa"
    session.commit()
    assert audit_rows(session, action="test.roles")[0]["changes"] == {"roles": ["technician", "qa"]}


def test_change_without_reason_is_refused_and_writes_nothing(session):
    user = _new_user(session)
    before = count_audit(session)
    user.roles = "admin"
    with pytest.raises(audit.ReasonRequired, match="reason is required to change an existing User"):
        session.commit()
    session.rollback()
    assert session.get(User, user.id).roles == "technician"
    assert count_audit(session) == before


def test_blank_reason_is_no_reason(session):
    user = _new_user(session)
    with pytest.raises(audit.ReasonRequired), audit.action(session, "test.blank", "   "):
        user.roles = "admin"
    session.rollback()


def test_deleting_an_audited_record_is_refused(session):
    user = _new_user(session)
    session.delete(user)
    with pytest.raises(audit.AuditError, match="never deleted"):
        session.flush()
    session.rollback()
    assert session.get(User, user.id) is not None


def test_no_actor_no_change(session, connection):
    session.info.pop("audit_actor")
    session.add(User(username="ghost", full_name="G", roles="qa", password_hash="x", active=True, failed_logins=0))
    with pytest.raises(audit.AuditError, match="no actor"):
        session.flush()
    session.rollback()


def test_rolled_back_change_leaves_no_entry(session):
    before = count_audit(session)
    with audit.action(session, "test.create"):
        session.add(User(username="tmp", full_name="T", roles="qa", password_hash="x", active=True, failed_logins=0))
    session.rollback()
    assert count_audit(session) == before


def test_entries_of_one_commit_are_contiguous_and_linked(session):
    _new_user(session, "a1")
    _new_user(session, "a2")
    rows = session.execute(audit.audit_log.select().order_by(audit.audit_log.c.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(rows[i].prev_hash == rows[i - 1].entry_hash for i in range(1, len(rows)))


def test_canonical_json_refuses_floats_and_naive_times():
    import datetime as dt
    from decimal import Decimal

    assert dumps({"b": Decimal("1.50"), "a": 1}) == b'{"a":1,"b":"1.50"}'
    with pytest.raises(TypeError, match="floats"):
        dumps({"viability": 0.95})
    with pytest.raises(ValueError, match="naive"):
        dumps({"at": dt.datetime(2026, 1, 1)})


def test_model_columns_have_no_float_types(app):
    from sqlalchemy import Float

    floats = [f"{m.class_.__name__}.{c.key}" for m in db.Model.registry.mappers
              for c in sa_inspect(m.class_).columns if isinstance(c.type, Float)]
    assert floats == []
