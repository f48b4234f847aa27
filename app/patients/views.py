"""Pages: the list of the trial's patients (each patient's own page is app/dispensing/patient_page.py)."""

from flask import Blueprint, render_template
from sqlalchemy import select

from app.core.permissions import requires
from app.extensions import db

from .models import Patient

bp = Blueprint("patients", __name__, template_folder="templates")


@bp.route("/patients")
@requires("read")
def patients_page():
    patients = db.session.scalars(select(Patient).order_by(Patient.code)).all()
    return render_template("patients/patients.html", patients=patients)
