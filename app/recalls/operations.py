"""Rules for recalls: QA opens one with a signature and, in the same transaction, every affected lot not already
closed becomes recalled and every affected unit and undispensed dose is blocked (a membership row each: unit and
dose states are not changed); each unit's disposition is recorded; QA closes the recall, signed, once every unit is
accounted for."""

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import NotFound, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.dispensing.models import ADMINISTERED as DOSE_ADMINISTERED
from app.dispensing.models import DESTROYED as DOSE_DESTROYED
from app.dispensing.models import RETURNED as DOSE_RETURNED
from app.dispensing.models import Dose
from app.extensions import db
from app.lots.models import LOT_STATES
from app.lots.operations import CLOSED_STATES
from app.signatures.operations import signed_change
from app.storage import handling
from app.storage.models import Unit

from . import reach
from .models import CLOSED, CLOSURE, DESTROYED, OPEN, OPENED, Recall, RecallDose, RecallLot, RecallUnit

#: how many open units a refused closure names
NAMED = 20


def get_recall(recall_id: int) -> Recall:
    return get_or_404(Recall, recall_id, "recall")


def lock_recall(recall_id: int) -> Recall:
    recall = db.session.scalar(select(Recall).where(Recall.id == recall_id).with_for_update()
                               .execution_options(populate_existing=True))
    return recall if recall is not None else get_recall(recall_id)


def _target(target_type: str, target_id: int) -> str:
    label = reach.target_label(target_type, target_id)
    if label is None:
        raise NotFound(_("no %(target_type)s has the id %(target_id)s", target_type=target_type, target_id=target_id))
    return label


def _block(recall: Recall, lot_ids: list[int], actor) -> None:
    """Recall the lots not already closed; a membership row for every unit and every dose of them."""
    lots = reach.lock_lots(lot_ids)
    now = utcnow()
    units = [RecallUnit(recall_id=recall.id, unit_id=row.id, state_at_recall=row.state,
                        place_at_recall=None if place is None else str(place),
                        required_action=reach.ACTIONS.get(row.state, reach.QUARANTINE),
                        disposition=reach.ENDED.get(row.state),
                        disposed_at=now if row.state in reach.ENDED else None,
                        disposed_by_id=actor.id if row.state in reach.ENDED else None)
             for row, place in reach.units_of(lot_ids)]
    doses = [RecallDose(recall_id=recall.id, dose_id=row.id, patient_id=row.patient_id, state_at_recall=row.state,
                        blocked=row.state in reach.UNDISPENSED) for row in reach.doses_of(lot_ids)]
    before = {lot.id: lot.state for lot in lots}
    with audit.action(db.session, "lot.recalled", f"recall {recall.number}: {recall.reason}"):
        for lot in lots:
            if lot.state not in CLOSED_STATES:
                LOT_STATES.move(lot, "recalled")
    with audit.action(db.session, "recall.blocked", f"recall {recall.number}: {recall.reason}"):
        db.session.add_all([RecallLot(recall_id=recall.id, lot_id=lot.id, state_before=before[lot.id])
                            for lot in lots])
        db.session.add_all(units)
        db.session.add_all(doses)
        db.session.flush()


@guarded("recalls.open")
def open_recall(target_type: str, target_id: int, signer, password: str, reason: str) -> Recall:
    """QA's signed recall of a donor, procurement, lot or material lot and everything descending from it."""
    reason = validators.reason(reason)
    label = _target(target_type, target_id)
    lot_ids = reach.lot_ids(target_type, target_id)
    if not lot_ids:
        raise RuleViolation(_("nothing to recall: no lot descends from %(label)s", label=label))
    recall = Recall(target_type=target_type, target_id=target_id, target_label=label, reason=reason, state=OPEN,
                    opened_by_id=signer.id, opened_at=utcnow())
    with audit.action(db.session, "recall.open", reason):
        db.session.add(recall)
        db.session.flush()
    signed_change(recall, signer, password, OPENED, "recall.opened", reason, {}, "open_signature_id")
    _block(recall, lot_ids, signer)
    return recall


def _membership(recall: Recall, code: str) -> RecallUnit:
    """The recall's row for the unit with this barcode, locked until the commit (PostgreSQL)."""
    code = code.strip()
    row = db.session.scalar(select(RecallUnit).join(Unit, Unit.id == RecallUnit.unit_id)
                            .where(RecallUnit.recall_id == recall.id, Unit.barcode == code).with_for_update()
                            .execution_options(populate_existing=True))
    if row is None:
        if db.session.scalar(select(Unit.id).where(Unit.barcode == code)) is None:
            raise NotFound(_("no unit has the barcode %(code)s", code=repr(code)))
        raise RuleViolation(_("unit %(code)s is not one of recall %(number)s's units", code=code, number=recall.number))
    return row


def _destroy(unit: Unit, actor, recall: Recall, note: str | None) -> None:
    """A destroyed disposition destroys the unit (storage's destruction, custody chain ended) when it still exists."""
    if unit.state == "destroyed":
        return
    dose = db.session.scalar(select(Dose).where(Dose.syringe_unit_id == unit.id))
    if dose is not None and dose.state not in (DOSE_DESTROYED, DOSE_RETURNED, DOSE_ADMINISTERED):
        raise RuleViolation(_("unit %(barcode)s is the syringe of dose %(barcode2)s, which is %(state)s: return or "
                              "destroy the dose first", barcode=unit.barcode, barcode2=dose.barcode, state=dose.state))
    handling.destroy(unit, actor, f"recall {recall.number}: {note or recall.reason}")


@guarded("recalls.dispose")
def record_disposition(recall: Recall, code: str, actor, disposition: str, note: str | None = None) -> RecallUnit:
    """What was done with one of the recall's units (scanned): quarantined in place, returned or destroyed."""
    note = validators.optional_reason(note, "note")
    recall = lock_recall(recall.id)
    row = _membership(recall, code)
    unit = db.session.get(Unit, row.unit_id)
    if recall.state == CLOSED:
        raise RuleViolation(_("recall %(number)s is closed", number=recall.number))
    if row.disposition is not None:
        raise RuleViolation(_("unit %(barcode)s is already accounted for in recall %(number)s: %(disposition)s at "
                              "%(disposed_at)s UTC", barcode=unit.barcode, number=recall.number,
                              disposition=row.disposition, disposed_at=format(row.disposed_at, "%Y-%m-%d %H:%M")))
    if disposition == DESTROYED:
        _destroy(unit, actor, recall, note)
    with audit.action(db.session, "recall.disposition", note or f"{unit.barcode} {disposition}"):
        row.disposition, row.disposition_note, row.disposed_at, row.disposed_by_id = (disposition, note, utcnow(),
                                                                                      actor.id)
        db.session.flush()
    return row


def open_units(recall: Recall) -> tuple[int, list[str]]:
    """How many of the recall's units have no disposition yet, and the barcodes of the first of them."""
    query = (select(Unit.barcode).join(RecallUnit, RecallUnit.unit_id == Unit.id)
             .where(RecallUnit.recall_id == recall.id, RecallUnit.disposition.is_(None)))
    barcodes = list(db.session.scalars(query.order_by(Unit.barcode)))
    return len(barcodes), barcodes[:NAMED]


@guarded("recalls.close")
def close_recall(recall: Recall, signer, password: str, note: str) -> Recall:
    """QA closes the recall with an e-signature once every unit is accounted for."""
    note = validators.reason(note, "note")
    recall = lock_recall(recall.id)
    if recall.state == CLOSED:
        raise RuleViolation(_("recall %(number)s is already closed", number=recall.number))
    count, named = open_units(recall)
    if count:
        more = f" and {count - len(named)} more" if count > len(named) else ""
        raise RuleViolation(_("recall %(number)s cannot be closed: %(count)s unit(s) not accounted for: "
                              "%(named)s%(more)s", number=recall.number, count=count, named=', '.join(named),
                              more=more), {"open_units": named})
    signed_change(recall, signer, password, CLOSURE, "recall.close", note,
                  {"state": CLOSED, "closed_at": utcnow(), "closure_note": note}, "close_signature_id")
    return recall
