"""Schemas of the audit trail API."""

from marshmallow import Schema, fields

from app.core.fields import Moment, QueryInteger, Text


class AuditQuerySchema(Schema):
    entity_type = Text(80, load_default=None)
    entity_id = Text(40, load_default=None)
    user = Text(80, load_default=None, metadata={"description": "actor username"})
    action = Text(120, load_default=None)
    since = Moment(load_default=None, metadata={"description": "inclusive, ISO-8601 with offset"})
    until = Moment(load_default=None, metadata={"description": "exclusive, ISO-8601 with offset"})
    page = QueryInteger(1, 10_000_000, load_default=1)
    per_page = QueryInteger(1, 500, load_default=50)


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    recorded_at = fields.String()
    actor_id = fields.Integer(allow_none=True)
    actor_username = fields.String()
    actor_name = fields.String()
    actor_roles = fields.String()
    action = fields.String()
    entity_type = fields.String(allow_none=True)
    entity_id = fields.String(allow_none=True)
    operation = fields.String()
    reason = fields.String(allow_none=True)
    changes = fields.Dict(metadata={"description": "field: [old, new]"})
    prev_hash = fields.String()
    entry_hash = fields.String()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class VerdictSchema(Schema):
    ok = fields.Boolean()
    entries = fields.Integer()
    head_seq = fields.Integer()
    first_bad_seq = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)
