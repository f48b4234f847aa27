"""Demo patients: P-001 enrolled with dose 1 administered and dose 2 prepared, ready to dispense; P-002 enrolled
with no dose yet. Two vials of the released lot are assessed by QA first (the demo excursion flagged them all)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select

from app.auth.models import User
from app.dispensing import handover, ordering, preparation
from app.extensions import db
from app.lots.models import Lot
from app.monitoring.operations import close_flag, open_flags
from app.patients import criteria
from app.patients import operations as patients
from app.storage import handling, operations
from app.storage.models import Unit

PRESCRIBED = 20_000_000


def _answers() -> dict:
    return {c["id"]: {"answer": "met" if c["kind"] == "inclusion" else "absent",
                      "evidence": "screening visit file, investigator's source document"}
            for c in criteria.answered_criteria()}


def _enrolled(code: str, birth_year: int, sex: str, clinician: User, password: str) -> object:
    today = dt.date.today()
    patient = patients.register(code, "CHU Rennes, neurology", today - dt.timedelta(days=30), birth_year, sex)
    patients.assess_eligibility(patient, clinician, password, _answers(), today - dt.timedelta(days=20))
    return patients.change_status(patient, "enrolled", "eligible; inclusion visit done", today - dt.timedelta(days=14))


def _prepared(patient, number: int, vial: Unit, people: dict, password: str, act_as, override: str | None = None):
    dose = ordering.order(patient, act_as(people["clinician"]), number, dt.date.today(), PRESCRIBED, override)
    ordering.allocate(dose, act_as(people["pharmacist"]), [vial.id])
    technician = act_as(people["tech"])
    operations.retrieve(vial, technician)
    handling.thaw(vial, technician)
    return preparation.prepare(dose, technician, 19_800_000, Decimal("88.5"), Decimal("5.00"))


def load_patients(people: dict, password: str, act_as: Callable[[User], User]) -> None:
    lot = db.session.scalar(select(Lot).where(Lot.number == "DP-26-0001"))
    vials = list(db.session.scalars(select(Unit).where(Unit.lot_id == lot.id, Unit.qc_sample.is_(False))
                                    .order_by(Unit.id).limit(2)))
    qa = act_as(people["qa"])
    for vial in vials:
        for flag in open_flags(vial):
            close_flag(flag, qa, password, "vial stayed below -130 °C in the logger's probe position: fit for use")
    clinician = act_as(people["clinician"])
    first = _enrolled("P-001", 1975, "F", clinician, password)
    dose = _prepared(first, 1, vials[0], people, password, act_as)
    handover.dispense(dose, act_as(people["pharmacist"]), password, dose.barcode, first.barcode)
    handover.administer(dose, act_as(people["clinician"]))
    _prepared(first, 2, vials[1], people, password, act_as,
              "demo: dose 2 prepared ahead of its window so that the dispense can be shown")
    _enrolled("P-002", 1982, "M", act_as(people["clinician"]), password)
