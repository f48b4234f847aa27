"""Schemas of the shipments API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Id, Reason, Text
from app.core.pagination import PageQuerySchema


class DispatchSchema(Schema):
    unit_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=500))
    destination = Text(200, min_length=2, required=True)
    shipper = Text(60, required=True)


class UnitDispatchSchema(Schema):
    destination = Text(200, min_length=2, required=True)
    shipper = Text(60, required=True)


class ReceiptSchema(Schema):
    codes = fields.List(Text(200), required=True, validate=validate.Length(max=2000),
                        metadata={"description": "every unit code scanned out of the shipper"})
    resolution = Reason(load_default=None, allow_none=True,
                        metadata={"description": "required when a unit is missing or unexpected"})


class ShipmentItemSchema(Schema):
    unit_id = fields.Integer()
    received = fields.Boolean(allow_none=True)


class ShipmentSchema(Schema):
    id = fields.Integer()
    destination = fields.String()
    shipper = fields.String()
    dispatched_by_id = fields.Integer()
    dispatched_at = fields.AwareDateTime()
    received_by_id = fields.Integer(allow_none=True)
    received_at = fields.AwareDateTime(allow_none=True)
    discrepancy = fields.String(allow_none=True)
    items = fields.List(fields.Nested(ShipmentItemSchema))


class ShipmentQuerySchema(PageQuerySchema):
    received = fields.Boolean(load_default=None, metadata={"description": "received (true) or still in transit"})
