"""The pharmacist's and the clinician's work lists and the supply warnings, for the dashboard."""

from sqlalchemy import select

from app.extensions import db
from app.patients.models import Patient

from . import supply
from .models import ALLOCATED, DISPENSED, ORDERED, PREPARED, Dose


def _doses(*states: str) -> list[Dose]:
    return list(db.session.scalars(select(Dose).where(Dose.state.in_(states)).order_by(Dose.planned_date, Dose.id)
                                   .limit(200)))


def work() -> dict:
    """What waits for whom: doses to allocate, prepare, dispense, administer; patients in screening; warnings."""
    doses = {"to_allocate": _doses(ORDERED), "to_prepare": _doses(ALLOCATED), "to_dispense": _doses(PREPARED),
             "to_administer": _doses(DISPENSED)}
    screening = list(db.session.scalars(select(Patient).where(Patient.status == "screening").order_by(Patient.code)))
    ids = {dose.patient_id for listed in doses.values() for dose in listed}
    patients = {p.id: p for p in db.session.scalars(select(Patient).where(Patient.id.in_(ids)))} if ids else {}
    return {**doses, "screening": screening, "patients": patients, "supply_warnings": supply.warnings()}
