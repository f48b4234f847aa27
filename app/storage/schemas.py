"""Schemas of the storage, units and scan API."""

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from app.core.fields import Decimal, Id, Integer, QueryInteger, Reason, Text
from app.core.pagination import PageQuerySchema
from app.core.validators import MAX_ID

from .models import CONTAINER_TYPES, LOCATION_KINDS, UNIT_STATES, UNIT_TYPES

_TEMPERATURE = {"places": 1, "minimum": "-273.1", "maximum": "999.9", "load_default": None, "allow_none": True}


class BoxGridSchema(Schema):
    rows = Integer(1, 26, load_default=None, allow_none=True)
    columns = Integer(1, 30, load_default=None, allow_none=True)
    row_labels = Text(26, load_default=None, allow_none=True)
    column_labels = Text(200, load_default=None, allow_none=True)
    fill_order = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("row", "column")))


class LocationCreateSchema(BoxGridSchema):
    parent_id = Id(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(LOCATION_KINDS))
    name = Text(100, required=True)
    unit_type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(UNIT_TYPES))
    min_temp_c = Decimal(**_TEMPERATURE)
    max_temp_c = Decimal(**_TEMPERATURE)


class TankTemplateSchema(Schema):
    room_id = Id(required=True)
    name = Text(60, required=True)
    unit_type = fields.String(load_default="ln2_vapour", validate=validate.OneOf(UNIT_TYPES))
    min_temp_c = Decimal(**_TEMPERATURE)
    max_temp_c = Decimal(**_TEMPERATURE)
    racks = Integer(1, 50, required=True)
    boxes_per_rack = Integer(1, 50, required=True)
    box = fields.Nested(BoxGridSchema, required=True)


class BoxSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    kind = fields.String()
    name = fields.String()
    barcode = fields.String()
    unit_type = fields.String(allow_none=True)
    min_temp_c = Decimal(allow_none=True)
    max_temp_c = Decimal(allow_none=True)
    rows = fields.Integer(allow_none=True)
    columns = fields.Integer(allow_none=True)
    row_labels = fields.String(allow_none=True)
    column_labels = fields.String(allow_none=True)
    fill_order = fields.String(allow_none=True)


class LocationSchema(BoxSchema):
    children = fields.List(fields.Nested(lambda: LocationSchema()), dump_default=list)


class LocationQuerySchema(PageQuerySchema):
    parent_id = QueryInteger(1, MAX_ID, load_default=None,
                             metadata={"description": "the location whose children to list; none: the sites"})


class LocationNodeSchema(BoxSchema):
    """One location of one level of the tree."""

    children = fields.Integer(metadata={"description": "how many locations are directly under it"})
    occupied = fields.Integer(allow_none=True, metadata={"description": "boxes: how many positions hold a unit"})


class UnitQuerySchema(PageQuerySchema):
    lot_id = QueryInteger(1, MAX_ID, load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(UNIT_STATES.states))
    box_id = QueryInteger(1, MAX_ID, load_default=None)


class BoxMapSchema(Schema):
    box = fields.Nested(BoxSchema)
    cells = fields.List(fields.Dict(), metadata={
        "description": "row, col, label, status (free, occupied, blocked), unit_id, barcode, flagged"})


class UnitsCreateSchema(Schema):
    count = Integer(1, 702, required=True)
    container_type = fields.String(required=True, validate=validate.OneOf(CONTAINER_TYPES))
    volume_ml = Decimal(2, minimum=0, min_inclusive=False, maximum="999999.99", required=True)
    cells = Integer(0, required=True)
    qc_samples = Integer(0, 702, load_default=0)


class UnitSchema(Schema):
    id = fields.Integer()
    barcode = fields.String()
    lot_id = fields.Integer()
    division = fields.String()
    container_type = fields.String()
    volume_ml = Decimal()
    cells = fields.Integer()
    state = fields.String()
    box_id = fields.Integer(allow_none=True)
    row = fields.Integer(allow_none=True)
    col = fields.Integer(allow_none=True)
    qc_sample = fields.Boolean()
    created_at = fields.AwareDateTime()


class ConfirmationSchema(Schema):
    confirmation = fields.String(load_default="scan", validate=validate.OneOf(("scan", "manual")))
    manual_reason = Reason(500, load_default=None, allow_none=True)


def _from_box():
    return Id(load_default=None, allow_none=True, metadata={
        "description": "the box scanned before the unit: refused (409) if the unit is not in it"})


class RetrievalSchema(ConfirmationSchema):
    from_box_id = _from_box()


class PlacementSchema(ConfirmationSchema):
    box_id = Id(required=True)
    position = Text(40, load_default=None, allow_none=True,
                    metadata={"description": "e.g. C7; none: next free position"})
    row = Integer(1, 26, load_default=None, allow_none=True)
    col = Integer(1, 30, load_default=None, allow_none=True)

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
    code = Text(500, required=True)


class BlockSchema(Schema):
    position = Text(40, required=True, metadata={"description": "e.g. A1"})
    reason = Reason(200, required=True)


class ReasonedSchema(Schema):
    reason = Reason(required=True)


class BoxMoveSchema(Schema):
    rack_id = Id(required=True)


class EvacuationSchema(Schema):
    target_id = Id(required=True)
