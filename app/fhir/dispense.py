"""A dose as a FHIR R5 BiologicallyDerivedProductDispense: which product, for which patient, by whom, when, where."""

from flask import current_app
from flask_babel import gettext as _

from app.auth.models import User
from app.core.errors import RuleViolation
from app.dispensing.models import Dose
from app.extensions import db
from app.patients.models import Patient

from . import codes

#: dose state -> R5 biologicallyderivedproductdispense-status (a destroyed dose was never handed over: unfulfilled)
STATUS = {"prepared": "in-progress", "dispensed": "issued", "administered": "issued", "returned": "returned",
          "destroyed": "unfulfilled"}


def _person(user_id: int | None, function: str) -> dict | None:
    if user_id is None:
        return None
    return {"function": {"text": function}, "actor": {"display": db.session.get(User, user_id).full_name}}


def biologically_derived_product_dispense(dose: Dose) -> dict:
    """The FHIR R5 BiologicallyDerivedProductDispense of a prepared dose (JSON as a dict)."""
    if dose.syringe_unit_id is None:
        raise RuleViolation(_("dose %(barcode)s is %(state)s: it has no product to dispense until it is prepared",
                              barcode=dose.barcode, state=dose.state))
    fin = current_app.config["FIN"]
    patient = db.session.get(Patient, dose.patient_id)
    resource = {
        "resourceType": "BiologicallyDerivedProductDispense",
        "id": str(dose.id),
        "identifier": [{"system": codes.local(fin, "dose-barcode"), "value": dose.barcode}],
        "status": STATUS[dose.state],
        "product": {"reference": f"BiologicallyDerivedProduct/{dose.syringe_unit_id}",
                    "display": f"dose {dose.dose_number} syringe {dose.barcode}"},
        "patient": {"identifier": {"system": codes.local(fin, "trial-subject"), "value": patient.code},
                    "display": f"trial subject {patient.code}"},
        "performer": [p for p in (_person(dose.prepared_by_id, "prepared the dose"),
                                  _person(dose.dispensed_by_id, "dispensed the dose")) if p],
        "quantity": {"value": float(dose.volume_ml), "unit": "mL", "system": codes.UCUM, "code": "mL"},
        "preparedDate": dose.prepared_at.isoformat(),
        "usageInstruction": f"For intrathecal use only. Use before {dose.expires_at.isoformat()}.",
    }
    if dose.dispensed_at is not None:
        resource["whenHandedOver"] = dose.dispensed_at.isoformat()
        resource["destination"] = {"display": f"the ward of trial subject {patient.code}"}
    if dose.end_reason:
        resource["note"] = [{"text": f"{dose.state}: {dose.end_reason}"}]
    return resource
