"""Storage's answers to what lots ask (app/lots/signals.py)."""

from sqlalchemy import select

from app.extensions import db
from app.lots.signals import divisions_held

from .models import Unit


@divisions_held.connect
def divisions_of_units(sender, lot_ids, **kwargs) -> set[str]:
    """The divisions the units of these lots hold."""
    return set(db.session.scalars(select(Unit.division).where(Unit.lot_id.in_(lot_ids))))
