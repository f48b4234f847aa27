"""Schemas of the materials API."""

from marshmallow import Schema, fields, validate

from app.core.schemas import SigningSchema


class MaterialCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    supplier = fields.String(required=True, validate=validate.Length(min=2, max=200))
    catalogue_number = fields.String(required=True, validate=validate.Length(min=1, max=100))
    supplier_lot = fields.String(required=True, validate=validate.Length(min=1, max=100))
    expiry = fields.Date(required=True)


class MaterialSchema(MaterialCreateSchema):
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    decision_signature_id = fields.Integer(dump_only=True, allow_none=True)
    received_at = fields.AwareDateTime(dump_only=True)


class MaterialDecisionSchema(SigningSchema):
    meaning = fields.String(required=True, validate=validate.OneOf(("approved for use", "rejected")))
