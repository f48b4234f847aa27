"""Schemas of the lots API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Decimal, Id, Integer, LotNumber, Moment, PastDateTime, Reason, Text
from app.core.pagination import PageQuerySchema
from app.core.schemas import SigningSchema
from app.signatures.schemas import Signatures

from .models import KINDS, LOT_STATES

_number = LotNumber(required=True)
_product_code = fields.String(required=True, validate=validate.Regexp(r"^[A-Z][0-9]{4}$",
                              error="a letter and 4 digits (ISBT 128 product code)"))


class ProductCodeSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^[SA-D][0-9]{4}$",
                         error="S (cellular therapy) or A-D (local) and 4 digits"))
    description = Text(300, min_length=3, required=True)
    lot_kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    thaw_expiry_hours = Integer(1, 720, load_default=None, allow_none=True)
    active = fields.Boolean(dump_only=True)


class TissueLotCreateSchema(Schema):
    procurement_id = Id(required=True)
    number = _number
    product_code = _product_code


class ChildLotCreateSchema(Schema):
    number = _number
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    product_code = _product_code
    passage = Integer(0, 100, load_default=None, allow_none=True)
    population_doublings = Decimal(2, minimum=0, maximum=1000, load_default=None, allow_none=True)
    other_parent_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=50),
                                   metadata={"description": "further parents besides the lot in the URL"})


class LotSchema(Schema):
    signatures = Signatures()
    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    din = fields.String()
    product_code = fields.String()
    division = fields.String(metadata={"description": "ISBT 128 division of the lot as a whole (its bag label)"})
    expires_at = fields.AwareDateTime(allow_none=True)
    procurement_id = fields.Integer(allow_none=True)
    passage = fields.Integer(allow_none=True)
    population_doublings = Decimal(allow_none=True)
    state = fields.String()
    specification_id = fields.Integer(allow_none=True)
    decision_signature_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()


class MaterialUseSchema(Schema):
    material_id = Id(required=True)
    quantity = Decimal(3, minimum=0, min_inclusive=False, maximum="999999999.999", required=True)
    unit = Text(20, required=True)


class StepCreateSchema(Schema):
    step_type = Text(100, min_length=2, required=True)
    equipment = Text(200, required=True)
    started_at = PastDateTime(required=True)
    ended_at = PastDateTime(load_default=None, allow_none=True)
    observations = Text(5000, multiline=True, load_default=None, allow_none=True)
    materials = fields.List(fields.Nested(MaterialUseSchema), load_default=list, validate=validate.Length(max=100))


class StepSchema(Schema):
    id = fields.Integer()
    lot_id = fields.Integer()
    step_type = fields.String()
    operator_id = fields.Integer()
    equipment = fields.String()
    started_at = fields.AwareDateTime()
    ended_at = fields.AwareDateTime(allow_none=True)
    observations = fields.String()
    materials = fields.List(fields.Nested(lambda: StepMaterialSchema()))


class StepMaterialSchema(Schema):
    material_lot_id = fields.Integer()
    quantity = Decimal()
    unit = fields.String()


class StepCloseSchema(Schema):
    ended_at = PastDateTime(required=True)
    observations = Text(5000, multiline=True, load_default=None, allow_none=True)


class DeviationCreateSchema(Schema):
    description = Text(5000, min_length=5, multiline=True, required=True)


class DeviationSchema(Schema):
    signatures = Signatures()
    id = fields.Integer()
    lot_id = fields.Integer()
    description = fields.String()
    origin = fields.String()
    qc_result_id = fields.Integer(allow_none=True)
    opened_by_id = fields.Integer()
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    resolution = fields.String(allow_none=True)
    closure_signature_id = fields.Integer(allow_none=True)


class DeviationCloseSchema(SigningSchema):
    resolution = Text(5000, min_length=5, multiline=True, required=True)


class LotNodeSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    state = fields.String()
    passage = fields.Integer(allow_none=True)


class GenealogySchema(Schema):
    lot_id = fields.Integer()
    nodes = fields.List(fields.Nested(LotNodeSchema))
    edges = fields.List(fields.Dict())


class RetireSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(
        ("expired",), error="only expired: a recall is opened, signed, with POST /api/v1/recalls"))
    reason = Reason(required=True)


class ExpirySchema(Schema):
    expires_at = Moment(required=True, metadata={"description": "to the minute, with its UTC offset; in the future"})
    reason = Reason(required=True)


class LotQuerySchema(PageQuerySchema):
    state = fields.String(load_default=None, validate=validate.OneOf(LOT_STATES.states))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    number = Text(40, load_default=None, metadata={"description": "lots whose number starts with this"})
