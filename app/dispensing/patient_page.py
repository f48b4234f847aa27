"""A patient's page: eligibility checklist (signed by a clinician), enrolment, schedule, doses, follow-up."""

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.core.errors import InvalidInput
from app.core.forms import validated
from app.core.permissions import requires
from app.extensions import db
from app.patients import criteria, operations
from app.patients.models import PATIENT_STATES

from . import ordering, schedule
from .models import Dose

bp = Blueprint("patient", __name__, template_folder="templates")


class ChecklistForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])


def _answers_from(form) -> dict:
    return {c["id"]: {"answer": form.get(f"answer-{c['id']}", ""), "evidence": form.get(f"evidence-{c['id']}", "")}
            for c in criteria.answered_criteria()}


def _assessed_on(form) -> dt.date:
    try:
        return dt.date.fromisoformat(form.get("assessed_on", ""))
    except ValueError:
        raise InvalidInput(_("assessed_on: give the date as YYYY-MM-DD"), {"assessed_on": [_("a date")]}) from None


@bp.route("/patients/<int:patient_id>", methods=["GET", "POST"])
@requires("read", POST="patients.eligibility")
def patient_page(patient_id: int):
    patient = operations.get_patient(patient_id)
    form = ChecklistForm()
    if form.is_submitted():
        validated(form)
        checklist = operations.assess_eligibility(patient, current_user, form.password.data,
                                                  _answers_from(request.form), _assessed_on(request.form))
        flash(_("Checklist signed: patient %(code)s is %(outcome)s.", code=patient.code, outcome=checklist.outcome),
              "success")
        return redirect(url_for("patient.patient_page", patient_id=patient.id))
    doses = db.session.scalars(select(Dose).where(Dose.patient_id == patient.id).order_by(Dose.dose_number, Dose.id))
    return render_template("dispensing/patient.html", patient=patient, form=form, config=criteria.current(),
                           checklist=operations.checklist_of(patient), blockers=operations.enrolment_blockers(patient),
                           today=dt.date.today(), slots=schedule.slots(patient), doses=doses.all(),
                           follow_up=schedule.follow_up(patient), order_form=OrderForm(),
                           status_form=status_form(patient))


@bp.route("/patients/<int:patient_id>/enrol", methods=["POST"])
@requires("patients.manage")
def enrol(patient_id: int):
    validated(FlaskForm())
    patient = operations.change_status(operations.get_patient(patient_id), "enrolled", None)
    flash(_("Patient %(code)s enrolled.", code=patient.code), "success")
    return redirect(url_for("patient.patient_page", patient_id=patient_id))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])
    reason = StringField(_l("Reason (required to withdraw)"), validators=[Length(max=2000)])


def status_form(patient) -> StatusForm:
    """The patient's next statuses but enrolment (which has its own button, after the signed checklist)."""
    form = StatusForm()
    form.status.choices = [s for s in PATIENT_STATES.transitions[patient.status] if s != "enrolled"]
    return form


@bp.route("/patients/<int:patient_id>/status", methods=["POST"])
@requires("patients.manage")
def change_status(patient_id: int):
    patient = operations.get_patient(patient_id)
    form = validated(status_form(patient))
    patient = operations.change_status(patient, form.status.data, form.reason.data or None)
    flash(_("Patient %(code)s is now %(status)s.", code=patient.code, status=patient.status), "success")
    return redirect(url_for("patient.patient_page", patient_id=patient_id))


class OrderForm(FlaskForm):
    dose_number = IntegerField(_l("Dose number"), validators=[DataRequired(), NumberRange(min=1, max=3)])
    planned_date = DateField(_l("Planned date"), validators=[DataRequired()])
    prescribed_cells = IntegerField(_l("Prescribed cells"), validators=[DataRequired(), NumberRange(min=1, max=10**12)])
    override_reason = StringField(_l("Override reason (outside the window)"), validators=[Length(max=2000)])


@bp.route("/patients/<int:patient_id>/doses", methods=["POST"])
@requires("doses.order")
def order_dose(patient_id: int):
    form = validated(OrderForm())
    dose = ordering.order(operations.get_patient(patient_id), current_user, form.dose_number.data,
                          form.planned_date.data, form.prescribed_cells.data, form.override_reason.data or None)
    flash(_("Dose %(dose_number)s ordered (%(barcode)s).", dose_number=dose.dose_number, barcode=dose.barcode),
          "success")
    return redirect(url_for("patient.patient_page", patient_id=patient_id))
