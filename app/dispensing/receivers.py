"""Dispensing answers storage's scans: a dose barcode names the dose, a patient barcode the patient."""

from sqlalchemy import select

from app.extensions import db
from app.patients.models import Patient
from app.storage.signals import code_scanned

from .models import Dose


@code_scanned.connect
def dose_or_patient(code: str, **_):
    dose = db.session.scalar(select(Dose).where(Dose.barcode == code))
    if dose is not None:
        return {"type": "dose", "id": dose.id, "barcode": dose.barcode, "patient_id": dose.patient_id,
                "dose_number": dose.dose_number, "state": dose.state}
    patient = db.session.scalar(select(Patient).where(Patient.barcode == code))
    if patient is not None:
        return {"type": "patient", "id": patient.id, "barcode": patient.barcode, "code": patient.code,
                "status": patient.status}
    return None
