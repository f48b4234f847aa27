"""Schemas of the doses API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Decimal, Id, Integer, PastDateTime, Reason, Text
from app.core.pagination import PageQuerySchema
from app.core.schemas import SigningSchema

from .models import DOSE_STATES, ROUTE


class DoseOrderSchema(Schema):
    dose_number = Integer(minimum=1, maximum=3, required=True)
    planned_date = fields.Date(required=True)
    prescribed_cells = Integer(minimum=1, maximum=10**12, required=True)
    override_reason = Reason(load_default=None, metadata={"description": "needed when outside the dose's window"})


class DoseSchema(Schema):
    id = fields.Integer()
    barcode = fields.String()
    patient_id = fields.Integer()
    dose_number = fields.Integer()
    state = fields.String()
    planned_date = fields.Date()
    prescribed_cells = fields.Integer()
    window_override_reason = fields.String(allow_none=True)
    ordered_at = fields.AwareDateTime()
    lot_id = fields.Integer(allow_none=True)
    syringe_unit_id = fields.Integer(allow_none=True)
    post_thaw_cells = fields.Integer(allow_none=True)
    viability_pct = fields.Decimal(as_string=True, allow_none=True)
    volume_ml = fields.Decimal(as_string=True, allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    prepared_at = fields.AwareDateTime(allow_none=True)
    dispensed_at = fields.AwareDateTime(allow_none=True)
    dispense_signature_id = fields.Integer(allow_none=True)
    administered_at = fields.AwareDateTime(allow_none=True)
    route = fields.String(allow_none=True)
    end_reason = fields.String(allow_none=True)


class DoseQuerySchema(PageQuerySchema):
    state = fields.String(load_default=None, validate=validate.OneOf(DOSE_STATES.states))


class AllocateSchema(Schema):
    unit_ids = fields.List(Id(), load_default=None, validate=validate.Length(min=1, max=20),
                           metadata={"description": "vials to reserve; the first-expiry-first-out suggestion if none"})


class AllocationSchema(Schema):
    unit_id = fields.Integer()
    allocated_at = fields.AwareDateTime()


class SuggestionSchema(Schema):
    unit_ids = fields.List(fields.Integer())
    barcodes = fields.List(fields.String())


class PrepareSchema(Schema):
    post_thaw_cells = Integer(minimum=1, maximum=10**12, required=True)
    viability_pct = Decimal(1, minimum=0, maximum=100, required=True)
    volume_ml = Decimal(2, minimum=0, min_inclusive=False, maximum="999999.99", required=True)


class ScansSchema(Schema):
    dose_code = Text(100, required=True, metadata={"description": "the text scanned from the dose label"})
    patient_code = Text(100, required=True, metadata={"description": "the text scanned from the patient identifier"})


class DispenseSchema(ScansSchema, SigningSchema):
    pass


class CheckSchema(Schema):
    dose = fields.Nested(DoseSchema)
    patient_code = fields.String()
    match = fields.Boolean()


class AdministerSchema(Schema):
    administered_at = PastDateTime(load_default=None)
    route = fields.String(load_default=ROUTE, validate=validate.OneOf((ROUTE,)))


class ReasonBodySchema(Schema):
    reason = Reason(required=True)


