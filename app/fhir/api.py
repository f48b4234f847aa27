"""FHIR R5 API: GET /api/v1/fhir/BiologicallyDerivedProduct/{unit id} and
BiologicallyDerivedProductDispense/{dose id}, as application/fhir+json."""

import json

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from app.core.permissions import requires
from app.dispensing.ordering import get_dose
from app.storage.operations import get_unit

from .dispense import biologically_derived_product_dispense
from .product import biologically_derived_product

blp = Blueprint("fhir_api", __name__, url_prefix="/api/v1/fhir", description="FHIR R5 resources")
FHIR_JSON = "application/fhir+json"


@blp.route("/BiologicallyDerivedProduct/<int:unit_id>")
class BiologicallyDerivedProduct(MethodView):
    @requires("read")
    @blp.response(200, content_type=FHIR_JSON, description="the unit as a FHIR R5 BiologicallyDerivedProduct")
    def get(self, unit_id):
        """A unit (vial) as a FHIR R5 BiologicallyDerivedProduct."""
        return _fhir(biologically_derived_product(get_unit(unit_id)))


@blp.route("/BiologicallyDerivedProductDispense/<int:dose_id>")
class BiologicallyDerivedProductDispense(MethodView):
    @requires("read")
    @blp.response(200, content_type=FHIR_JSON, description="the dose as a FHIR R5 BiologicallyDerivedProductDispense")
    @blp.alt_response(409, description="the dose is not prepared yet: there is no product to dispense")
    def get(self, dose_id):
        """A prepared dose as a FHIR R5 BiologicallyDerivedProductDispense (its syringe is the product)."""
        return _fhir(biologically_derived_product_dispense(get_dose(dose_id)))


def _fhir(resource: dict) -> Response:
    return Response(json.dumps(resource, ensure_ascii=False), mimetype=FHIR_JSON)
