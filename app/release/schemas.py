"""Schemas of the release API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Reason
from app.core.schemas import SigningSchema


class ReleaseSchema(SigningSchema):
    meaning = fields.String(load_default="released for clinical use",
                            validate=validate.Equal("released for clinical use"))


class RejectSchema(SigningSchema):
    meaning = fields.String(load_default="rejected", validate=validate.Equal("rejected"))
    reason = Reason(required=True)


class ReleaseStatusSchema(Schema):
    lot_id = fields.Integer()
    state = fields.String()
    blockers = fields.List(fields.String())
    signatures = fields.List(fields.Dict())
