"""Schemas of the signatures API."""

from marshmallow import Schema, fields, validate


class SignRequestSchema(Schema):
    record_type = fields.String(required=True, validate=validate.Length(min=1, max=80))
    record_id = fields.Integer(required=True, strict=True)
    meaning = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class SignatureQuerySchema(Schema):
    record_type = fields.String(required=True)
    record_id = fields.Integer(required=True)


class SignatureSchema(Schema):
    id = fields.Integer(attribute="signature.id")
    signer_id = fields.Integer(attribute="signature.signer_id")
    printed_name = fields.String(attribute="signature.printed_name")
    meaning = fields.String(attribute="signature.meaning")
    signed_at = fields.AwareDateTime(attribute="signature.signed_at")
    record_type = fields.String(attribute="signature.record_type")
    record_id = fields.Integer(attribute="signature.record_id")
    content_hash = fields.String(attribute="signature.content_hash")
    content_changed = fields.Boolean(metadata={"description": "the record changed since it was signed"})
