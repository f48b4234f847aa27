"""Patients API: registration, eligibility checklist, status."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires

from . import criteria, operations
from .models import Patient
from .schemas import EligibilitySchema, EligibilitySubmitSchema, PatientCreateSchema, PatientSchema, StatusChangeSchema

blp = Blueprint("patients_api", __name__, url_prefix="/api/v1", description="Trial patients and their eligibility")
etags.register("patient_id", Patient)


def eligibility(patient: Patient) -> dict:
    config = criteria.current()
    return {"criteria_version": config["version"], "criteria": config["criteria"],
            "checklist": operations.checklist_of(patient), "enrolment_blockers": operations.enrolment_blockers(patient)}


@blp.route("/patients")
class Patients(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(PatientSchema))
    def get(self, query):
        return paginate(select(Patient).order_by(Patient.code), query)

    @requires("patients.manage")
    @blp.arguments(PatientCreateSchema)
    @blp.response(201, PatientSchema)
    def post(self, data):
        """Register a trial subject (pseudonymous code; no names) in screening."""
        return operations.register(**data)


@blp.route("/patients/<int:patient_id>")
class PatientById(MethodView):
    @requires("read")
    @blp.response(200, PatientSchema)
    def get(self, patient_id):
        return operations.get_patient(patient_id)


@blp.route("/patients/<int:patient_id>/eligibility")
class Eligibility(MethodView):
    @requires("read")
    @blp.response(200, EligibilitySchema)
    def get(self, patient_id):
        """The protocol's criteria, the latest signed checklist, and what keeps the patient from enrolment."""
        return eligibility(operations.get_patient(patient_id))

    @requires("patients.eligibility")
    @blp.arguments(EligibilitySubmitSchema)
    @blp.response(200, EligibilitySchema)
    @blp.alt_response(409, description="the patient is not in screening or enrolled")
    def post(self, data, patient_id):
        """The clinician answers every criterion with its evidence and signs the checklist."""
        patient = operations.get_patient(patient_id)
        operations.assess_eligibility(patient, current_user, data["password"], data["answers"], data["assessed_on"],
                                      data.get("reason"))
        return eligibility(patient)


@blp.route("/patients/<int:patient_id>/status")
class Status(MethodView):
    @requires("patients.manage")
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, PatientSchema)
    @blp.alt_response(409, description="the status table or an unmet criterion forbids it")
    def post(self, data, patient_id):
        """Enrol (needs an eligible signed checklist), complete or withdraw (with a reason)."""
        return operations.change_status(operations.get_patient(patient_id), data["status"], data["reason"],
                                        data["on"])
