"""A recall as people read it (its page, the API, the report): the lots, every unit with where it is now and what
must happen to it, the blocked doses and every patient who received affected material."""

from sqlalchemy import func, select

from app.auth.models import User
from app.core.lookup import by_id
from app.dispensing.models import Dose
from app.extensions import db
from app.lots.models import Lot
from app.patients.models import Patient
from app.trace import nodes

from .models import Recall, RecallDose, RecallLot, RecallUnit


def lots(recall: Recall) -> list[dict]:
    query = (select(Lot.id, Lot.number, Lot.kind, Lot.state, RecallLot.state_before)
             .join(RecallLot, RecallLot.lot_id == Lot.id).where(RecallLot.recall_id == recall.id).order_by(Lot.id))
    return [{"lot_id": r.id, "number": r.number, "kind": r.kind, "state_before": r.state_before, "state": r.state}
            for r in db.session.execute(query)]


def unit_rows(recall: Recall, open_only: bool = False):
    """The SELECT of the recall's unit rows, in the order they were blocked (open ones only if asked)."""
    query = select(RecallUnit).where(RecallUnit.recall_id == recall.id)
    return (query.where(RecallUnit.disposition.is_(None)) if open_only else query).order_by(RecallUnit.id)


def describe_units(rows: list[RecallUnit]) -> list[dict]:
    """Each unit row with the unit's barcode, lot, state and place now, in a fixed number of queries."""
    now = nodes.units([r.unit_id for r in rows]) if rows else {}
    numbers = dict(db.session.execute(select(Lot.id, Lot.number).where(
        Lot.id.in_({facts["lot_id"] for facts in now.values()}))).all()) if now else {}
    people = by_id(User, {r.disposed_by_id for r in rows if r.disposed_by_id})
    return [{"unit_id": r.unit_id, "barcode": now[r.unit_id]["label"], "lot": numbers[now[r.unit_id]["lot_id"]],
             "container_type": now[r.unit_id]["container_type"], "state_at_recall": r.state_at_recall,
             "state": now[r.unit_id]["state"], "location": now[r.unit_id]["location"],
             "required_action": r.required_action, "disposition": r.disposition, "note": r.disposition_note,
             "disposed_at": r.disposed_at,
             "disposed_by": people[r.disposed_by_id].full_name if r.disposed_by_id in people else None}
            for r in rows]


def units(recall: Recall) -> list[dict]:
    return describe_units(list(db.session.scalars(unit_rows(recall))))


def doses(recall: Recall) -> list[dict]:
    """Every dose made from the recalled lots, with its patient; received when it was dispensed to the ward."""
    query = (select(Dose, Patient.code, RecallDose.blocked, RecallDose.state_at_recall)
             .join(RecallDose, RecallDose.dose_id == Dose.id).join(Patient, Patient.id == Dose.patient_id)
             .where(RecallDose.recall_id == recall.id).order_by(Patient.code, Dose.dose_number, Dose.id))
    return [{"dose_id": dose.id, "barcode": dose.barcode, "dose_number": dose.dose_number,
             "patient_id": dose.patient_id, "patient": code, "state": dose.state, "state_at_recall": state_at_recall,
             "blocked": blocked,
             "received": dose.dispensed_at is not None, "dispensed_at": dose.dispensed_at,
             "administered_at": dose.administered_at}
            for dose, code, blocked, state_at_recall in db.session.execute(query)]


def counts(recall: Recall) -> dict:
    """How many units the recall holds and how many are not accounted for yet."""
    total = db.session.scalar(select(func.count()).select_from(RecallUnit).where(RecallUnit.recall_id == recall.id))
    left = db.session.scalar(select(func.count()).select_from(RecallUnit).where(
        RecallUnit.recall_id == recall.id, RecallUnit.disposition.is_(None)))
    return {"units": total, "open_units": left}


def overview(recall: Recall) -> dict:
    """The recall, its lots, doses and patients, and its counts (the units come a page at a time)."""
    found_lots, found_doses = lots(recall), doses(recall)
    return {"recall": recall, "lots": found_lots, "doses": found_doses,
            "patients": [d for d in found_doses if d["received"]],
            "summary": {"lots": len(found_lots), **counts(recall),
                        "blocked_doses": sum(1 for d in found_doses if d["blocked"]),
                        "patients": len({d["patient_id"] for d in found_doses if d["received"]})}}
