"""Vials a dose may use: of a released, unexpired lot, in storage, not a QC sample, unflagged and unreserved; first
expiry first out."""

import datetime as dt

from sqlalchemy import exists, select

from app.lots.models import Lot
from app.monitoring.operations import has_open_flag
from app.storage.models import Unit

from .models import DoseAllocation


def usable_vials(now: dt.datetime, lot_id: int | None = None):
    """A select of (Unit, Lot) for every usable vial, in first-expiry-first-out order."""
    query = (select(Unit, Lot).join(Lot, Lot.id == Unit.lot_id)
             .where(Lot.state == "released", Lot.expires_at.is_not(None), Lot.expires_at > now,
                    Unit.state == "in_storage", Unit.container_type == "cryovial", Unit.qc_sample.is_(False),
                    ~exists().where(DoseAllocation.unit_id == Unit.id, DoseAllocation.released_at.is_(None)),
                    ~has_open_flag())
             .order_by(Lot.expires_at, Lot.id, Unit.id))
    return query if lot_id is None else query.where(Lot.id == lot_id)
