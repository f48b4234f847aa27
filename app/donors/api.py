"""Donors and procurements API."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires
from app.core.schemas import ReasonSchema
from app.signatures.operations import preload_signatures

from . import operations
from .listing import filtered_donors
from .models import Donor, Procurement
from .schemas import (
    DonorCreateSchema,
    DonorQuerySchema,
    DonorSchema,
    EligibilityDecisionSchema,
    EligibilityStatusSchema,
    ProcurementCreateSchema,
    ProcurementReceiptSchema,
    ProcurementSchema,
    ScreeningTestSchema,
)

blp = Blueprint("donors_api", __name__, url_prefix="/api/v1", description="Donors, screening, eligibility, "
                "procurements")
etags.register("donor_id", Donor)
etags.register("procurement_id", Procurement)



def _eligibility(donor: Donor) -> dict:
    return {"eligibility": donor.eligibility, "unmet": operations.eligibility_problems(donor),
            "signature_id": donor.eligibility_signature_id}


@blp.route("/donors")
class Donors(MethodView):
    @requires("read")
    @blp.arguments(DonorQuerySchema, location="query")
    @blp.response(200, page_of(DonorSchema))
    def get(self, query):
        return paginate(filtered_donors(query).options(selectinload(Donor.screening_tests)), query, preload_signatures)

    @requires("donors.register")
    @blp.arguments(DonorCreateSchema)
    @blp.response(201, DonorSchema)
    def post(self, data):
        """Register a donor under a pseudonymous code, with their consent."""
        return operations.create_donor(data["code"], data["consent_date"], data["consent_scope"])


@blp.route("/donors/<int:donor_id>")
class DonorById(MethodView):
    @requires("read")
    @blp.response(200, DonorSchema)
    def get(self, donor_id):
        return operations.get_donor(donor_id)


@blp.route("/donors/<int:donor_id>/screening-tests")
class ScreeningTests(MethodView):
    @requires("read")
    @blp.response(200, ScreeningTestSchema(many=True))
    def get(self, donor_id):
        return operations.get_donor(donor_id).screening_tests

    @requires("donors.screen")
    @blp.arguments(ScreeningTestSchema)
    @blp.response(201, ScreeningTestSchema)
    def post(self, data, donor_id):
        """Record a screening result (a decided eligibility returns to pending)."""
        return operations.add_screening_test(operations.get_donor(donor_id), **data)


@blp.route("/donors/<int:donor_id>/eligibility")
class Eligibility(MethodView):
    @requires("read")
    @blp.response(200, EligibilityStatusSchema)
    def get(self, donor_id):
        """The current decision and what would keep the donor from being eligible."""
        return _eligibility(operations.get_donor(donor_id))

    @requires("donors.eligibility")
    @blp.arguments(EligibilityDecisionSchema)
    @blp.response(200, EligibilityStatusSchema)
    def post(self, data, donor_id):
        """QA signs 'donor eligible' or 'donor ineligible' (password re-entered)."""
        donor = operations.decide_eligibility(operations.get_donor(donor_id), current_user, data["password"],
                                              data["meaning"], data["reason"])
        return _eligibility(donor)


@blp.route("/donors/<int:donor_id>/consent-withdrawal")
class ConsentWithdrawal(MethodView):
    @requires("donors.consent_withdrawal")
    @blp.arguments(ReasonSchema)
    @blp.response(200, DonorSchema)
    def post(self, data, donor_id):
        """Record the donor's withdrawal of consent: blocks processing and release of their material."""
        return operations.withdraw_consent(operations.get_donor(donor_id), data["reason"])


@blp.route("/procurements")
class Procurements(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(ProcurementSchema))
    def get(self, query):
        return paginate(select(Procurement).order_by(Procurement.id), query)

    @requires("procurements.record")
    @blp.arguments(ProcurementCreateSchema)
    @blp.response(201, ProcurementSchema)
    def post(self, data):
        """Record a procurement; it receives the next DIN. The caller is recorded as the collector."""
        donor = operations.get_donor(data.pop("donor_id"))
        return operations.create_procurement(donor, current_user, data)


@blp.route("/procurements/<int:procurement_id>")
class ProcurementById(MethodView):
    @requires("read")
    @blp.response(200, ProcurementSchema)
    def get(self, procurement_id):
        return operations.get_procurement(procurement_id)


@blp.route("/procurements/<int:procurement_id>/receipt")
class ProcurementReceipt(MethodView):
    @requires("procurements.receive")
    @blp.arguments(ProcurementReceiptSchema)
    @blp.response(200, ProcurementSchema)
    def post(self, data, procurement_id):
        """Record receipt at the lab by someone other than the collector."""
        return operations.receive_procurement(operations.get_procurement(procurement_id), current_user,
                                              data["received_at"], data["temperature_c"])
