"""Rules for lots: creation from a procurement, derivation, processing steps, deviations, state changes."""

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.donors.models import Donor, Procurement
from app.extensions import db
from app.materials.operations import get_material, unusable_because
from app.signatures.operations import signed_change

from . import divisions
from .models import LOT_STATES, Deviation, Lot, LotParent, ProcessStep, ProductCode, StepMaterial

CLOSED_STATES = LOT_STATES.final


def get_lot(lot_id: int) -> Lot:
    return get_or_404(Lot, lot_id, "lot")


def get_deviation(deviation_id: int) -> Deviation:
    return get_or_404(Deviation, deviation_id, "deviation")


def get_step(step_id: int) -> ProcessStep:
    return get_or_404(ProcessStep, step_id, "processing step")


def donors_of(lot: Lot) -> list[Donor]:
    """The donors whose donations this lot comes from (through its DIN)."""
    return list(db.session.scalars(select(Donor).join(Procurement).where(Procurement.din == lot.din).distinct()))


def _require_processing_allowed(lot: Lot) -> None:
    withdrawn = [d.code for d in donors_of(lot) if d.consent_withdrawn]
    if withdrawn:
        raise RuleViolation(_("donor %(withdrawn)s withdrew consent: no further processing of lot %(number)s",
                              withdrawn=', '.join(withdrawn), number=lot.number))


@guarded("catalogue.manage")
def create_product_code(code: str, description: str, lot_kind: str,
                        thaw_expiry_hours: int | None = None) -> ProductCode:
    """Add an entry to the facility's product code catalogue."""
    description = validators.text(description, "description", 300, min_length=3)
    if db.session.scalar(select(ProductCode.id).where(ProductCode.code == code)) is not None:
        raise RuleViolation(_("product code %(code)s is already in the catalogue", code=code))
    product = ProductCode(code=code, description=description, lot_kind=lot_kind, active=True,
                          thaw_expiry_hours=thaw_expiry_hours)
    with audit.action(db.session, "product_code.create"):
        db.session.add(product)
    return product


def _product_code(code: str, kind: str) -> ProductCode:
    product = db.session.scalar(select(ProductCode).where(ProductCode.code == code))
    if product is None or not product.active:
        raise InvalidInput(_("product code %(code)s is not in the catalogue", code=code),
                           {"product_code": [_("unknown")]})
    if product.lot_kind != kind:
        raise InvalidInput(_("product code %(code)s is for %(lot_kind)s lots, not %(kind)s", code=code,
                             lot_kind=product.lot_kind, kind=kind),
                           {"product_code": [_("wrong kind")]})
    return product


def _unique_number(number: str) -> str:
    number = validators.lot_number(number)
    if db.session.scalar(select(Lot.id).where(Lot.number == number)) is not None:
        raise RuleViolation(_("lot number %(number)s is already used", number=number))
    return number


@guarded("lots.create")
def create_tissue_lot(procurement: Procurement, number: str, product_code: str) -> Lot:
    """The first lot of a donation: the received tissue."""
    if procurement.received_at is None:
        raise RuleViolation(_("procurement %(din)s has not been received at the laboratory", din=procurement.din))
    if procurement.donor.consent_withdrawn:
        raise RuleViolation(_("donor %(code)s withdrew consent: no processing", code=procurement.donor.code))
    _product_code(product_code, "tissue")
    lot = Lot(number=_unique_number(number), kind="tissue", din=procurement.din, product_code=product_code,
              division=divisions.for_lot(procurement.din, product_code), procurement_id=procurement.id,
              passage=None, state="in_process")
    with audit.action(db.session, "lot.create"):
        db.session.add(lot)
    return lot


@guarded("lots.create")
def derive_lot(parents: list[Lot], data: dict) -> Lot:
    """A child lot (passage, cell bank, drug product) from one or more parent lots of one donation."""
    if not parents:
        raise InvalidInput(_("a derived lot needs at least one parent"), {"parent_ids": [_("empty")]})
    dins = {p.din for p in parents}
    if len(dins) > 1:
        raise RuleViolation(_("parents come from different donations (DINs %(dins)s): pooling is not supported",
                              dins=", ".join(sorted(dins))))
    for parent in parents:
        if parent.state in CLOSED_STATES:
            raise RuleViolation(_("parent lot %(number)s is %(state)s", number=parent.number, state=parent.state))
        _require_processing_allowed(parent)
    if data["kind"] == "tissue":
        raise InvalidInput(_("tissue lots come from a procurement, not from parents"), {"kind": [_("tissue")]})
    _product_code(data["product_code"], data["kind"])
    din = dins.pop()
    lot = Lot(number=_unique_number(data["number"]), kind=data["kind"], din=din, product_code=data["product_code"],
              division=divisions.for_lot(din, data["product_code"]), passage=data.get("passage"),
              population_doublings=data.get("population_doublings"), state="in_process")
    with audit.action(db.session, "lot.derive"):
        db.session.add(lot)
        db.session.flush()
        db.session.add_all(LotParent(child_id=lot.id, parent_id=p.id) for p in parents)
    return lot


@guarded("lots.steps")
def add_step(lot: Lot, operator, data: dict) -> ProcessStep:
    """Record a processing step and the material lots it consumed (each must be usable that day)."""
    data = {**data, "step_type": validators.text(data["step_type"], "step_type", 100, min_length=2),
            "equipment": validators.text(data["equipment"], "equipment", 200),
            "started_at": validators.past_moment(data["started_at"], "started_at"),
            "ended_at": data.get("ended_at") and validators.past_moment(data["ended_at"], "ended_at"),
            "observations": validators.optional_text(data.get("observations"), "observations", 5000,
                                                     multiline=True) or ""}
    if lot.state != "in_process":
        raise RuleViolation(_("lot %(number)s is %(state)s: processing steps are recorded only in process",
                              number=lot.number, state=lot.state))
    _require_processing_allowed(lot)
    consumed = []
    for item in data.get("materials", []):
        material = get_material(item["material_id"])
        if why := unusable_because(material, data["started_at"].date()):
            raise RuleViolation(_("%(why)s: it cannot be consumed", why=why))
        consumed.append(StepMaterial(material_lot_id=material.id, quantity=item["quantity"], unit=item["unit"]))
    if data.get("ended_at") and data["ended_at"] < data["started_at"]:
        raise InvalidInput(_("a step cannot end before it starts"), {"ended_at": [_("before started_at")]})
    step = ProcessStep(lot=lot, operator_id=operator.id, step_type=data["step_type"], equipment=data["equipment"],
                       started_at=data["started_at"], ended_at=data.get("ended_at"),
                       observations=data.get("observations", ""), materials=consumed)
    with audit.action(db.session, "lot.step"):
        db.session.add(step)
    return step


@guarded("lots.steps")
def close_step(step: ProcessStep, closer, ended_at, observations: str | None) -> ProcessStep:
    ended_at = validators.past_moment(ended_at, "ended_at")
    observations = validators.optional_text(observations, "observations", 5000, multiline=True)
    if step.ended_at is not None:
        raise RuleViolation(_("step %(id)s is already closed", id=step.id))
    if closer.id != step.operator_id:
        raise RuleViolation(_("a step is closed by the operator who performed it"))
    if ended_at < step.started_at:
        raise InvalidInput(_("a step cannot end before it starts"), {"ended_at": [_("before started_at")]})
    with audit.action(db.session, "lot.step_close", "step finished"):
        step.ended_at = ended_at
        if observations:
            step.observations = (step.observations + "\n" + observations).strip()
    return step


@guarded("deviations.open")
def open_deviation(lot: Lot, opener, description: str) -> Deviation:
    description = validators.text(description, "description", 5000, min_length=5, multiline=True)
    deviation = Deviation(lot_id=lot.id, description=description, origin="manual", opened_by_id=opener.id)
    with audit.action(db.session, "deviation.open"):
        db.session.add(deviation)
    return deviation


@guarded("deviations.close")
def close_deviation(deviation: Deviation, signer, password: str, resolution: str) -> Deviation:
    """QA closes a deviation with its resolution and an e-signature."""
    resolution = validators.text(resolution, "resolution", 5000, min_length=5, multiline=True)
    if not deviation.is_open:
        raise RuleViolation(_("deviation %(id)s is already closed", id=deviation.id))
    signed_change(deviation, signer, password, "deviation closed", "deviation.close", resolution,
                  {"resolution": resolution, "closed_at": utcnow()}, "closure_signature_id")
    return deviation


@guarded("lots.quarantine")
def submit_to_quarantine(lot: Lot, reason: str) -> Lot:
    """Processing is finished: the lot waits in quarantine for QC and QA's decision."""
    reason = validators.reason(reason)
    if lot.state != "in_process":
        raise RuleViolation(_("lot %(number)s is %(state)s, not in process", number=lot.number, state=lot.state))
    with audit.action(db.session, "lot.quarantine", reason):
        LOT_STATES.move(lot, "quarantine")
    return lot


@guarded("lots.expiry")
def set_expiry(lot: Lot, expires_at, reason: str) -> Lot:
    """Set when the lot expires (its labels carry it); only before QA's decision, which then vouches for it."""
    reason = validators.reason(reason)
    expires_at = validators.moment(expires_at, "expires_at")
    if expires_at.second or expires_at.microsecond:
        validators.refuse("expires_at", "an expiry is given to the minute (ISBT 128 carries no seconds)")
    if expires_at <= utcnow():
        validators.refuse("expires_at", f"{expires_at.isoformat()} is already past")
    if lot.state not in ("in_process", "quarantine"):
        raise RuleViolation(_("lot %(number)s is %(state)s: its expiry is set before release or rejection",
                              number=lot.number, state=lot.state))
    with audit.action(db.session, "lot.expiry", reason):
        lot.expires_at = expires_at
    return lot


@guarded("lots.retire")
def expire(lot: Lot, reason: str) -> Lot:
    """A released lot reached its expiry: it may no longer be used."""
    reason = validators.reason(reason)
    if lot.state != "released":
        raise RuleViolation(_("lot %(number)s is %(state)s: only a released lot expires", number=lot.number,
                              state=lot.state))
    with audit.action(db.session, "lot.expired", reason):
        LOT_STATES.move(lot, "expired")
    return lot

