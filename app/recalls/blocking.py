"""The one check every use of a unit asks: is it blocked by a recall? A recall's units stay blocked for good."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import RuleViolation
from app.extensions import db
from app.lots.models import Lot

from .models import Recall, RecallDose, RecallUnit


def _first_recall(query):
    return db.session.execute(query.order_by(Recall.id).limit(1)).first()


def recall_refusal(units, doing: str, dose=None) -> str | None:
    """Why what is being done to these units (and dose) is refused because a recall blocks them; None when none.

    The units' lots are locked for share first (PostgreSQL): a recall opening at the same moment holds them for
    update, so either it commits first and is seen here, or it waits until this use is committed and finds it."""
    units = [u for u in units if u is not None]
    lot_ids = sorted({u.lot_id for u in units})
    if lot_ids:
        db.session.execute(select(Lot.id).where(Lot.id.in_(lot_ids)).with_for_update(read=True)).all()
    by_id = {u.id: u for u in units}
    if by_id:
        found = _first_recall(select(RecallUnit.unit_id, Recall).join(Recall, Recall.id == RecallUnit.recall_id)
                              .where(RecallUnit.unit_id.in_(sorted(by_id))))
        if found is not None:
            unit_id, recall = found
            return _("unit %(barcode)s is blocked by recall %(number)s: %(reason)s (%(doing)s is not allowed)",
                     barcode=by_id[unit_id].barcode, number=recall.number, reason=recall.reason, doing=_(doing))
    if dose is not None:
        found = _first_recall(select(Recall).join(RecallDose, RecallDose.recall_id == Recall.id)
                              .where(RecallDose.dose_id == dose.id, RecallDose.blocked.is_(True)))
        if found is not None:
            recall = found[0]
            return _("dose %(barcode)s is blocked by recall %(number)s: %(reason)s (%(doing)s is not allowed)",
                     barcode=dose.barcode, number=recall.number, reason=recall.reason, doing=_(doing))
    return None


def require_not_recalled(units, doing: str, dose=None) -> None:
    """Refuse (409) what is being done to these units (or this dose) while a recall blocks them."""
    if refusal := recall_refusal(units, doing, dose):
        raise RuleViolation(refusal)
