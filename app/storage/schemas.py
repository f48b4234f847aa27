"""Schemas of the storage, units and scan API."""

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from .models import CONTAINER_TYPES, LOCATION_KINDS, UNIT_TYPES


class BoxGridSchema(Schema):
    rows = fields.Integer(load_default=None, validate=validate.Range(min=1, max=26))
    columns = fields.Integer(load_default=None, validate=validate.Range(min=1, max=30))
    row_labels = fields.String(load_default=None, validate=validate.Length(min=1, max=26))
    column_labels = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    fill_order = fields.String(load_default=None, validate=validate.OneOf(("row", "column")))


class LocationCreateSchema(BoxGridSchema):
    parent_id = fields.Integer(load_default=None, strict=True)
    kind = fields.String(required=True, validate=validate.OneOf(LOCATION_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    unit_type = fields.String(load_default=None, validate=validate.OneOf(UNIT_TYPES))
    min_temp_c = fields.Decimal(load_default=None, places=1)
    max_temp_c = fields.Decimal(load_default=None, places=1)


class TankTemplateSchema(Schema):
    room_id = fields.Integer(required=True, strict=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    unit_type = fields.String(load_default="ln2_vapour", validate=validate.OneOf(UNIT_TYPES))
    min_temp_c = fields.Decimal(load_default=None, places=1)
    max_temp_c = fields.Decimal(load_default=None, places=1)
    racks = fields.Integer(required=True, validate=validate.Range(min=1, max=50))
    boxes_per_rack = fields.Integer(required=True, validate=validate.Range(min=1, max=50))
    box = fields.Nested(BoxGridSchema, required=True)


class BoxSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    kind = fields.String()
    name = fields.String()
    barcode = fields.String()
    unit_type = fields.String(allow_none=True)
    min_temp_c = fields.Decimal(as_string=True, allow_none=True)
    max_temp_c = fields.Decimal(as_string=True, allow_none=True)
    rows = fields.Integer(allow_none=True)
    columns = fields.Integer(allow_none=True)
    row_labels = fields.String(allow_none=True)
    column_labels = fields.String(allow_none=True)
    fill_order = fields.String(allow_none=True)


class LocationSchema(BoxSchema):
    children = fields.List(fields.Nested(lambda: LocationSchema()), dump_default=list)


class BoxMapSchema(Schema):
    box = fields.Nested(BoxSchema)
    cells = fields.List(fields.Dict(), metadata={
        "description": "row, col, label, status (free, occupied, blocked), unit_id, barcode, flagged"})


class UnitsCreateSchema(Schema):
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=702))
    container_type = fields.String(required=True, validate=validate.OneOf(CONTAINER_TYPES))
    volume_ml = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, min_inclusive=False))
    cells = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    qc_samples = fields.Integer(load_default=0, validate=validate.Range(min=0))


class UnitSchema(Schema):
    id = fields.Integer()
    barcode = fields.String()
    lot_id = fields.Integer()
    division = fields.String()
    container_type = fields.String()
    volume_ml = fields.Decimal(as_string=True)
    cells = fields.Integer()
    state = fields.String()
    box_id = fields.Integer(allow_none=True)
    row = fields.Integer(allow_none=True)
    col = fields.Integer(allow_none=True)
    qc_sample = fields.Boolean()
    created_at = fields.AwareDateTime()


class ConfirmationSchema(Schema):
    confirmation = fields.String(load_default="scan", validate=validate.OneOf(("scan", "manual")))
    manual_reason = fields.String(load_default=None, validate=validate.Length(max=500))


def _from_box():
    return fields.Integer(load_default=None, strict=True, metadata={
        "description": "the box scanned before the unit: refused (409) if the unit is not in it"})


class RetrievalSchema(ConfirmationSchema):
    from_box_id = _from_box()


class PlacementSchema(ConfirmationSchema):
    box_id = fields.Integer(required=True, strict=True)
    position = fields.String(load_default=None, metadata={"description": "e.g. C7; none: next free position"})
    row = fields.Integer(load_default=None, validate=validate.Range(min=1))
    col = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def _row_and_col_together(self, data, **kwargs):
        if (data.get("row") is None) != (data.get("col") is None):
            raise ValidationError("give both row and col, or a position label, or neither", "row")


class MoveSchema(PlacementSchema):
    from_box_id = _from_box()


class CustodyEventSchema(Schema):
    id = fields.Integer()
    sequence = fields.Integer()
    previous_id = fields.Integer(allow_none=True)
    event_type = fields.String()
    from_place = fields.String(allow_none=True)
    to_place = fields.String()
    actor_id = fields.Integer()
    at = fields.AwareDateTime()
    confirmation = fields.String()
    manual_reason = fields.String(allow_none=True)


class ScanSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=500))


class BlockSchema(Schema):
    position = fields.String(required=True, metadata={"description": "e.g. A1"})
    reason = fields.String(required=True, validate=validate.Length(min=3, max=200))


class ReasonedSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class BoxMoveSchema(Schema):
    rack_id = fields.Integer(required=True, strict=True)


class EvacuationSchema(Schema):
    target_id = fields.Integer(required=True, strict=True)
