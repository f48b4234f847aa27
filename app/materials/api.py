"""Materials API: register, list, and QA's signed decision."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires
from app.signatures.operations import preload_signatures

from . import operations
from .models import MaterialLot
from .schemas import MaterialCreateSchema, MaterialDecisionSchema, MaterialSchema

blp = Blueprint("materials_api", __name__, url_prefix="/api/v1", description="Reagent and material lots")
etags.register("material_id", MaterialLot)


@blp.route("/materials")
class Materials(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(MaterialSchema))
    def get(self, query):
        return paginate(select(MaterialLot).order_by(MaterialLot.id), query, preload_signatures)

    @requires("materials.receive")
    @blp.arguments(MaterialCreateSchema)
    @blp.response(201, MaterialSchema)
    def post(self, data):
        """Register a received lot (quarantine until QA decides)."""
        return operations.receive_material(data)


@blp.route("/materials/<int:material_id>")
class MaterialById(MethodView):
    @requires("read")
    @blp.response(200, MaterialSchema)
    def get(self, material_id):
        return operations.get_material(material_id)


@blp.route("/materials/<int:material_id>/decision")
class MaterialDecision(MethodView):
    @requires("materials.decide")
    @blp.arguments(MaterialDecisionSchema)
    @blp.response(200, MaterialSchema)
    def post(self, data, material_id):
        """QA approves or rejects the lot with an e-signature."""
        return operations.decide(operations.get_material(material_id), current_user, data["password"],
                                 data["meaning"], data["reason"])
