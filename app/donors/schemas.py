"""Schemas of the donors and procurements API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Decimal, Id, PastDate, PastDateTime, PseudonymousCode, Text
from app.core.pagination import PageQuerySchema
from app.core.schemas import SigningSchema
from app.signatures.schemas import Signatures

from .models import ELIGIBILITY, MARKERS, METHODS, RESULTS


class DonorCreateSchema(Schema):
    code = PseudonymousCode(required=True)
    consent_date = PastDate(required=True)
    consent_scope = Text(500, min_length=3, required=True)


class ScreeningTestSchema(Schema):
    id = fields.Integer(dump_only=True)
    marker = fields.String(required=True, validate=validate.OneOf(MARKERS))
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    sample_date = PastDate(required=True)
    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    recorded_at = fields.AwareDateTime(dump_only=True)


class DonorSchema(Schema):
    signatures = Signatures()
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
    donor_id = Id(required=True)
    tissue = Text(100, min_length=3, load_default="adipose lipoaspirate")
    collected_at = PastDateTime(required=True)
    site = Text(200, min_length=2, required=True)
    quantity = Decimal(3, minimum=0, min_inclusive=False, maximum="999999999.999", required=True)
    quantity_unit = fields.String(required=True, validate=validate.OneOf(("mL", "g")))
    transport_conditions = Text(2000, min_length=3, multiline=True, required=True)


class ProcurementReceiptSchema(Schema):
    received_at = PastDateTime(required=True)
    temperature_c = Decimal(1, minimum=-200, maximum=60, required=True)


class ProcurementSchema(Schema):
    id = fields.Integer()
    donor_id = fields.Integer()
    din = fields.String()
    din_check_character = fields.Method("check_character", metadata={"type": "string"})
    tissue = fields.String()
    collected_at = fields.AwareDateTime()
    site = fields.String()
    quantity = Decimal()
    quantity_unit = fields.String()
    transport_conditions = fields.String()
    collected_by_id = fields.Integer()
    received_at = fields.AwareDateTime(allow_none=True)
    received_temperature_c = Decimal(allow_none=True)
    received_by_id = fields.Integer(allow_none=True)

    def check_character(self, procurement) -> str:
        from labels.isbt128 import check_character

        return check_character(procurement.din)


class DonorQuerySchema(PageQuerySchema):
    eligibility = fields.String(load_default=None, validate=validate.OneOf(ELIGIBILITY.states))
    code = Text(40, load_default=None, metadata={"description": "donors whose code starts with this"})
