"""Schemas of the printing API: templates and versions, printers, print jobs, label files and previews."""

from marshmallow import Schema, fields, validate

from app.core.fields import Decimal, Id, Integer, QueryInteger, Reason, Text
from app.core.pagination import PageQuerySchema
from app.core.schemas import SigningSchema
from labels.stock import DPI

from .models import JOB_STATUSES, KINDS, OUTPUTS, VERSION_STATES
from .operations import MAX_COPIES, MAX_RECORDS

_SIZE = {"places": 1, "minimum": 5, "maximum": 250}


class TemplateCreateSchema(Schema):
    name = Text(100, min_length=3, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class VersionCreateSchema(Schema):
    stock_name = Text(60, required=True, metadata={"example": "cryovial 32 x 13 mm"})
    width_mm = Decimal(**_SIZE, required=True)
    height_mm = Decimal(**_SIZE, required=True)
    margin_mm = Decimal(1, minimum=0, maximum=60, load_default="1.0")
    change_note = Text(2000, min_length=3, multiline=True, required=True,
                       metadata={"description": "what this version changes, and why"})


class VersionSchema(Schema):
    id = fields.Integer()
    template_id = fields.Integer()
    number = fields.Integer()
    stock_name = fields.String()
    width_mm = Decimal()
    height_mm = Decimal()
    margin_mm = Decimal()
    change_note = fields.String()
    sample_sha256 = fields.String()
    state = fields.String(validate=validate.OneOf(VERSION_STATES.states))
    author_id = fields.Integer()
    created_at = fields.AwareDateTime()
    approved_at = fields.AwareDateTime(allow_none=True)
    approval_signature_id = fields.Integer(allow_none=True)
    superseded_at = fields.AwareDateTime(allow_none=True)


class TemplateSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    created_by_id = fields.Integer()
    created_at = fields.AwareDateTime()
    approved_number = fields.Integer(allow_none=True, metadata={"description": "the version that prints now"})
    versions = fields.List(fields.Nested(VersionSchema))


class ApprovalSchema(SigningSchema):
    """QA's password, re-entered to sign "label template approved"."""


class PrinterCreateSchema(Schema):
    name = Text(60, required=True)
    host = Text(253, required=True, metadata={"description": "IP address or host name"})
    port = Integer(1, 65535, load_default=9100)
    dpi = Integer(203, 600, required=True, validate=validate.OneOf(DPI))
    stock_name = Text(60, required=True)
    stock_width_mm = Decimal(**_SIZE, required=True)
    stock_height_mm = Decimal(**_SIZE, required=True)


class PrinterChangeSchema(Schema):
    name = Text(60, load_default=None)
    host = Text(253, load_default=None)
    port = Integer(1, 65535, load_default=None)
    dpi = Integer(203, 600, load_default=None, validate=validate.OneOf(DPI))
    stock_name = Text(60, load_default=None)
    stock_width_mm = Decimal(**_SIZE, load_default=None)
    stock_height_mm = Decimal(**_SIZE, load_default=None)
    active = fields.Boolean(load_default=None)
    reason = Reason(required=True)


class PrinterSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    host = fields.String()
    port = fields.Integer()
    dpi = fields.Integer()
    stock_name = fields.String()
    stock_width_mm = Decimal()
    stock_height_mm = Decimal()
    active = fields.Boolean()
    created_at = fields.AwareDateTime()


class PrintJobCreateSchema(Schema):
    record_type = Text(20, required=True, metadata={"description": "unit, lot or box (doses and patients come with "
                                                                   "dispensing)", "example": "unit"})
    record_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=MAX_RECORDS))
    output = fields.String(load_default="pdf", validate=validate.OneOf(OUTPUTS),
                           metadata={"description": "pdf or zpl: the file is the answer; printer: sent to printer_id"})
    copies = Integer(1, MAX_COPIES, load_default=1)
    printer_id = Id(load_default=None, allow_none=True)
    dpi = Integer(203, 600, load_default=None, allow_none=True, validate=validate.OneOf(DPI),
                  metadata={"description": "resolution of a ZPL file (default 203)"})
    template_id = Id(load_default=None, allow_none=True,
                     metadata={"description": "needed only when several templates of the kind are approved"})
    reason = Reason(load_default=None, allow_none=True, metadata={"description": "required for a reprint"})


class PrintedRecordSchema(Schema):
    position = fields.Integer()
    record_type = fields.String()
    record_id = fields.Integer()
    identifier = fields.String()


class PrintJobSchema(Schema):
    id = fields.Integer()
    template_version_id = fields.Integer()
    record_type = fields.String()
    output = fields.String()
    printer_id = fields.Integer(allow_none=True)
    dpi = fields.Integer(allow_none=True)
    copies = fields.Integer()
    labels = fields.Integer()
    status = fields.String(validate=validate.OneOf(JOB_STATUSES.states))
    error = fields.String(allow_none=True)
    reprint = fields.Boolean()
    reason = fields.String(allow_none=True)
    content_sha256 = fields.String()
    requested_by_id = fields.Integer()
    requested_at = fields.AwareDateTime()
    records = fields.List(fields.Nested(PrintedRecordSchema))


class PrintJobQuerySchema(PageQuerySchema):
    record_type = Text(20, load_default=None)
    record_id = QueryInteger(1, 2**31 - 1, load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(JOB_STATUSES.states))


class LabelFileQuerySchema(Schema):
    copies = QueryInteger(1, MAX_COPIES, load_default=1)
    template_id = QueryInteger(1, 2**31 - 1, load_default=None)
    reason = Reason(load_default=None, metadata={"description": "required when the record was printed before"})


class ZplFileQuerySchema(LabelFileQuerySchema):
    dpi = QueryInteger(203, 600, load_default=203, validate=validate.OneOf(DPI))


class PreviewQuerySchema(Schema):
    dpi = QueryInteger(72, 600, load_default=300)
    template_id = QueryInteger(1, 2**31 - 1, load_default=None)
