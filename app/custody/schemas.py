"""Schemas of the shipments API."""

from marshmallow import Schema, fields, validate


class DispatchSchema(Schema):
    unit_ids = fields.List(fields.Integer(strict=True), required=True, validate=validate.Length(min=1, max=500))
    destination = fields.String(required=True, validate=validate.Length(min=2, max=200))
    shipper = fields.String(required=True, validate=validate.Length(min=1, max=60))


class UnitDispatchSchema(Schema):
    destination = fields.String(required=True, validate=validate.Length(min=2, max=200))
    shipper = fields.String(required=True, validate=validate.Length(min=1, max=60))


class ReceiptSchema(Schema):
    codes = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                        metadata={"description": "every unit code scanned out of the shipper"})
    resolution = fields.String(load_default=None, validate=validate.Length(max=2000),
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
