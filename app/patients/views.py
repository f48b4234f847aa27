"""Pages: the trial's patients and the registration of a new one (each patient's own page is
app/dispensing/patient_page.py)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.core.forms import validated
from app.core.permissions import requires
from app.extensions import db

from . import operations
from .models import SEXES, Patient


class RegisterForm(FlaskForm):
    code = StringField(_l("Trial code"), validators=[DataRequired(), Length(max=40)])
    site = StringField(_l("Site"), validators=[DataRequired(), Length(max=200)])
    consent_date = DateField(_l("Consent date"), validators=[DataRequired()])
    birth_year = IntegerField(_l("Birth year"), validators=[DataRequired(), NumberRange(min=1900, max=2100)])
    sex = SelectField(_l("Sex"), choices=list(SEXES))


bp = Blueprint("patients", __name__, template_folder="templates")


@bp.route("/patients", methods=["GET", "POST"])
@requires("read", POST="patients.manage")
def patients_page():
    form = RegisterForm()
    if form.is_submitted():
        validated(form)
        patient = operations.register(form.code.data, form.site.data, form.consent_date.data, form.birth_year.data,
                                      form.sex.data)
        flash(_("Patient %(code)s registered (identifier %(barcode)s).", code=patient.code,
                barcode=patient.barcode), "success")
        return redirect(url_for("patient.patient_page", patient_id=patient.id))
    patients = db.session.scalars(select(Patient).order_by(Patient.code)).all()
    return render_template("patients/patients.html", patients=patients, form=form)
