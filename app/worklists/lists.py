"""The work lists: who sees each (an action of the permission table), what it selects and where each row links."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from app.auth.models import User
from app.core.types import utcnow
from app.donors.models import Donor
from app.extensions import db
from app.lots.models import Deviation, Lot, ProcessStep
from app.monitoring.models import ExcursionFlag
from app.qc.models import QcResult
from app.shipments.models import Shipment
from app.signatures.models import Signature
from app.storage.models import Unit

#: rows shown per list (the count is exact)
SHOWN = 200


@dataclass(frozen=True)
class WorkList:
    name: str  #: URL slug
    title: str
    action: str  #: who sees it: those allowed this action
    query: Callable[[], object]  #: a select of the rows
    row: Callable[[object], tuple[str, str]]  #: (text, link) of one row


def _lot_of(lot_id: int) -> Lot:
    return db.session.get(Lot, lot_id)


def _access_reviews_due():
    """Active accounts with no "access approved" or "access reviewed" signature within ACCESS_REVIEW_DAYS."""
    since = utcnow() - dt.timedelta(days=current_app.config["ACCESS_REVIEW_DAYS"])
    reviewed = exists().where(Signature.record_type == User.__tablename__, Signature.record_id == User.id,
                              Signature.meaning.in_(User.__attestations__), Signature.signed_at >= since)
    return select(User).where(User.active.is_(True), ~reviewed).order_by(User.username)


LISTS = (
    WorkList("open-steps", _l("Processing steps open"), "lots.steps",
             lambda: select(ProcessStep).where(ProcessStep.ended_at.is_(None)).order_by(ProcessStep.id),
             lambda s: (_("%(lot)s: %(step)s on %(equipment)s", lot=_lot_of(s.lot_id).number, step=s.step_type,
                                  equipment=s.equipment),
                        url_for("lots.lot", lot_id=s.lot_id))),
    WorkList("vials-to-place", _l("Vials to place"), "units.store",
             lambda: select(Unit).where(Unit.state == "in_storage", Unit.box_id.is_(None)).order_by(Unit.id),
             lambda u: (f"{u.barcode} ({_lot_of(u.lot_id).number})", url_for("storage.unit_page", unit_id=u.id))),
    WorkList("shipments-to-receive", _l("Shipments to receive"), "shipments.receive",
             lambda: select(Shipment).where(Shipment.received_at.is_(None)).order_by(Shipment.id),
             lambda s: (_("Shipment %(id)s to %(destination)s", id=s.id, destination=s.destination),
                        url_for("shipments.shipment_page", shipment_id=s.id))),
    WorkList("results-to-verify", _l("QC results to verify"), "lots.release",
             lambda: select(QcResult).where(QcResult.verified_by_id.is_(None), QcResult.superseded_by_id.is_(None))
             .order_by(QcResult.id),
             lambda r: (f"{_lot_of(r.lot_id).number}: {r.spec_test.code}",
                        url_for("lots.lot", lot_id=r.lot_id, _anchor=f"qc-{r.id}"))),
    WorkList("lots-awaiting-release", _l("Lots awaiting release"), "lots.release",
             lambda: select(Lot).where(Lot.state == "quarantine").order_by(Lot.id),
             lambda lot: (lot.number, url_for("release.release_page", lot_id=lot.id))),
    WorkList("open-deviations", _l("Open deviations"), "deviations.close",
             lambda: select(Deviation).where(Deviation.closed_at.is_(None)).order_by(Deviation.id),
             lambda d: (f"#{d.id} {_lot_of(d.lot_id).number}: {d.description[:80]}",
                        url_for("lots.lot", lot_id=d.lot_id, _anchor=f"deviation-{d.id}"))),
    WorkList("open-flags", _l("Open excursion flags"), "excursions.assess",
             lambda: select(ExcursionFlag).where(ExcursionFlag.closed_at.is_(None)).order_by(ExcursionFlag.id),
             lambda f: (_("Excursion %(id)s, unit %(barcode)s", id=f.excursion_id,
                                 barcode=db.session.get(Unit, f.unit_id).barcode),
                        url_for("monitoring.excursion_page", excursion_id=f.excursion_id))),
    WorkList("donors-awaiting-decision", _l("Donors awaiting an eligibility decision"), "donors.eligibility",
             lambda: select(Donor).where(Donor.eligibility == "pending").order_by(Donor.code),
             lambda d: (d.code, url_for("donors.donor", donor_id=d.id))),
    WorkList("locked-accounts", _l("Locked accounts"), "users.manage",
             lambda: select(User).where(User.locked_at.is_not(None)).order_by(User.username),
             lambda u: (f"{u.full_name} ({u.username})", url_for("auth.user_detail", user_id=u.id))),
    WorkList("access-reviews-due", _l("Access reviews due"), "users.manage", _access_reviews_due,
             lambda u: (f"{u.full_name} ({u.username}): {u.roles.replace(',', ', ')}",
                        url_for("auth.user_detail", user_id=u.id))),
)
