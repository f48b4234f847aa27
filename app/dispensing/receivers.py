"""Dispensing answers storage's scans: a dose barcode names the dose, a patient barcode the patient."""

from sqlalchemy import select

from app.extensions import db
from app.patients.models import BARCODE_PREFIX as PATIENT_PREFIX
from app.patients.models import Patient
from app.storage.signals import code_scanned

from .models import BARCODE_PREFIX as DOSE_PREFIX
from .models import Dose


def _found(model, prefix: str, code: str):
    """The record of this barcode, looked for only if the code begins as every barcode of its kind does (a vial's
    scan, the most frequent, reads neither table)."""
    return db.session.scalar(select(model).where(model.barcode == code)) if code.startswith(prefix) else None


@code_scanned.connect
def dose_or_patient(code: str, **_):
    if dose := _found(Dose, DOSE_PREFIX, code):
        return {"type": "dose", "id": dose.id, "barcode": dose.barcode, "patient_id": dose.patient_id,
                "dose_number": dose.dose_number, "state": dose.state}
    if patient := _found(Patient, PATIENT_PREFIX, code):
        return {"type": "patient", "id": patient.id, "barcode": patient.barcode, "code": patient.code,
                "status": patient.status}
    return None
