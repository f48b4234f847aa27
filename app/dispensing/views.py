"""Pages: the pharmacy's two-scan dispense, the preparation of a dose, the ward's administrations."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.core.errors import NotFound, RuleViolation
from app.core.forms import DecimalNumberField, submitted, validated
from app.core.permissions import requires
from app.extensions import db
from app.patients.models import Patient

from . import checks, handover, ordering, preparation, worklists
from .models import DISPENSED, PREPARED, Dose
from .schemas import PrepareSchema

bp = Blueprint("dispensing", __name__, template_folder="templates")


@bp.app_context_processor
def dispensing_work() -> dict:
    """``dispensing_work()`` for the dashboard: called only where a template asks for it."""
    return {"dispensing_work": worklists.work}


class DispenseForm(FlaskForm):
    dose_code = HiddenField(validators=[DataRequired(), Length(max=100)])
    patient_code = HiddenField(validators=[DataRequired(), Length(max=100)])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class PrepareForm(FlaskForm):
    """The fields as drawn; what they take is PrepareSchema's (the API's), loaded by submitted()."""

    post_thaw_cells = IntegerField(_l("Post-thaw viable cells"))
    viability_pct = DecimalNumberField(_l("Viability (%)"), places=1)
    volume_ml = DecimalNumberField(_l("Volume (mL)"), places=2)


def _verdict(dose_code: str, patient_code: str) -> tuple[Dose | None, str | None]:
    """The scanned dose and the rule that refuses it (None when it may be dispensed)."""
    try:
        return checks.verdict(dose_code, patient_code)
    except NotFound as error:
        return None, error.message


@bp.route("/pharmacy/dispense", methods=["GET", "POST"])
@requires("doses.dispense")
def dispense_page():
    """Scan the dose label, then the patient identifier; a green match is signed, a red refusal names the rule."""
    form = DispenseForm()
    if form.is_submitted():
        validated(form)
        dose = ordering.dose_by_barcode(form.dose_code.data)
        try:
            handover.dispense(dose, current_user, form.password.data, form.dose_code.data, form.patient_code.data)
        except RuleViolation as error:
            return render_template("dispensing/dispense.html", stage="verdict", dose=dose, form=form,
                                   refusal=error.message.removeprefix("dispense refused: ")), 409
        patient = db.session.get(Patient, dose.patient_id)
        flash(_("Dose %(barcode)s (dose %(dose_number)s) dispensed to the ward for patient %(code)s.",
                barcode=dose.barcode, dose_number=dose.dose_number, code=patient.code),
              "success")
        return redirect(url_for("dispensing.dispense_page"))
    dose_code, patient_code = request.args.get("dose_code", "").strip(), request.args.get("patient_code", "").strip()
    if not dose_code:
        return render_template("dispensing/dispense.html", stage="dose")
    if not patient_code:
        dose, problem = _verdict(dose_code, dose_code)
        if dose is None:
            return render_template("dispensing/dispense.html", stage="verdict", refusal=problem, dose=None), 404
        return render_template("dispensing/dispense.html", stage="patient", dose=dose, dose_code=dose_code)
    dose, problem = _verdict(dose_code, patient_code)
    form.dose_code.data, form.patient_code.data = dose_code, patient_code
    patient = db.session.get(Patient, dose.patient_id) if dose else None
    return render_template("dispensing/dispense.html", stage="verdict", dose=dose, patient=patient, form=form,
                           refusal=problem), 409 if problem else 200


@bp.route("/pharmacy/prepare", methods=["GET", "POST"])
@requires("doses.allocate", POST="doses.prepare")
def prepare_page():
    """Scan the dose (its order): reserve its vials or destroy it (pharmacist, technician), record the post-thaw checks
    and fill the syringe (technician)."""
    code = request.values.get("code", "").strip()
    dose = ordering.dose_by_barcode(code) if code else None
    form = PrepareForm()
    if dose is not None and request.method == "POST":
        data = submitted(PrepareSchema())
        preparation.prepare(dose, current_user, data["post_thaw_cells"], data["viability_pct"], data["volume_ml"])
        flash(_("Dose %(barcode)s prepared; use before %(expires_at)s UTC.", barcode=dose.barcode,
                expires_at=format(dose.expires_at, "%Y-%m-%d %H:%M")), "success")
        return redirect(url_for("dispensing.prepare_page"))
    waiting = db.session.scalars(select(Dose).where(Dose.state.in_(("ordered", "allocated")))
                                 .order_by(Dose.planned_date, Dose.id)).all()
    units = ordering.allocated_units(dose) if dose is not None else []
    return render_template("dispensing/prepare.html", dose=dose, form=form, units=units, waiting=waiting,
                           patients=_patients(waiting + ([dose] if dose else [])))


@bp.route("/ward", methods=["GET"])
@requires("read")
def ward_page():
    """Doses on the ward, to be administered (or sent back)."""
    doses = db.session.scalars(select(Dose).where(Dose.state.in_((DISPENSED, PREPARED)))
                               .order_by(Dose.dispensed_at, Dose.id)).all()
    return render_template("dispensing/ward.html", doses=doses, patients=_patients(doses))


@bp.route("/doses/<int:dose_id>/administer", methods=["POST"])
@requires("doses.administer")
def administer(dose_id: int):
    validated(FlaskForm())
    dose = handover.administer(ordering.get_dose(dose_id), current_user)
    flash(_("Dose %(barcode)s recorded as administered intrathecally.", barcode=dose.barcode), "success")
    return redirect(url_for("dispensing.ward_page"))


def _patients(doses) -> dict:
    ids = {dose.patient_id for dose in doses}
    return {p.id: p for p in db.session.scalars(select(Patient).where(Patient.id.in_(ids)))} if ids else {}


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(min=3, max=2000)])


@bp.route("/doses/<int:dose_id>/allocate", methods=["POST"])
@requires("doses.allocate")
def allocate(dose_id: int):
    """Reserve the first-expiry-first-out suggestion of vials for the dose."""
    validated(FlaskForm())
    dose = ordering.get_dose(dose_id)
    allocations = ordering.allocate(dose, current_user)
    flash(_("Dose %(barcode)s: %(len)s vial(s) reserved; thaw them, then prepare.", barcode=dose.barcode,
            len=len(allocations)), "success")
    return redirect(url_for("dispensing.prepare_page", code=dose.barcode))


@bp.route("/doses/<int:dose_id>/return", methods=["POST"])
@requires("doses.return")
def return_dose(dose_id: int):
    form = validated(ReasonForm())
    dose = handover.return_dose(ordering.get_dose(dose_id), current_user, form.reason.data)
    flash(_("Dose %(barcode)s returned to the pharmacy.", barcode=dose.barcode), "success")
    return redirect(url_for("dispensing.ward_page"))


@bp.route("/doses/<int:dose_id>/destroy", methods=["POST"])
@requires("doses.destroy")
def destroy(dose_id: int):
    form = validated(ReasonForm())
    dose = ordering.get_dose(dose_id)
    on_the_ward = dose.state in (PREPARED, DISPENSED)
    dose = handover.destroy(dose, current_user, form.reason.data)
    flash(_("Dose %(barcode)s destroyed.", barcode=dose.barcode), "success")
    return redirect(url_for("dispensing.ward_page" if on_the_ward else "dispensing.prepare_page"))
