"""Schemas of the donors and procurements API."""

from marshmallow import Schema, fields, validate

from app.core.schemas import SigningSchema

from .models import METHODS, RESULTS


class DonorCreateSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9-]{3,40}$",
                         error="3 to 40 letters, digits or '-' (a pseudonymous code, never a name)"))
    consent_date = fields.Date(required=True)
    consent_scope = fields.String(required=True, validate=validate.Length(min=3, max=500))


class ScreeningTestSchema(Schema):
    id = fields.Integer(dump_only=True)
    marker = fields.String(required=True)
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    sample_date = fields.Date(required=True)
    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    recorded_at = fields.AwareDateTime(dump_only=True)


class DonorSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String()
    consent_date = fields.Date()
    consent_scope = fields.String()
    consent_withdrawn_at = fields.AwareDateTime(allow_none=True)
    eligibility = fields.String()
    eligibility_signature_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    screening_tests = fields.List(fields.Nested(ScreeningTestSchema))


class EligibilityDecisionSchema(SigningSchema):
    meaning = fields.String(required=True, validate=validate.OneOf(("donor eligible", "donor ineligible")))


class EligibilityStatusSchema(Schema):
    eligibility = fields.String()
    unmet = fields.List(fields.String(), metadata={"description": "what keeps the donor from being eligible"})
    signature_id = fields.Integer(allow_none=True)


class ProcurementCreateSchema(Schema):
    donor_id = fields.Integer(required=True, strict=True)
    tissue = fields.String(load_default="adipose lipoaspirate", validate=validate.Length(min=3, max=100))
    collected_at = fields.AwareDateTime(required=True)
    site = fields.String(required=True, validate=validate.Length(min=2, max=200))
    quantity = fields.Decimal(required=True, places=3, validate=validate.Range(min=0, min_inclusive=False))
    quantity_unit = fields.String(required=True, validate=validate.OneOf(("mL", "g")))
    transport_conditions = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class ProcurementReceiptSchema(Schema):
    received_at = fields.AwareDateTime(required=True)
    temperature_c = fields.Decimal(required=True, places=1, validate=validate.Range(min=-200, max=60))


class ProcurementSchema(Schema):
    id = fields.Integer()
    donor_id = fields.Integer()
    din = fields.String()
    din_check_character = fields.Method("check_character")
    tissue = fields.String()
    collected_at = fields.AwareDateTime()
    site = fields.String()
    quantity = fields.Decimal(as_string=True)
    quantity_unit = fields.String()
    transport_conditions = fields.String()
    collected_by_id = fields.Integer()
    received_at = fields.AwareDateTime(allow_none=True)
    received_temperature_c = fields.Decimal(as_string=True, allow_none=True)
    received_by_id = fields.Integer(allow_none=True)

    def check_character(self, procurement) -> str:
        from labels.isbt128 import check_character

        return check_character(procurement.din)
