"""Schemas of the QC and specifications API."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.core.fields import Decimal, PastDateTime, Reason, Text
from app.lots.models import KINDS

from .units import UNITS


class SpecTestSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,40}$"))
    name = Text(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("numeric", "qualitative")))
    unit = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(UNITS))
    lower = Decimal(6, minimum="-1000000000", maximum="1000000000", load_default=None, allow_none=True)
    lower_inclusive = fields.Boolean(load_default=True)
    upper = Decimal(6, minimum="-1000000000", maximum="1000000000", load_default=None, allow_none=True)
    upper_inclusive = fields.Boolean(load_default=True)
    expected = Text(100, load_default=None, allow_none=True)
    required = fields.Boolean(load_default=True)
    criterion = fields.Function(lambda test: test.criterion(), dump_only=True, metadata={"type": "string"})


class SpecificationCreateSchema(Schema):
    lot_kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = Text(200, min_length=3, required=True)
    tests = fields.List(fields.Nested(SpecTestSchema), required=True, validate=validate.Length(min=1, max=100))


class SpecificationSchema(Schema):
    id = fields.Integer()
    lot_kind = fields.String()
    version = fields.Integer()
    name = fields.String()
    current = fields.Boolean()
    created_at = fields.AwareDateTime()
    tests = fields.List(fields.Nested(SpecTestSchema))


class QcResultCreateSchema(Schema):
    test = Text(40, required=True, metadata={"description": "the specification test code, e.g. CD73"})
    value = Decimal(6, minimum="-1000000000", maximum="1000000000", load_default=None, allow_none=True)
    unit = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(UNITS))
    text_value = Text(100, load_default=None, allow_none=True)
    method = Text(200, min_length=2, required=True)
    instrument = Text(200, required=True)
    performed_at = PastDateTime(required=True)

    @validates_schema
    def _one_kind_of_value(self, data, **kwargs):
        if data.get("value") is None and not data.get("text_value"):
            raise ValidationError("give value with unit, or text_value", "value")


class QcCorrectionSchema(QcResultCreateSchema):
    test = fields.String(dump_only=True)
    reason = Reason(required=True)


class QcResultSchema(Schema):
    id = fields.Integer()
    lot_id = fields.Integer()
    test = fields.Function(lambda r: r.spec_test.code, metadata={"type": "string"})
    criterion = fields.Function(lambda r: r.spec_test.criterion(), metadata={"type": "string"})
    value = Decimal(allow_none=True)
    unit = fields.String(allow_none=True)
    text_value = fields.String(allow_none=True)
    spec_value = Decimal(allow_none=True)
    outcome = fields.String()
    method = fields.String()
    instrument = fields.String()
    performed_by_id = fields.Integer()
    performed_at = fields.AwareDateTime()
    verified_by_id = fields.Integer(allow_none=True)
    verified_at = fields.AwareDateTime(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    superseded_by_id = fields.Integer(allow_none=True)
    correction_reason = fields.String(allow_none=True)
