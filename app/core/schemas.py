"""Schemas shared by every feature's API."""

from marshmallow import Schema, fields, validate


class ReasonSchema(Schema):
    """A body that only carries the reason for a change."""

    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class SigningSchema(Schema):
    """A body for an e-signature: the password is checked again at each signing."""

    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))
