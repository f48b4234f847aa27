"""Lots API: product codes, lots, children, genealogy, steps, deviations, quarantine."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires
from app.core.schemas import ReasonSchema
from app.donors.operations import get_procurement
from app.signatures.operations import preload_signatures

from . import genealogy, operations
from .listing import filtered_lots
from .models import Deviation, Lot, LotParent, ProcessStep, ProductCode
from .schemas import (
    ChildLotCreateSchema,
    DeviationCloseSchema,
    DeviationCreateSchema,
    DeviationSchema,
    ExpirySchema,
    GenealogySchema,
    LotQuerySchema,
    LotSchema,
    ProductCodeSchema,
    RetireSchema,
    StepCloseSchema,
    StepCreateSchema,
    StepSchema,
    TissueLotCreateSchema,
)

blp = Blueprint("lots_api", __name__, url_prefix="/api/v1", description="Lots, genealogy, steps, deviations")
etags.register("deviation_id", Deviation)
etags.register("lot_id", Lot)
etags.register("step_id", ProcessStep)


@blp.route("/product-codes")
class ProductCodes(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(ProductCodeSchema))
    def get(self, query):
        return paginate(select(ProductCode).order_by(ProductCode.code), query)

    @requires("catalogue.manage")
    @blp.arguments(ProductCodeSchema)
    @blp.response(201, ProductCodeSchema)
    def post(self, data):
        """Add an entry to the product code catalogue."""
        return operations.create_product_code(**data)


@blp.route("/lots")
class Lots(MethodView):
    @requires("read")
    @blp.arguments(LotQuerySchema, location="query")
    @blp.response(200, page_of(LotSchema))
    def get(self, query):
        return paginate(filtered_lots(query), query, preload_signatures)

    @requires("lots.create")
    @blp.arguments(TissueLotCreateSchema)
    @blp.response(201, LotSchema)
    def post(self, data):
        """Create the tissue lot of a received procurement."""
        return operations.create_tissue_lot(get_procurement(data["procurement_id"]), data["number"],
                                            data["product_code"])


@blp.route("/lots/<int:lot_id>")
class LotById(MethodView):
    @requires("read")
    @blp.response(200, LotSchema)
    def get(self, lot_id):
        return operations.get_lot(lot_id)


@blp.route("/lots/<int:lot_id>/children")
class Children(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(LotSchema))
    def get(self, query, lot_id):
        lot = operations.get_lot(lot_id)
        return paginate(select(Lot).join(LotParent, LotParent.child_id == Lot.id)
                        .where(LotParent.parent_id == lot.id).order_by(Lot.id), query, preload_signatures)

    @requires("lots.create")
    @blp.arguments(ChildLotCreateSchema)
    @blp.response(201, LotSchema)
    def post(self, data, lot_id):
        """Derive a child lot (passage, cell bank, drug product) from this lot and optional further parents."""
        parents = [operations.get_lot(lot_id)] + [operations.get_lot(i) for i in data.pop("other_parent_ids")]
        return operations.derive_lot(parents, data)


@blp.route("/lots/<int:lot_id>/genealogy")
class Genealogy(MethodView):
    @requires("read")
    @blp.response(200, GenealogySchema)
    def get(self, lot_id):
        """Every ancestor and descendant, with parent → child edges."""
        return genealogy.graph(operations.get_lot(lot_id))


@blp.route("/lots/<int:lot_id>/steps")
class Steps(MethodView):
    @requires("read")
    @blp.response(200, StepSchema(many=True))
    def get(self, lot_id):
        return operations.get_lot(lot_id).steps

    @requires("lots.steps")
    @blp.arguments(StepCreateSchema)
    @blp.response(201, StepSchema)
    def post(self, data, lot_id):
        """Record a processing step performed by the caller, with the material lots consumed."""
        return operations.add_step(operations.get_lot(lot_id), current_user, data)


@blp.route("/steps/<int:step_id>/close")
class StepClose(MethodView):
    @requires("lots.steps")
    @blp.arguments(StepCloseSchema)
    @blp.response(200, StepSchema)
    def post(self, data, step_id):
        return operations.close_step(operations.get_step(step_id), current_user, data["ended_at"], data["observations"])


@blp.route("/lots/<int:lot_id>/deviations")
class Deviations(MethodView):
    @requires("read")
    @blp.response(200, DeviationSchema(many=True))
    def get(self, lot_id):
        deviations = operations.get_lot(lot_id).deviations
        preload_signatures(deviations)
        return deviations

    @requires("deviations.open")
    @blp.arguments(DeviationCreateSchema)
    @blp.response(201, DeviationSchema)
    def post(self, data, lot_id):
        """Anyone may open a deviation."""
        return operations.open_deviation(operations.get_lot(lot_id), current_user, data["description"])


@blp.route("/deviations/<int:deviation_id>/close")
class DeviationClose(MethodView):
    @requires("deviations.close")
    @blp.arguments(DeviationCloseSchema)
    @blp.response(200, DeviationSchema)
    def post(self, data, deviation_id):
        """QA closes a deviation with its resolution and an e-signature."""
        deviation = operations.get_deviation(deviation_id)
        return operations.close_deviation(deviation, current_user, data["password"], data["resolution"])


@blp.route("/lots/<int:lot_id>/quarantine")
class Quarantine(MethodView):
    @requires("lots.quarantine")
    @blp.arguments(ReasonSchema)
    @blp.response(200, LotSchema)
    def post(self, data, lot_id):
        """Processing finished: the lot waits in quarantine for QC and QA."""
        return operations.submit_to_quarantine(operations.get_lot(lot_id), data["reason"])


@blp.route("/lots/<int:lot_id>/retire")
class Retire(MethodView):
    @requires("lots.retire")
    @blp.arguments(RetireSchema)
    @blp.response(200, LotSchema(many=True))
    def post(self, data, lot_id):
        """Mark a released lot expired. A recall is opened, signed, with POST /api/v1/recalls."""
        return [operations.expire(operations.get_lot(lot_id), data["reason"])]


@blp.route("/lots/<int:lot_id>/expiry")
class Expiry(MethodView):
    @requires("lots.expiry")
    @blp.arguments(ExpirySchema)
    @blp.response(200, LotSchema)
    def post(self, data, lot_id):
        """Set when the lot expires (its labels carry it), while it is in process or in quarantine."""
        return operations.set_expiry(operations.get_lot(lot_id), data["expires_at"], data["reason"])
