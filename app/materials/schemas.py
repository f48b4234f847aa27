"""Schemas of the materials API."""

from marshmallow import Schema, fields, validate

from app.core.fields import BankDate, Text
from app.core.schemas import SigningSchema
from app.signatures.schemas import Signatures


class MaterialCreateSchema(Schema):
    name = Text(200, min_length=2, required=True)
    supplier = Text(200, min_length=2, required=True)
    catalogue_number = Text(100, required=True)
    supplier_lot = Text(100, required=True)
    expiry = BankDate(required=True)


class MaterialSchema(MaterialCreateSchema):
    signatures = Signatures()
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    decision_signature_id = fields.Integer(dump_only=True, allow_none=True)
    received_at = fields.AwareDateTime(dump_only=True)


class MaterialDecisionSchema(SigningSchema):
    meaning = fields.String(required=True, validate=validate.OneOf(("approved for use", "rejected")))
