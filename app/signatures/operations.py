"""Signing: re-check the password, then record signer, meaning, time and the content's hash.

A signable model has ``signed_content()``, ``__signer_permission__`` (the action of the permission table whose
roles may sign it, app/core/permissions.py) and two kinds of meaning:

- ``__attestations__``: statements that decide nothing about the record ("access reviewed"); anyone with a
  signer role signs them through the generic ``sign`` (POST /api/v1/signatures);
- ``__decisions__``: meanings that record a decision (release, rejection, eligibility, …), each mapped to the
  operation that checks the decision's rules; they are signed only by ``signed_change(s)``, which those
  operations call after their checks. The generic path refuses them (409) and names the operation.

A model may add ``signer_conflict(signer)``: why this signer may not sign about this record, or None.
"""

import hashlib

import orjson
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.auth.credentials import verify_signer
from app.core import permissions, validators
from app.core.errors import Forbidden, InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.extensions import db
from audit.canonical import dumps

from .models import Signature


class _Fields(dict):
    """Format a route template with the record's own attributes ({id}, {excursion_id}, …)."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def __missing__(self, key):
        return getattr(self.record, key)


def content_hash(record) -> str:
    return hashlib.sha256(dumps(record.signed_content())).hexdigest()


def signable_types() -> dict[str, type]:
    """Every model that can be signed, by table name."""
    return {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers
            if hasattr(mapper.class_, "signed_content")}


def get_signable(record_type: str, record_id: int):
    model = signable_types().get(record_type)
    if model is None:
        raise InvalidInput(_("records of type %(record_type)s cannot be signed", record_type=repr(record_type)),
                           {"record_type": [_("one of %(sorted)s", sorted=', '.join(sorted(signable_types())))]})
    return get_or_404(model, record_id, f"{record_type} record")


def decision_route(record, meaning: str) -> str:
    """The operation that signs this decision on this record, in words."""
    return record.__decisions__[meaning].format_map(_Fields(record))


def _check_signer(signer, record) -> None:
    action = record.__signer_permission__
    if not permissions.may(signer, action):
        raise Forbidden(_("signing a %(tablename)s record needs the role %(roles_for)s", tablename=record.__tablename__,
                          roles_for=' or '.join(permissions.roles_for(action))))
    conflict = getattr(record, "signer_conflict", None)
    if conflict is not None and (why := conflict(signer)):
        raise RuleViolation(why)


def _check_attestation(meaning: str, record) -> None:
    if meaning in record.__decisions__:
        raise RuleViolation(_("%(meaning)s records a decision on this %(tablename)s record: it is signed only "
                              "through %(decision_route)s, which checks the decision's rules", meaning=repr(meaning),
                              tablename=record.__tablename__, decision_route=decision_route(record, meaning)))
    if meaning not in record.__attestations__:
        allowed = ", ".join(record.__attestations__) or "nothing (its signatures are decisions)"
        raise InvalidInput(_("a %(tablename)s record can be signed here only as: %(allowed)s",
                             tablename=record.__tablename__, allowed=allowed),
                           {"meaning": [_("not allowed here")]})


def _signatures(signer, password: str, meaning: str, records: list, reason: str | None) -> list[Signature]:
    verify_signer(signer, password)
    signatures = [Signature(signer_id=signer.id, printed_name=signer.full_name, meaning=meaning,
                            record_type=record.__tablename__, record_id=record.id, content_hash=content_hash(record))
                  for record in records]
    with audit.action(db.session, f"signature.{meaning.replace(' ', '_')}", reason):
        db.session.add_all(signatures)
    return signatures


def sign(signer, password: str, meaning: str, record, reason: str | None = None) -> Signature:
    """Sign an attestation about a record after re-checking the signer's password; a wrong one signs nothing."""
    reason = validators.optional_reason(reason)
    _check_attestation(meaning, record)
    _check_signer(signer, record)
    return _signatures(signer, password, meaning, [record], reason)[0]


def _read(record_type: str, record_ids: list[int]) -> dict[int, list[tuple[Signature, str | None]]]:
    """The records' signatures, each with the reason given when it was signed (kept in its audit entry)."""
    by_record: dict[int, list] = {record_id: [] for record_id in record_ids}
    signatures = list(db.session.scalars(select(Signature).where(Signature.record_type == record_type,
                                                                  Signature.record_id.in_(record_ids))
                                         .order_by(Signature.signed_at, Signature.id)))
    reasons = _reasons([signature.id for signature in signatures])
    for signature in signatures:
        by_record[signature.record_id].append((signature, reasons.get(signature.id)))
    return by_record


def _reasons(signature_ids: list[int]) -> dict[int, str | None]:
    if not signature_ids:
        return {}
    log = audit.audit_log.c
    rows = db.session.execute(select(log.entity_id, log.payload).where(
        log.entity_type == Signature.__tablename__, log.operation == "insert",
        log.entity_id.in_([str(i) for i in signature_ids])))
    return {int(entity_id): orjson.loads(bytes(payload)).get("reason") for entity_id, payload in rows}


def preload_signatures(records) -> None:
    """Read the signatures of a list of records in one query, for signatures_for in this request (no N+1)."""
    records = list(records)
    if not records or not has_request_context():
        return
    cache = g.setdefault("signatures_read", {})
    for record_type in {r.__tablename__ for r in records}:
        found = _read(record_type, [r.id for r in records if r.__tablename__ == record_type])
        cache.update({(record_type, record_id): signatures for record_id, signatures in found.items()})


def signatures_for(record) -> list[dict]:
    """The record's signatures, each with whether the record changed since it was signed (its content is hashed
    only when it has signatures)."""
    cache = g.get("signatures_read", {}) if has_request_context() else {}
    signatures = cache.pop((record.__tablename__, record.id), None)
    if signatures is None:
        signatures = _read(record.__tablename__, [record.id])[record.id]
    if not signatures:
        return []
    current = content_hash(record)
    return [{"signature": s, "reason": reason, "content_changed": s.content_hash != current}
            for s, reason in signatures]


def signed_changes(records: list, signer, password: str, meaning: str, action: str, reason: str | None,
                   changes: dict, signature_field: str) -> list[Signature]:
    """Apply one decision to records, sign each as changed (one password entry), link each signature; all audited.

    Only operations call this, after checking the decision's rules. A wrong password raises before anything is
    committed: the request's rollback undoes the changes."""
    reason = validators.optional_reason(reason)
    for record in records:
        if meaning not in record.__decisions__:
            raise InvalidInput(_("%(meaning)s is not a decision on a %(tablename)s record", meaning=repr(meaning),
                                 tablename=record.__tablename__),
                               {"meaning": [_("not a decision here")]})
        _check_signer(signer, record)
    with audit.action(db.session, action, reason or meaning):
        for record in records:
            for name, value in changes.items():
                setattr(record, name, value)
    signatures = _signatures(signer, password, meaning, records, reason)
    with audit.action(db.session, f"{action}_signed", meaning):
        for record, signature in zip(records, signatures, strict=True):
            setattr(record, signature_field, signature.id)
    return signatures


def signed_change(record, signer, password: str, meaning: str, action: str, reason: str | None, changes: dict,
                  signature_field: str) -> Signature:
    """Apply a decision to one record, sign it as changed and link the signature (see signed_changes)."""
    return signed_changes([record], signer, password, meaning, action, reason, changes, signature_field)[0]
