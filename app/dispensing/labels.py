"""The dose label and the patient identifier label, printed through the bank's print control (approved template
versions, recorded print jobs) at GET /api/v1/doses/{id}/label.pdf|.zpl and /api/v1/patients/{id}/label.pdf|.zpl."""

from flask_babel import gettext
from sqlalchemy import select

from app.core.errors import RuleViolation
from app.core.timezones import local
from app.extensions import db
from app.lots.models import Lot, ProductCode
from app.patients.models import Patient
from app.patients.operations import get_patient
from app.printing import label_files
from app.printing.builtin import ascii_text, isbt_parts, made
from app.printing.sources import LabelSource, register
from app.storage.models import Unit
from labels import isbt128
from labels.content import DoseLabel, PatientLabel

from .models import ADMINISTERED, DESTROYED, Dose
from .ordering import get_dose


def dose_label(dose: Dose) -> DoseLabel:
    """The syringe's label: its barcode, the patient's trial code, dose number, ISBT 128 data, expiry after thaw."""
    if dose.expires_at is None or dose.lot_id is None:
        raise RuleViolation(gettext("dose %(barcode)s is %(state)s: it is labelled once prepared", barcode=dose.barcode,
                              state=dose.state))
    if dose.state in (ADMINISTERED, DESTROYED):
        raise RuleViolation(gettext("dose %(barcode)s is %(state)s: it gets no label", barcode=dose.barcode,
                              state=dose.state))
    lot = db.session.get(Lot, dose.lot_id)
    patient = db.session.get(Patient, dose.patient_id)
    syringe = db.session.get(Unit, dose.syringe_unit_id)
    din, product, _ = isbt_parts(lot, syringe.division)
    expiration = isbt128.Expiration(local(dose.expires_at).replace(tzinfo=None, second=0, microsecond=0))
    description = ascii_text(db.session.scalar(select(ProductCode.description)
                                               .where(ProductCode.code == lot.product_code)))
    return made(f"dose {dose.barcode}", lambda: DoseLabel(dose.barcode, patient.code, dose.dose_number, din, product,
                                                            expiration, description))


def patient_label(patient: Patient) -> PatientLabel:
    return made(f"patient {patient.code}", lambda: PatientLabel(patient.barcode, patient.code))


register(LabelSource("dose", Dose, get_dose, lambda dose: "dose", dose_label, lambda label: [label.barcode],
                     lambda dose: dose.barcode, "doses.print"))
register(LabelSource("patient", Patient, get_patient, lambda patient: "patient", patient_label,
                     lambda label: [label.barcode], lambda patient: patient.barcode, "patients.print"))
label_files.label_routes("dose", "/doses/<int:dose_id>", "dose_id", "doses.print")
label_files.label_routes("patient", "/patients/<int:patient_id>", "patient_id", "patients.print")
