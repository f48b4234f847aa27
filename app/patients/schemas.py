"""Schemas of the patients API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Integer, PastDate, PseudonymousCode, Reason, Text
from app.core.schemas import SigningSchema

from .models import PATIENT_STATES, SEXES


class PatientCreateSchema(Schema):
    code = PseudonymousCode(required=True, metadata={"example": "P-001"})
    site = Text(200, min_length=2, required=True)
    consent_date = PastDate(required=True)
    birth_year = Integer(minimum=1900, maximum=2100, required=True)
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))


class PatientSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    barcode = fields.String()
    site = fields.String()
    consent_date = fields.Date()
    birth_year = fields.Integer()
    sex = fields.String()
    status = fields.String()
    enrolled_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()


class AnswerSchema(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(("met", "not_met", "not_applicable", "absent",
                                                                   "present")))
    evidence = Text(500, min_length=3, required=True)


class EligibilitySubmitSchema(SigningSchema):
    assessed_on = PastDate(required=True)
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), values=fields.Nested(AnswerSchema),
                          required=True, metadata={"description": "criterion id -> answer and evidence"})


class CriterionSchema(Schema):
    id = fields.String()
    kind = fields.String()
    text = fields.String()
    computed = fields.String()
    not_applicable = fields.Boolean()


class ChecklistSchema(Schema):
    id = fields.Integer()
    criteria_version = fields.String()
    answers = fields.Dict(attribute="answer_map")
    assessed_on = fields.Date()
    age = fields.Integer()
    outcome = fields.String()
    unmet = fields.List(fields.String(), attribute="unmet_list")
    signature_id = fields.Integer(allow_none=True)


class EligibilitySchema(Schema):
    criteria_version = fields.String()
    criteria = fields.List(fields.Nested(CriterionSchema))
    checklist = fields.Nested(ChecklistSchema, allow_none=True)
    enrolment_blockers = fields.List(fields.String())


class StatusChangeSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(PATIENT_STATES.states))
    reason = Reason(load_default=None)
    on = PastDate(load_default=None, metadata={"description": "enrolment date (default today)"})
