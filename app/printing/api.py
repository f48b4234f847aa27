"""Printing API: label templates and their QA approval, printers, and print jobs (files or a Zebra printer)."""

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires

from . import operations, printers, versions
from .models import LabelTemplate, PrintedRecord, Printer, PrintJob, TemplateVersion
from .schemas import (
    ApprovalSchema,
    PreviewQuerySchema,
    PrinterChangeSchema,
    PrinterCreateSchema,
    PrinterSchema,
    PrintJobCreateSchema,
    PrintJobQuerySchema,
    PrintJobSchema,
    TemplateCreateSchema,
    TemplateSchema,
    VersionCreateSchema,
    VersionSchema,
)

blp = Blueprint("printing_api", __name__, url_prefix="/api/v1", description="Label templates, printers, print jobs")
etags.register("template_id", LabelTemplate)
etags.register("version_id", TemplateVersion)
etags.register("printer_id", Printer)
BINARY = {"type": "string", "format": "binary"}
JOB_HEADER = {"X-Print-Job": {"description": "id of the recorded print job", "schema": {"type": "integer"}}}
CREATED = ("the job is recorded. Output pdf: the labels as one PDF, a page each; zpl: one ZPL file, a format each "
           "(header X-Print-Job names the job); printer: the job, delivered or failed with the printer's error")


def file_response(content: bytes, media_type: str, filename: str | None = None, job: PrintJob | None = None,
                  status: int = 200) -> Response:
    """Bytes as an answer: a download when named, with the print job that recorded them."""
    response = Response(content, status=status, mimetype=media_type)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if job is not None:
        response.headers["X-Print-Job"] = str(job.id)
    return response


@blp.route("/label-templates")
class Templates(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(TemplateSchema))
    def get(self, query):
        """Every label template with its versions."""
        return paginate(select(LabelTemplate).options(selectinload(LabelTemplate.versions))
                        .order_by(LabelTemplate.kind, LabelTemplate.name), query)

    @requires("labels.design")
    @blp.arguments(TemplateCreateSchema)
    @blp.response(201, TemplateSchema)
    def post(self, data):
        """A new template of a kind; it prints once QA approves a version of it."""
        return versions.create_template(data["name"], data["kind"], current_user)


@blp.route("/label-templates/<int:template_id>")
class TemplateById(MethodView):
    @requires("read")
    @blp.response(200, TemplateSchema)
    def get(self, template_id):
        return versions.get_template(template_id)


@blp.route("/label-templates/<int:template_id>/versions")
class TemplateVersions(MethodView):
    @requires("labels.design")
    @blp.arguments(VersionCreateSchema)
    @blp.response(201, VersionSchema)
    def post(self, data, template_id):
        """A new draft version: its stock and layout parameters; refused when the sample does not fit."""
        return versions.add_version(versions.get_template(template_id), current_user, data)


@blp.route("/label-template-versions/<int:version_id>")
class VersionById(MethodView):
    @requires("read")
    @blp.response(200, VersionSchema)
    def get(self, version_id):
        return versions.get_version(version_id)


@blp.route("/label-template-versions/<int:version_id>/approve")
class Approve(MethodView):
    @requires("labels.approve")
    @blp.arguments(ApprovalSchema)
    @blp.response(200, VersionSchema)
    @blp.alt_response(401, description="wrong password: nothing is signed and the failure counts toward lockout")
    def post(self, data, version_id):
        """QA approves a draft with an e-signature (not its author); the version approved before is superseded."""
        return versions.approve(versions.get_version(version_id), current_user, data["password"], data["reason"])


@blp.route("/label-template-versions/<int:version_id>/sample.png")
class Sample(MethodView):
    @requires("read")
    @blp.arguments(PreviewQuerySchema, location="query")
    @blp.response(200, BINARY, content_type="image/png", description="the version's sample label")
    def get(self, query, version_id):
        """The version's sample label as PNG, whatever its state (a superseded version stays viewable)."""
        return file_response(versions.sample_png(versions.get_version(version_id), query["dpi"]), "image/png")


@blp.route("/printers")
class Printers(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(PrinterSchema))
    def get(self, query):
        return paginate(select(Printer).order_by(Printer.name), query)

    @requires("printers.configure")
    @blp.arguments(PrinterCreateSchema)
    @blp.response(201, PrinterSchema)
    def post(self, data):
        """Configure a Zebra printer: name, host, raw TCP port, resolution and the stock loaded in it."""
        return printers.create_printer(data)


@blp.route("/printers/<int:printer_id>")
class PrinterById(MethodView):
    @requires("read")
    @blp.response(200, PrinterSchema)
    def get(self, printer_id):
        return printers.get_printer(printer_id)

    @requires("printers.configure")
    @blp.arguments(PrinterChangeSchema)
    @blp.response(200, PrinterSchema)
    def put(self, data, printer_id):
        """Change a printer (another host, other stock loaded, out of service), with a reason."""
        reason = data.pop("reason")
        return printers.change_printer(printers.get_printer(printer_id), data, reason)


@blp.route("/print-jobs")
class PrintJobs(MethodView):
    @requires("read")
    @blp.arguments(PrintJobQuerySchema, location="query")
    @blp.response(200, page_of(PrintJobSchema))
    def get(self, query):
        """Print jobs, newest first, filtered by record and status, a page at a time."""
        statement = select(PrintJob).order_by(PrintJob.id.desc())
        if query["record_type"] is not None or query["record_id"] is not None:
            printed = select(PrintedRecord.job_id)
            if query["record_type"] is not None:
                printed = printed.where(PrintedRecord.record_type == query["record_type"])
            if query["record_id"] is not None:
                printed = printed.where(PrintedRecord.record_id == query["record_id"])
            statement = statement.where(PrintJob.id.in_(printed))
        if query["status"] is not None:
            statement = statement.where(PrintJob.status == query["status"])
        return paginate(statement, query)

    @requires("labels.print")
    @blp.arguments(PrintJobCreateSchema)
    @blp.response(201, PrintJobSchema, description=CREATED)
    @blp.alt_response(201, schema=BINARY, content_type="application/pdf", success=True, description=CREATED,
                      headers=JOB_HEADER)
    @blp.alt_response(201, schema=BINARY, content_type="application/zpl", success=True, description=CREATED,
                      headers=JOB_HEADER)
    def post(self, data):
        """Print the labels of records of one type (e.g. every vial of a lot) into one file, or on a printer."""
        printer = printers.get_printer(data["printer_id"]) if data["printer_id"] is not None else None
        printed = operations.print_labels(data["record_type"], data["record_ids"], current_user, data["output"],
                                          data["copies"], printer, data["dpi"], data["template_id"], data["reason"])
        if printed.job.output == "printer":
            return printed.job
        return file_response(printed.content, printed.media_type, printed.filename, printed.job, status=201)
