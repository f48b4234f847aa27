"""The one check every use of a unit asks: is it blocked by a recall? A recall's units stay blocked for good."""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, literal, select, union_all

from app.core.errors import RuleViolation
from app.extensions import db
from app.lots.models import Lot

from .models import Recall, RecallDose, RecallUnit

UNIT_HIT, DOSE_HIT = 0, 1


@cache
def _lots_lock():
    """The share lock of the lots (built once)."""
    return select(Lot.id).where(Lot.id.in_(bindparam("lot_ids", expanding=True))).with_for_update(read=True)


def _lock_lots(lot_ids: list[int]) -> None:
    """Share-lock the lots on PostgreSQL; SQLite has no row locks (a writer there holds the whole database)."""
    if lot_ids and db.session.get_bind().dialect.name != "sqlite":
        db.session.execute(_lots_lock(), {"lot_ids": lot_ids}).all()


@cache
def _first_hit_query():
    """(hit, subject id, recall id) of the first recall blocking one of the units, else the first blocking the dose.
    Built once with bound parameters: it runs before every use of a unit, and building costs more than running."""
    units = (select(literal(UNIT_HIT).label("hit"), RecallUnit.unit_id.label("subject_id"), RecallUnit.recall_id)
             .where(RecallUnit.unit_id.in_(bindparam("unit_ids", expanding=True))))
    doses = (select(literal(DOSE_HIT).label("hit"), RecallDose.dose_id.label("subject_id"), RecallDose.recall_id)
             .where(RecallDose.dose_id == bindparam("dose_id", type_=Integer), RecallDose.blocked.is_(True)))
    hits = union_all(units, doses).subquery()
    return select(hits).order_by(hits.c.hit, hits.c.recall_id).limit(1)


def recall_refusal(units, doing: str, dose=None, lock: bool = True) -> str | None:
    """Why what is being done to these units (and dose) is refused because a recall blocks them; None when none.

    The units' lots are locked for share first (PostgreSQL): a recall opening at the same moment holds them for
    update, so either it commits first and is seen here, or it waits until this use is committed and finds it.
    lock=False only for a check that writes nothing: what it answers may be overtaken, the use itself is not."""
    units = [u for u in units if u is not None]
    if lock:
        _lock_lots(sorted({u.lot_id for u in units}))
    by_id = {u.id: u for u in units}
    if not by_id and dose is None:
        return None
    found = db.session.execute(_first_hit_query(), {"unit_ids": sorted(by_id),
                                                     "dose_id": dose.id if dose is not None else None}).first()
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
