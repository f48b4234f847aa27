"""The one check every use of a unit asks: is it blocked by a recall? A recall's units stay blocked for good."""

from flask_babel import gettext as _
from sqlalchemy import literal, select, union_all

from app.core.errors import RuleViolation
from app.extensions import db
from app.lots.models import Lot

from .models import Recall, RecallDose, RecallUnit

UNIT_HIT, DOSE_HIT = 0, 1


def _lock_lots(lot_ids: list[int]) -> None:
    """Share-lock the lots on PostgreSQL; SQLite has no row locks (a writer there holds the whole database)."""
    if lot_ids and db.session.get_bind().dialect.name != "sqlite":
        db.session.execute(select(Lot.id).where(Lot.id.in_(lot_ids)).with_for_update(read=True)).all()


def _first_hit(unit_ids: list[int], dose_id: int | None):
    """(hit, subject id, recall id) of the first recall blocking one of these units, else the first blocking the
    dose, or None: one query."""
    branches = []
    if unit_ids:
        branches.append(select(literal(UNIT_HIT).label("hit"), RecallUnit.unit_id.label("subject_id"),
                               RecallUnit.recall_id).where(RecallUnit.unit_id.in_(unit_ids)))
    if dose_id is not None:
        branches.append(select(literal(DOSE_HIT).label("hit"), RecallDose.dose_id.label("subject_id"),
                               RecallDose.recall_id).where(RecallDose.dose_id == dose_id, RecallDose.blocked.is_(True)))
    if not branches:
        return None
    query = union_all(*branches).subquery()
    return db.session.execute(select(query).order_by(query.c.hit, query.c.recall_id).limit(1)).first()


def recall_refusal(units, doing: str, dose=None) -> str | None:
    """Why what is being done to these units (and dose) is refused because a recall blocks them; None when none.

    The units' lots are locked for share first (PostgreSQL): a recall opening at the same moment holds them for
    update, so either it commits first and is seen here, or it waits until this use is committed and finds it."""
    units = [u for u in units if u is not None]
    _lock_lots(sorted({u.lot_id for u in units}))
    by_id = {u.id: u for u in units}
    found = _first_hit(sorted(by_id), dose.id if dose is not None else None)
    if found is None:
        return None
    recall = db.session.get(Recall, found.recall_id)
    if found.hit == UNIT_HIT:
        return _("unit %(barcode)s is blocked by recall %(number)s: %(reason)s (%(doing)s is not allowed)",
                 barcode=by_id[found.subject_id].barcode, number=recall.number, reason=recall.reason, doing=_(doing))
    return _("dose %(barcode)s is blocked by recall %(number)s: %(reason)s (%(doing)s is not allowed)",
             barcode=dose.barcode, number=recall.number, reason=recall.reason, doing=_(doing))


def require_not_recalled(units, doing: str, dose=None) -> None:
    """Refuse (409) what is being done to these units (or this dose) while a recall blocks them."""
    if refusal := recall_refusal(units, doing, dose):
        raise RuleViolation(refusal)
