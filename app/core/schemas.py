"""Schemas shared by every feature's API."""

from marshmallow import Schema, fields, validate

from .fields import Reason


class ReasonSchema(Schema):
    """A body that only carries the reason for a change."""

    reason = Reason(required=True)


class SigningSchema(Schema):
    """A body for an e-signature: the password is checked again at each signing."""

    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    reason = Reason(load_default=None, metadata={"description": "optional comment"})
