"""Schemas of the signatures API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Id, QueryInteger, Reason, Text

from .operations import signatures_for


class SignRequestSchema(Schema):
    record_type = Text(80, required=True)
    record_id = Id(required=True)
    meaning = Text(200, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    reason = Reason(load_default=None)


class SignatureQuerySchema(Schema):
    record_type = Text(80, required=True)
    record_id = QueryInteger(1, 2**31 - 1, required=True)


class SignatureSchema(Schema):
    id = fields.Integer(attribute="signature.id")
    signer_id = fields.Integer(attribute="signature.signer_id")
    printed_name = fields.String(attribute="signature.printed_name")
    meaning = fields.String(attribute="signature.meaning")
    signed_at = fields.AwareDateTime(attribute="signature.signed_at")
    record_type = fields.String(attribute="signature.record_type")
    record_id = fields.Integer(attribute="signature.record_id")
    content_hash = fields.String(attribute="signature.content_hash")
    reason = fields.String(allow_none=True, metadata={"description": "the reason given when it was signed"})
    content_changed = fields.Boolean(metadata={"description": "the record changed since it was signed"})


class Signatures(fields.List):
    """A signed record's own signatures, embedded in its JSON (read by signatures_for, preloaded for lists)."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(SignatureSchema), dump_only=True, metadata={
            "description": "the record's e-signatures: printed name, meaning, time, and whether the record's "
                           "content changed since each was made"}, **kwargs)

    def get_value(self, obj, attr, accessor=None, default=None):
        return signatures_for(obj)
