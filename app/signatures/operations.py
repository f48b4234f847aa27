"""Signing: re-check the password, then record signer, meaning, time and the content's hash.

A signable model has ``signed_content()``, ``__signature_meanings__`` and ``__signer_roles__``.
"""

import hashlib

from sqlalchemy import select

import audit
from app.auth.operations import verify_signer
from app.core import validators
from app.core.errors import Forbidden, InvalidInput
from app.core.lookup import get_or_404
from app.extensions import db
from audit.canonical import dumps

from .models import Signature


def content_hash(record) -> str:
    return hashlib.sha256(dumps(record.signed_content())).hexdigest()


def signable_types() -> dict[str, type]:
    """Every model that can be signed, by table name."""
    return {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers
            if hasattr(mapper.class_, "signed_content")}


def get_signable(record_type: str, record_id: int):
    model = signable_types().get(record_type)
    if model is None:
        raise InvalidInput(f"records of type {record_type!r} cannot be signed",
                           {"record_type": [f"one of {', '.join(sorted(signable_types()))}"]})
    return get_or_404(model, record_id, f"{record_type} record")


def _check_signable(signer, meaning: str, record) -> None:
    if meaning not in record.__signature_meanings__:
        raise InvalidInput(f"a {record.__tablename__} record can be signed only as: "
                           f"{', '.join(record.__signature_meanings__)}", {"meaning": ["not allowed here"]})
    if not signer.has_any_role(record.__signer_roles__):
        raise Forbidden(f"signing a {record.__tablename__} record needs the role "
                        f"{' or '.join(record.__signer_roles__)}")


def sign_series(signer, password: str, meaning: str, records: list, reason: str | None = None) -> list[Signature]:
    """Sign several records in one act, the password checked once for the series; a wrong one signs nothing."""
    reason = validators.optional_reason(reason)
    for record in records:
        _check_signable(signer, meaning, record)
    verify_signer(signer, password)
    signatures = [Signature(signer_id=signer.id, printed_name=signer.full_name, meaning=meaning,
                            record_type=record.__tablename__, record_id=record.id, content_hash=content_hash(record))
                  for record in records]
    with audit.action(db.session, f"signature.{meaning.replace(' ', '_')}", reason):
        db.session.add_all(signatures)
    return signatures


def sign(signer, password: str, meaning: str, record, reason: str | None = None) -> Signature:
    """Sign a record after re-checking the signer's password; a wrong password signs nothing."""
    return sign_series(signer, password, meaning, [record], reason)[0]


def signatures_for(record) -> list[dict]:
    """The record's signatures, each with whether the record changed since it was signed."""
    current = content_hash(record)
    signatures = db.session.scalars(
        select(Signature).where(Signature.record_type == record.__tablename__, Signature.record_id == record.id)
        .order_by(Signature.signed_at, Signature.id)
    ).all()
    return [{"signature": s, "content_changed": s.content_hash != current} for s in signatures]


def signed_changes(records: list, signer, password: str, meaning: str, action: str, reason: str | None,
                   changes: dict, signature_field: str) -> list[Signature]:
    """Apply one decision to records, sign each as changed (one password entry), link each signature; all audited.

    A wrong password raises before anything is committed: the request's rollback undoes the changes."""
    reason = validators.optional_reason(reason)
    with audit.action(db.session, action, reason or meaning):
        for record in records:
            for name, value in changes.items():
                setattr(record, name, value)
    signatures = sign_series(signer, password, meaning, records, reason)
    with audit.action(db.session, f"{action}_signed", meaning):
        for record, signature in zip(records, signatures, strict=True):
            setattr(record, signature_field, signature.id)
    return signatures


def signed_change(record, signer, password: str, meaning: str, action: str, reason: str | None, changes: dict,
                  signature_field: str) -> Signature:
    """Apply a decision to one record, sign it as changed and link the signature (see signed_changes)."""
    return signed_changes([record], signer, password, meaning, action, reason, changes, signature_field)[0]
