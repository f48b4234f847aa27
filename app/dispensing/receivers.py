"""Dispensing answers storage's scans: a dose barcode names the dose, a patient barcode the patient."""

from sqlalchemy import select

from app.extensions import db
from app.patients.models import BARCODE_PREFIX as PATIENT_PREFIX
from app.patients.models import Patient
from app.storage.signals import code_scanned

from .models import BARCODE_PREFIX as DOSE_PREFIX
from .models import Dose


@code_scanned.connect
def dose_or_patient(code: str, **_):
    # every dose and patient barcode begins with its prefix: a code with neither (a vial's, the most scanned) is
    # looked for in neither table
    if code.startswith(DOSE_PREFIX) and (dose := db.session.scalar(select(Dose).where(Dose.barcode == code))):
        return {"type": "dose", "id": dose.id, "barcode": dose.barcode, "patient_id": dose.patient_id,
                "dose_number": dose.dose_number, "state": dose.state}
    if code.startswith(PATIENT_PREFIX) and (patient := db.session.scalar(select(Patient)
                                                                           .where(Patient.barcode == code))):
        return {"type": "patient", "id": patient.id, "barcode": patient.barcode, "code": patient.code,
                "status": patient.status}
    return None
