"""Biovigilance pages: recording an event on the patient's page, the list of cases, a case with its assessment form
and its signed submission."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import submitted
from app.core.pagination import page_args, paginate
from app.core.permissions import requires
from app.core.terms import term
from app.patients.operations import get_patient

from . import operations
from .models import EXPECTEDNESS, IMPUTABILITY, KINDS, OUTCOMES, SERIOUSNESS
from .schemas import AdverseEventCreateSchema, CaseEditSchema, CaseQuerySchema, CaseSubmitSchema

bp = Blueprint("biovigilance", __name__, template_folder="templates")


@bp.app_template_global()
def adverse_events_of(patient) -> list:
    """The patient's adverse reactions and events, for the patient's page."""
    return operations.events_of(patient)


@bp.app_template_global()
def biovigilance_choices() -> dict:
    """The choices of the biovigilance forms, as (value, words in the reader's language) pairs."""
    pairs = {name: [(value, term(value)) for value in values] for name, values in (
        ("seriousness", SERIOUSNESS), ("outcomes", OUTCOMES), ("imputability", IMPUTABILITY),
        ("expectedness", EXPECTEDNESS))}
    kinds = [(kind, _("Adverse %(kind)s", kind=term(kind))) for kind in KINDS]
    return {"kinds": kinds, **pairs}


def _dose_ids() -> list:
    """The ticked doses, as the API's JSON would carry them (a non-number is left for the schema to refuse)."""
    return [int(value) if value.strip().isdigit() else value for value in request.form.getlist("dose_ids")]


@bp.route("/patients/<int:patient_id>/adverse-events", methods=["POST"])
@requires("biovigilance.record")
def record_event(patient_id: int):
    patient = get_patient(patient_id)
    data = submitted(AdverseEventCreateSchema(), dose_ids=_dose_ids())
    event = operations.record_event(patient, current_user, **data)
    if event.case is None:
        flash(_("Adverse %(kind)s recorded on patient %(code)s.", kind=event.kind, code=patient.code), "success")
        return redirect(url_for("patient.patient_page", patient_id=patient.id, _anchor="adverse-events"))
    flash(_("Serious adverse %(kind)s recorded: case %(report_id)s is open, due %(due_on)s.", kind=event.kind,
            report_id=event.case.report_id, due_on=event.case.due_on.isoformat()), "success")
    return redirect(url_for("biovigilance.case_page", case_id=event.case.id))


@bp.route("/biovigilance")
@requires("biovigilance.manage")
def cases_page():
    query = page_args(CaseQuerySchema)
    return render_template("biovigilance/list.html", page=paginate(operations.cases(query["state"]), query))


@bp.route("/biovigilance/<int:case_id>")
@requires("read")
def case_page(case_id: int):
    case = operations.get_case(case_id)
    return render_template("biovigilance/case.html", case=case, patient=get_patient(case.event.patient_id),
                           missing=operations.missing(case))


@bp.route("/biovigilance/<int:case_id>/edit", methods=["POST"])
@requires("biovigilance.manage")
def edit(case_id: int):
    data = submitted(CaseEditSchema())
    reason = data.pop("reason")
    case = operations.edit_case(operations.get_case(case_id), data, reason)
    flash(_("Case %(report_id)s updated.", report_id=case.report_id), "success")
    return redirect(url_for("biovigilance.case_page", case_id=case_id))


@bp.route("/biovigilance/<int:case_id>/submit", methods=["POST"])
@requires("biovigilance.manage")
def submit(case_id: int):
    data = submitted(CaseSubmitSchema())
    case = operations.submit_case(operations.get_case(case_id), current_user, data["password"], data.get("reason"))
    flash(_("Case %(report_id)s submitted.", report_id=case.report_id), "success")
    return redirect(url_for("biovigilance.case_page", case_id=case_id))
