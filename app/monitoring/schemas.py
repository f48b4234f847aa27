"""Schemas of the temperature monitoring API."""

from marshmallow import Schema, fields, validate

from app.core.lookup import MAX_ID
from app.core.schemas import SigningSchema

_temperature = fields.Decimal(as_string=True)
#: ids are 32-bit integers in the database: larger ones are refused as input (422), not sent to it
_ID = validate.Range(min=1, max=MAX_ID)


class ReadingCreateSchema(Schema):
    storage_unit_id = fields.Integer(required=True, strict=True, validate=_ID)
    measured_at = fields.AwareDateTime(required=True, metadata={"description": "ISO-8601 with its UTC offset"})
    value_c = fields.Decimal(required=True, metadata={"description": "°C, at most one decimal"})


class ReadingQuerySchema(Schema):
    storage_unit_id = fields.Integer(load_default=None, validate=_ID)
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)


class ReadingSchema(Schema):
    id = fields.Integer()
    storage_unit_id = fields.Integer()
    measured_at = fields.AwareDateTime()
    value_c = _temperature
    in_range = fields.Boolean()
    source = fields.String()
    recorded_by_id = fields.Integer()
    recorded_at = fields.AwareDateTime()


class CsvImportSchema(Schema):
    csv = fields.String(required=True, validate=validate.Length(min=1, max=2_000_000),
                        metadata={"description": "the monitor's export: header timestamp,sensor,temperature_c; "
                                                 "sensor is the storage unit's barcode"})


class FlagSchema(Schema):
    id = fields.Integer()
    excursion_id = fields.Integer()
    unit_id = fields.Integer()
    flagged_at = fields.AwareDateTime()
    assessment = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    closure_signature_id = fields.Integer(allow_none=True)


class ExcursionSchema(Schema):
    id = fields.Integer()
    storage_unit_id = fields.Integer()
    started_at = fields.AwareDateTime()
    ended_at = fields.AwareDateTime(allow_none=True)
    lowest_c = _temperature
    highest_c = _temperature
    min_temp_c = fields.Decimal(as_string=True, allow_none=True)
    max_temp_c = fields.Decimal(as_string=True, allow_none=True)
    flags = fields.List(fields.Nested(FlagSchema))


class ImportResultSchema(Schema):
    recorded = fields.Integer()
    excursions = fields.List(fields.Nested(ExcursionSchema), metadata={"description": "opened, widened or ended"})


class ExcursionQuerySchema(Schema):
    storage_unit_id = fields.Integer(load_default=None, validate=_ID)
    open = fields.Boolean(load_default=None, metadata={"description": "only excursions going on (true) or ended"})


class FlagQuerySchema(Schema):
    unit_id = fields.Integer(load_default=None, validate=_ID)
    open = fields.Boolean(load_default=None, metadata={"description": "only flags QA has not closed (true)"})


class FlagCloseSchema(SigningSchema):
    assessment = fields.String(required=True, validate=validate.Length(min=3, max=5000))
