"""Schemas of the temperature monitoring API."""

from marshmallow import Schema, fields

from app.core.fields import Decimal, Id, Moment, PastDateTime, QueryInteger, Text
from app.core.pagination import PageQuerySchema
from app.core.schemas import SigningSchema
from app.core.validators import MAX_ID
from app.signatures.schemas import Signatures


class ReadingCreateSchema(Schema):
    storage_unit_id = Id(required=True)
    measured_at = PastDateTime(required=True, metadata={"description": "ISO-8601 with its UTC offset"})
    value_c = Decimal(1, minimum="-273.1", maximum="999.9", required=True)


class ReadingQuerySchema(PageQuerySchema):
    storage_unit_id = QueryInteger(1, MAX_ID, load_default=None)
    since = Moment(load_default=None)
    until = Moment(load_default=None)


class ReadingSchema(Schema):
    id = fields.Integer()
    storage_unit_id = fields.Integer()
    measured_at = fields.AwareDateTime()
    value_c = Decimal()
    in_range = fields.Boolean()
    source = fields.String()
    recorded_by_id = fields.Integer()
    recorded_at = fields.AwareDateTime()


class CsvImportSchema(Schema):
    csv = Text(2_000_000, multiline=True, required=True,
                        metadata={"description": "the monitor's export: header timestamp,sensor,temperature_c; "
                                                 "sensor is the storage unit's barcode"})


class FlagSchema(Schema):
    signatures = Signatures()
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
    lowest_c = Decimal()
    highest_c = Decimal()
    min_temp_c = Decimal(allow_none=True)
    max_temp_c = Decimal(allow_none=True)
    flags = fields.List(fields.Nested(FlagSchema))


class ImportResultSchema(Schema):
    recorded = fields.Integer()
    excursions = fields.List(fields.Nested(ExcursionSchema), metadata={"description": "opened, widened or ended"})


class ExcursionQuerySchema(PageQuerySchema):
    storage_unit_id = QueryInteger(1, MAX_ID, load_default=None)
    open = fields.Boolean(load_default=None, metadata={"description": "only excursions going on (true) or ended"})


class FlagQuerySchema(PageQuerySchema):
    unit_id = QueryInteger(1, MAX_ID, load_default=None)
    open = fields.Boolean(load_default=None, metadata={"description": "only flags QA has not closed (true)"})


class FlagCloseSchema(SigningSchema):
    assessment = Text(5000, min_length=3, multiline=True, required=True)
