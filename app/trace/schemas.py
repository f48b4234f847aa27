"""Trace API: the query (where from, which way) and the answer."""

import re

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.core.validators import MAX_ID

from .registry import STARTABLE
from .walk import DIRECTIONS

START = re.compile(rf"^({'|'.join(STARTABLE)}):([0-9]{{1,10}})$")


class StartField(fields.String):
    """``<type>:<id>``: where a trace starts."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"pattern": START.pattern, "example": "donor:1",
                              "description": f"<type>:<id>, type one of {', '.join(STARTABLE)}"}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        match = START.fullmatch(text)
        if match is None:
            raise ValidationError(f"must be <type>:<id> with type one of {', '.join(STARTABLE)}")
        node_id = int(match.group(2))
        if not 1 <= node_id <= MAX_ID:
            raise ValidationError(f"the id must be between 1 and {MAX_ID}")
        return match.group(1), node_id


class TraceQuerySchema(Schema):
    start = StartField(required=True, data_key="from")
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))

    @post_load
    def split(self, data, **kwargs):
        start_type, start_id = data.pop("start")
        return {**data, "start_type": start_type, "start_id": start_id}


class EdgeSchema(Schema):
    source = fields.String(data_key="from", attribute="from")
    target = fields.String(data_key="to", attribute="to")
    kind = fields.String()


class TraceSchema(Schema):
    nodes = fields.List(fields.Dict(), metadata={
        "description": "each with key (<type>:<id>), type, id, label and the facts of its type"})
    edges = fields.List(fields.Nested(EdgeSchema))
    summary = fields.Dict()
