"""QC API: specifications, results of a lot, verification, correction."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires
from app.extensions import db
from app.lots.operations import get_lot

from . import operations
from .models import QcResult, Specification
from .schemas import (
    QcCorrectionSchema,
    QcResultCreateSchema,
    QcResultSchema,
    SpecificationCreateSchema,
    SpecificationSchema,
)

blp = Blueprint("qc_api", __name__, url_prefix="/api/v1", description="Specifications and QC results")
etags.register("result_id", QcResult)


@blp.route("/specifications")
class Specifications(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(SpecificationSchema))
    def get(self, query):
        """Every version of every specification."""
        return paginate(select(Specification).order_by(Specification.lot_kind, Specification.version), query)

    @requires("specifications.manage")
    @blp.arguments(SpecificationCreateSchema)
    @blp.response(201, SpecificationSchema)
    def post(self, data):
        """A new version of a lot kind's specification (the previous one stays for lots tested under it)."""
        return operations.create_specification(data["lot_kind"], data["name"], data["tests"])


@blp.route("/lots/<int:lot_id>/qc-results")
class LotQcResults(MethodView):
    @requires("read")
    @blp.response(200, QcResultSchema(many=True))
    def get(self, lot_id):
        """Every result of the lot, superseded ones included."""
        lot = get_lot(lot_id)
        return db.session.scalars(select(QcResult).where(QcResult.lot_id == lot.id).order_by(QcResult.id)).all()

    @requires("qc.record")
    @blp.arguments(QcResultCreateSchema)
    @blp.response(201, QcResultSchema)
    def post(self, data, lot_id):
        """Record a result performed by the caller; it is evaluated, and an OOS result opens a deviation."""
        return operations.record_result(get_lot(lot_id), current_user, data)


@blp.route("/qc-results/<int:result_id>/verify")
class Verify(MethodView):
    @requires("qc.verify")
    @blp.response(200, QcResultSchema)
    def post(self, result_id):
        """Second-person verification (never by the performer)."""
        return operations.verify_result(operations.get_result(result_id), current_user)


@blp.route("/qc-results/<int:result_id>/correct")
class Correct(MethodView):
    @requires("qc.record")
    @blp.arguments(QcCorrectionSchema)
    @blp.response(201, QcResultSchema)
    def post(self, data, result_id):
        """Supersede a result with a corrected one, with a reason; the old result is kept as it was."""
        return operations.correct_result(operations.get_result(result_id), current_user, data)
