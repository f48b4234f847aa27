"""Schemas of the lots API."""

from marshmallow import Schema, fields, validate

from app.core.schemas import SigningSchema

from .models import KINDS

_number = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9-]{3,40}$",
                        error="3 to 40 letters, digits or '-'"))
_product_code = fields.String(required=True, validate=validate.Regexp(r"^[A-Z][0-9]{4}$",
                              error="a letter and 4 digits (ISBT 128 product code)"))


class ProductCodeSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^[SA-D][0-9]{4}$",
                         error="S (cellular therapy) or A-D (local) and 4 digits"))
    description = fields.String(required=True, validate=validate.Length(min=3, max=300))
    lot_kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    thaw_expiry_hours = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=720))
    active = fields.Boolean(dump_only=True)


class TissueLotCreateSchema(Schema):
    procurement_id = fields.Integer(required=True, strict=True)
    number = _number
    product_code = _product_code


class ChildLotCreateSchema(Schema):
    number = _number
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    product_code = _product_code
    passage = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100))
    population_doublings = fields.Decimal(load_default=None, places=2, validate=validate.Range(min=0, max=1000))
    other_parent_ids = fields.List(fields.Integer(strict=True), load_default=list,
                                   metadata={"description": "further parents besides the lot in the URL"})


class LotSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    din = fields.String()
    product_code = fields.String()
    procurement_id = fields.Integer(allow_none=True)
    passage = fields.Integer(allow_none=True)
    population_doublings = fields.Decimal(as_string=True, allow_none=True)
    state = fields.String()
    specification_id = fields.Integer(allow_none=True)
    decision_signature_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()


class MaterialUseSchema(Schema):
    material_id = fields.Integer(required=True, strict=True)
    quantity = fields.Decimal(required=True, places=3, validate=validate.Range(min=0, min_inclusive=False))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=20))


class StepCreateSchema(Schema):
    step_type = fields.String(required=True, validate=validate.Length(min=2, max=100))
    equipment = fields.String(required=True, validate=validate.Length(min=1, max=200))
    started_at = fields.AwareDateTime(required=True)
    ended_at = fields.AwareDateTime(load_default=None)
    observations = fields.String(load_default="", validate=validate.Length(max=5000))
    materials = fields.List(fields.Nested(MaterialUseSchema), load_default=list)


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
    quantity = fields.Decimal(as_string=True)
    unit = fields.String()


class StepCloseSchema(Schema):
    ended_at = fields.AwareDateTime(required=True)
    observations = fields.String(load_default=None, validate=validate.Length(max=5000))


class DeviationCreateSchema(Schema):
    description = fields.String(required=True, validate=validate.Length(min=5, max=5000))


class DeviationSchema(Schema):
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
    resolution = fields.String(required=True, validate=validate.Length(min=5, max=5000))


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
    state = fields.String(required=True, validate=validate.OneOf(("expired", "recalled")))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))
