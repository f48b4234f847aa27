"""Schemas of the recalls API."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from app.core.fields import Reason, Text
from app.core.pagination import PageQuerySchema
from app.core.validators import MAX_ID
from app.signatures.schemas import Signatures

from .models import DISPOSITIONS, TARGETS

TARGET = re.compile(rf"^({'|'.join(TARGETS)}):([0-9]{{1,10}})$")


class TargetField(fields.String):
    """``<type>:<id>``: what is recalled (with everything descending from it)."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"pattern": TARGET.pattern, "example": "lot:12",
                              "description": f"<type>:<id>, type one of {', '.join(TARGETS)}"}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        match = TARGET.fullmatch(super()._deserialize(value, attr, data, **kwargs).strip())
        if match is None:
            raise ValidationError(f"must be <type>:<id> with type one of {', '.join(TARGETS)}")
        if not 1 <= int(match.group(2)) <= MAX_ID:
            raise ValidationError(f"the id must be between 1 and {MAX_ID}")
        return match.group(1), int(match.group(2))


class RecallOpenSchema(Schema):
    target = TargetField(required=True)
    reason = Reason(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


class RecallCloseSchema(Schema):
    note = Reason(required=True, metadata={"description": "how the recall was concluded"})
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


class DispositionSchema(Schema):
    barcode = Text(60, required=True, metadata={"description": "the unit's barcode, as scanned"})
    disposition = fields.String(required=True, validate=validate.OneOf(DISPOSITIONS))
    note = Reason(load_default=None)


class RecallSchema(Schema):
    signatures = Signatures()
    id = fields.Integer()
    number = fields.String()
    target = fields.String()
    target_label = fields.String()
    reason = fields.String()
    state = fields.String()
    opened_by_id = fields.Integer()
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    closure_note = fields.String(allow_none=True)


class RecallLotSchema(Schema):
    lot_id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    state_before = fields.String()
    state = fields.String()


class RecallUnitSchema(Schema):
    unit_id = fields.Integer()
    barcode = fields.String()
    lot = fields.String()
    container_type = fields.String()
    state_at_recall = fields.String()
    state = fields.String()
    location = fields.String(metadata={"description": "where the unit is now, in words"})
    required_action = fields.String(metadata={"description": "quarantine in place, return or destroy"})
    disposition = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    disposed_at = fields.AwareDateTime(allow_none=True)
    disposed_by = fields.String(allow_none=True)


class RecallDoseSchema(Schema):
    dose_id = fields.Integer()
    barcode = fields.String()
    dose_number = fields.Integer()
    patient_id = fields.Integer()
    patient = fields.String()
    state = fields.String()
    state_at_recall = fields.String()
    blocked = fields.Boolean()
    received = fields.Boolean()
    dispensed_at = fields.AwareDateTime(allow_none=True)
    administered_at = fields.AwareDateTime(allow_none=True)


class RecallSummarySchema(Schema):
    lots = fields.Integer()
    units = fields.Integer()
    open_units = fields.Integer()
    blocked_doses = fields.Integer()
    patients = fields.Integer()


class RecallDetailSchema(Schema):
    recall = fields.Nested(RecallSchema)
    summary = fields.Nested(RecallSummarySchema)
    lots = fields.List(fields.Nested(RecallLotSchema))
    doses = fields.List(fields.Nested(RecallDoseSchema))
    patients = fields.List(fields.Nested(RecallDoseSchema), metadata={"description": "doses dispensed to patients"})


class RecallQuerySchema(PageQuerySchema):
    state = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))


class RecallUnitQuerySchema(PageQuerySchema):
    open = fields.Boolean(load_default=False, metadata={"description": "only the units not accounted for yet"})
