"""Rules for material lots: QA decides, and only approved, unexpired lots may be consumed."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.extensions import db
from app.signatures.operations import signed_change

from .models import MaterialLot


def get_material(material_id: int) -> MaterialLot:
    return get_or_404(MaterialLot, material_id, "material lot")


def find_by_code(code: str, field: str = "material") -> MaterialLot:
    """The material lot a scanned code names: its internal code MAT-<id>, or the supplier's lot number if only one
    registered lot carries it."""
    code = code.strip()
    if code.upper().startswith("MAT-") and code[4:].isdigit():
        material = db.session.get(MaterialLot, int(code[4:]))
        found = [material] if material is not None else []
    else:
        found = db.session.scalars(select(MaterialLot).where(MaterialLot.supplier_lot == code)).all()
    if not found:
        raise InvalidInput(_("no material lot is registered under %(code)s", code=code),
                           {field: [_("unknown material lot %(code)s", code=code)]})
    if len(found) > 1:
        raise InvalidInput(_("several material lots carry supplier lot %(code)s: scan the internal code (MAT-…)",
                             code=code),
                           {field: [_("ambiguous: scan the internal code")]})
    return found[0]


@guarded("materials.receive")
def receive_material(data: dict) -> MaterialLot:
    """Register a received lot; it waits in quarantine for QA."""
    data = {**data, **{name: validators.text(data[name], name, 200 if name in ("name", "supplier") else 100)
                       for name in ("name", "supplier", "catalogue_number", "supplier_lot")},
            "expiry": validators.bank_date(data["expiry"], "expiry")}
    duplicate = db.session.query(MaterialLot).filter_by(
        supplier=data["supplier"], catalogue_number=data["catalogue_number"], supplier_lot=data["supplier_lot"]
    ).first()
    if duplicate is not None:
        raise RuleViolation(_("lot %(data)s of %(data2)s is already registered (id %(id)s)", data=data['supplier_lot'],
                              data2=data['catalogue_number'], id=duplicate.id))
    material = MaterialLot(status="quarantine", **data)
    with audit.action(db.session, "material.receive"):
        db.session.add(material)
    return material


@guarded("materials.decide")
def decide(material: MaterialLot, signer, password: str, meaning: str, reason: str | None = None) -> MaterialLot:
    """QA approves ('approved for use') or rejects ('rejected') a lot in quarantine, with an e-signature."""
    reason = validators.optional_reason(reason)
    if material.status != "quarantine":
        raise RuleViolation(_("material lot %(supplier_lot)s is already %(status)s", supplier_lot=material.supplier_lot,
                              status=material.status))
    status = "approved" if meaning == "approved for use" else "rejected"
    signed_change(material, signer, password, meaning, "material.decision", reason, {"status": status},
                  "decision_signature_id")
    return material


def unusable_because(material: MaterialLot, on: dt.date) -> str | None:
    """Why this lot may not be consumed on that day, or None."""
    if material.status == "rejected":
        return f"material lot {material.supplier_lot} ({material.name}) was rejected by QA"
    if material.status != "approved":
        return f"material lot {material.supplier_lot} ({material.name}) is in quarantine, not approved by QA"
    if material.expiry < on:
        return f"material lot {material.supplier_lot} ({material.name}) expired on {material.expiry}"
    return None
