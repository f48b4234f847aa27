"""Schemas of the biovigilance API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Id, PastDate, Reason, Text
from app.core.pagination import PageQuerySchema
from app.signatures.schemas import Signatures

from .models import EXPECTEDNESS, IMPUTABILITY, KINDS, OUTCOMES, SERIOUSNESS
from .operations import LONG_TEXT, missing


class AdverseEventCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "an adverse reaction (in the patient) or an adverse event"})
    occurred_on = PastDate(required=True)
    aware_on = PastDate(load_default=None, metadata={"description": "when the site learnt of it; today if left out"})
    description = Text(LONG_TEXT, min_length=3, multiline=True, required=True)
    seriousness = fields.String(required=True, validate=validate.OneOf(SERIOUSNESS),
                                metadata={"description": "non-serious, or the seriousness criterion met"})
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    dose_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=3),
                           metadata={"description": "the patient's administered doses it relates to"})


class CaseBriefSchema(Schema):
    id = fields.Integer()
    report_id = fields.String()
    state = fields.String()
    due_on = fields.Date()


class EventFactsSchema(Schema):
    id = fields.Integer()
    patient_id = fields.Integer()
    kind = fields.String()
    occurred_on = fields.Date()
    aware_on = fields.Date()
    description = fields.String()
    seriousness = fields.String()
    outcome = fields.String()
    serious = fields.Boolean()
    reported_by_id = fields.Integer()
    reported_at = fields.AwareDateTime()
    dose_ids = fields.Function(lambda event: [link.dose_id for link in event.doses])


class AdverseEventSchema(EventFactsSchema):
    case = fields.Nested(CaseBriefSchema, allow_none=True, metadata={"description": "the case a serious one opened"})


class CaseProductSchema(Schema):
    dose_id = fields.Integer()
    dose_barcode = fields.String()
    lot_id = fields.Integer()
    lot_number = fields.String()
    product_code = fields.String(allow_none=True)
    din = fields.String()


class CaseSchema(Schema):
    signatures = Signatures()
    id = fields.Integer()
    report_id = fields.String()
    state = fields.String()
    event = fields.Nested(EventFactsSchema)
    opened_at = fields.AwareDateTime()
    due_on = fields.Date()
    establishment = fields.String()
    establishment_fin = fields.String()
    trial_number = fields.String()
    reaction_type = fields.String(allow_none=True)
    imputability = fields.String(allow_none=True)
    expectedness = fields.String(allow_none=True)
    cause = fields.String(allow_none=True)
    corrective_actions = fields.String(allow_none=True)
    submitted_at = fields.AwareDateTime(allow_none=True)
    dins = fields.List(fields.String(), metadata={"description": "the donations the backward trace reached"})
    products = fields.List(fields.Nested(CaseProductSchema))
    missing = fields.Function(missing, metadata={"description": "what the notification still needs"})


class CaseEditSchema(Schema):
    reaction_type = Text(LONG_TEXT, min_length=3, multiline=True)
    imputability = fields.String(validate=validate.OneOf(IMPUTABILITY))
    expectedness = fields.String(validate=validate.OneOf(EXPECTEDNESS))
    cause = Text(LONG_TEXT, min_length=3, multiline=True)
    corrective_actions = Text(LONG_TEXT, min_length=3, multiline=True)
    reason = Reason(required=True)


class CaseSubmitSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    reason = Reason(load_default=None)


class CaseQuerySchema(PageQuerySchema):
    state = fields.String(load_default=None, validate=validate.OneOf(("open", "submitted")))
