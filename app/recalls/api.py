"""Recalls API: open (signed), read, record each unit's disposition, close (signed), the report PDF."""

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import page_of, paginate
from app.core.permissions import requires
from app.signatures.operations import preload_signatures

from . import operations
from .models import Recall
from .overview import describe_units, overview, unit_rows
from .report import recall_report
from .schemas import (
    DispositionSchema,
    RecallCloseSchema,
    RecallDetailSchema,
    RecallOpenSchema,
    RecallQuerySchema,
    RecallSchema,
    RecallUnitQuerySchema,
    RecallUnitSchema,
)

blp = Blueprint("recalls_api", __name__, url_prefix="/api/v1", description="Recalls")
etags.register("recall_id", Recall)


@blp.route("/recalls")
class Recalls(MethodView):
    @requires("read")
    @blp.arguments(RecallQuerySchema, location="query")
    @blp.response(200, page_of(RecallSchema))
    def get(self, query):
        """Every recall, newest first."""
        statement = select(Recall).order_by(Recall.id.desc())
        if query["state"]:
            statement = statement.where(Recall.state == query["state"])
        return paginate(statement, query, preload_signatures)

    @requires("recalls.open")
    @blp.arguments(RecallOpenSchema)
    @blp.response(201, RecallDetailSchema)
    def post(self, data):
        """QA opens a signed recall: every lot descending from the target is recalled, every unit and undispensed
        dose of them is blocked, in this one transaction."""
        target_type, target_id = data["target"]
        recall = operations.open_recall(target_type, target_id, current_user, data["password"], data["reason"])
        return overview(recall)


@blp.route("/recalls/<int:recall_id>")
class RecallById(MethodView):
    @requires("read")
    @blp.response(200, RecallDetailSchema)
    def get(self, recall_id):
        """The recall with its lots, counts, doses and every patient who received affected material."""
        return overview(operations.get_recall(recall_id))


@blp.route("/recalls/<int:recall_id>/units")
class RecallUnits(MethodView):
    @requires("read")
    @blp.arguments(RecallUnitQuerySchema, location="query")
    @blp.response(200, page_of(RecallUnitSchema))
    def get(self, query, recall_id):
        """The recall's units: where each is now, what must happen to it and what was done."""
        page = paginate(unit_rows(operations.get_recall(recall_id), query["open"]), query)
        return {**page, "items": describe_units(page["items"])}


@blp.route("/recalls/<int:recall_id>/dispositions")
class Dispositions(MethodView):
    @requires("recalls.dispose")
    @blp.arguments(DispositionSchema)
    @blp.response(201, RecallUnitSchema)
    def post(self, data, recall_id):
        """Record what was done with a scanned unit of the recall: quarantined in place, returned or destroyed."""
        row = operations.record_disposition(operations.get_recall(recall_id), data["barcode"], current_user,
                                            data["disposition"], data["note"])
        return describe_units([row])[0]


@blp.route("/recalls/<int:recall_id>/close")
class Close(MethodView):
    @requires("recalls.close")
    @blp.arguments(RecallCloseSchema)
    @blp.response(200, RecallSchema)
    def post(self, data, recall_id):
        """QA closes the recall, signed, once every unit is accounted for (else 409 naming the open units)."""
        return operations.close_recall(operations.get_recall(recall_id), current_user, data["password"], data["note"])


@blp.route("/recalls/<int:recall_id>/report.pdf")
class Report(MethodView):
    @requires("read")
    @blp.response(200, content_type="application/pdf")
    def get(self, recall_id):
        """The recall report: target, reason, signatures, lots, every unit's whereabouts and disposition, patients."""
        recall = operations.get_recall(recall_id)
        return Response(recall_report(recall), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="recall-{recall.number}.pdf"'})
