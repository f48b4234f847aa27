"""Biovigilance API: a patient's adverse reactions and events; the cases serious ones opened, their edits, the
signed submission and the notification PDF."""

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.core import etags
from app.core.pagination import page_of, paginate
from app.core.permissions import requires
from app.patients.operations import get_patient
from app.signatures.operations import preload_signatures

from . import operations
from .models import BiovigilanceCase
from .report import case_report
from .schemas import (
    AdverseEventCreateSchema,
    AdverseEventSchema,
    CaseEditSchema,
    CaseQuerySchema,
    CaseSchema,
    CaseSubmitSchema,
)

blp = Blueprint("biovigilance_api", __name__, url_prefix="/api/v1", description="Biovigilance")
etags.register("case_id", BiovigilanceCase)


@blp.route("/patients/<int:patient_id>/adverse-events")
class AdverseEvents(MethodView):
    @requires("read")
    @blp.response(200, AdverseEventSchema(many=True))
    def get(self, patient_id):
        """The patient's adverse reactions and events, newest first."""
        return operations.events_of(get_patient(patient_id))

    @requires("biovigilance.record")
    @blp.arguments(AdverseEventCreateSchema)
    @blp.response(201, AdverseEventSchema)
    def post(self, data, patient_id):
        """A clinician records an adverse reaction or event; a serious one opens its biovigilance case at once."""
        return operations.record_event(get_patient(patient_id), current_user, **data)


@blp.route("/biovigilance-cases")
class Cases(MethodView):
    @requires("read")
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, page_of(CaseSchema))
    def get(self, query):
        """Every biovigilance case, the earliest due first."""
        return paginate(operations.cases(query["state"]), query, preload_signatures)


@blp.route("/biovigilance-cases/<int:case_id>")
class CaseById(MethodView):
    @requires("read")
    @blp.response(200, CaseSchema)
    def get(self, case_id):
        """The case: the event, the reporting establishment, the donations and products traced, the assessment."""
        return operations.get_case(case_id)

    @requires("biovigilance.manage")
    @blp.arguments(CaseEditSchema)
    @blp.response(200, CaseSchema)
    def patch(self, data, case_id):
        """Complete or correct the assessment, with a reason (refused once submitted)."""
        reason = data.pop("reason")
        return operations.edit_case(operations.get_case(case_id), data, reason)


@blp.route("/biovigilance-cases/<int:case_id>/submit")
class Submit(MethodView):
    @requires("biovigilance.manage")
    @blp.arguments(CaseSubmitSchema)
    @blp.response(200, CaseSchema)
    def post(self, data, case_id):
        """Submit the notification, signed (409 when it lacks something or was submitted already)."""
        return operations.submit_case(operations.get_case(case_id), current_user, data["password"], data["reason"])


@blp.route("/biovigilance-cases/<int:case_id>/report.pdf")
class Report(MethodView):
    @requires("read")
    @blp.response(200, content_type="application/pdf")
    def get(self, case_id):
        """The notification: 2006/86 annexes III/IV fields and the SUSAR report fields, with the due date."""
        case = operations.get_case(case_id)
        return Response(case_report(case), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{case.report_id}.pdf"'})
