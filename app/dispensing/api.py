"""Doses API: order, allocate, prepare, the two-scan dispense, administer, return, destroy."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import page_of, paginate
from app.core.permissions import requires
from app.extensions import db
from app.patients.operations import get_patient

from . import checks, handover, ordering, preparation
from .models import Dose
from .schemas import (
    AdministerSchema,
    AllocateSchema,
    AllocationSchema,
    CheckSchema,
    DispenseSchema,
    DoseOrderSchema,
    DoseQuerySchema,
    DoseSchema,
    PrepareSchema,
    ReasonBodySchema,
    ScansSchema,
    SuggestionSchema,
)

blp = Blueprint("doses_api", __name__, url_prefix="/api/v1", description="Doses: order to administration")
etags.register("dose_id", Dose)


@blp.route("/patients/<int:patient_id>/doses")
class PatientDoses(MethodView):
    @requires("read")
    @blp.response(200, DoseSchema(many=True))
    def get(self, patient_id):
        return db.session.scalars(select(Dose).where(Dose.patient_id == get_patient(patient_id).id)
                                  .order_by(Dose.dose_number, Dose.id)).all()

    @requires("doses.order")
    @blp.arguments(DoseOrderSchema)
    @blp.response(201, DoseSchema)
    @blp.alt_response(409, description="the patient is not enrolled, the dose is given, or outside its window")
    def post(self, data, patient_id):
        """A clinician orders a dose (outside its window only with an override reason)."""
        return ordering.order(get_patient(patient_id), current_user, **data)


@blp.route("/doses")
class Doses(MethodView):
    @requires("read")
    @blp.arguments(DoseQuerySchema, location="query")
    @blp.response(200, page_of(DoseSchema))
    def get(self, query):
        statement = select(Dose).order_by(Dose.planned_date, Dose.id)
        if query["state"]:
            statement = statement.where(Dose.state == query["state"])
        return paginate(statement, query)


@blp.route("/doses/<int:dose_id>")
class DoseById(MethodView):
    @requires("read")
    @blp.response(200, DoseSchema)
    def get(self, dose_id):
        return ordering.get_dose(dose_id)


@blp.route("/doses/<int:dose_id>/allocate")
class Allocate(MethodView):
    @requires("read")
    @blp.response(200, SuggestionSchema)
    def get(self, dose_id):
        """The first-expiry-first-out suggestion of vials for this dose (reserves nothing)."""
        units = ordering.suggestion(ordering.get_dose(dose_id))
        return {"unit_ids": [u.id for u in units], "barcodes": [u.barcode for u in units]}

    @requires("doses.allocate")
    @blp.arguments(AllocateSchema)
    @blp.response(200, AllocationSchema(many=True))
    @blp.alt_response(409, description="a vial is not usable or was just reserved")
    def post(self, data, dose_id):
        """Reserve vials for the dose, atomically: a vial is never reserved for two doses."""
        return ordering.allocate(ordering.get_dose(dose_id), current_user, data["unit_ids"])


@blp.route("/doses/<int:dose_id>/prepare")
class Prepare(MethodView):
    @requires("doses.prepare")
    @blp.arguments(PrepareSchema)
    @blp.response(200, DoseSchema)
    @blp.alt_response(409, description="a vial is not thawed, or the post-thaw checks fail")
    def post(self, data, dose_id):
        """Record the post-thaw count and viability and fill the syringe from the thawed vials."""
        return preparation.prepare(ordering.get_dose(dose_id), current_user, **data)


@blp.route("/dispense/check")
class DispenseCheck(MethodView):
    @requires("doses.dispense")
    @blp.arguments(ScansSchema)
    @blp.response(200, CheckSchema)
    @blp.alt_response(409, description="the scans do not match, or a rule forbids the dispense (named)")
    def post(self, data):
        """The two scans, dose then patient, checked against every rule of the dispense; changes nothing."""
        dose, problem = checks.verdict(data["dose_code"], data["patient_code"])
        if problem:
            raise checks.refused(problem)
        return {"dose": dose, "patient_code": data["patient_code"].strip(), "match": True}


@blp.route("/doses/<int:dose_id>/dispense")
class Dispense(MethodView):
    @requires("doses.dispense")
    @blp.arguments(DispenseSchema)
    @blp.response(200, DoseSchema)
    @blp.alt_response(409, description="the scans do not match, or a rule forbids the dispense (named)")
    def post(self, data, dose_id):
        """The pharmacist scans the dose label and the patient identifier, then signs; the dose goes to the ward."""
        return handover.dispense(ordering.get_dose(dose_id), current_user, data["password"], data["dose_code"],
                                 data["patient_code"])


@blp.route("/doses/<int:dose_id>/administer")
class Administer(MethodView):
    @requires("doses.administer")
    @blp.arguments(AdministerSchema)
    @blp.response(200, DoseSchema)
    def post(self, data, dose_id):
        """The clinician records the intrathecal injection."""
        return handover.administer(ordering.get_dose(dose_id), current_user, data["administered_at"], data["route"])


@blp.route("/doses/<int:dose_id>/return")
class Return(MethodView):
    @requires("doses.return")
    @blp.arguments(ReasonBodySchema)
    @blp.response(200, DoseSchema)
    def post(self, data, dose_id):
        """An unused dose comes back to the pharmacy."""
        return handover.return_dose(ordering.get_dose(dose_id), current_user, data["reason"])


@blp.route("/doses/<int:dose_id>/destroy")
class Destroy(MethodView):
    @requires("doses.destroy")
    @blp.arguments(ReasonBodySchema)
    @blp.response(200, DoseSchema)
    def post(self, data, dose_id):
        """Destroy a dose that will not be given (with its syringe)."""
        return handover.destroy(ordering.get_dose(dose_id), current_user, data["reason"])
