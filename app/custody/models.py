"""A custody event: where a unit went from and to, who moved it, when, and how its identity was confirmed."""

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db

from . import places

EVENT_TYPES = ("created", "stored", "moved", "retrieved", "dispatched", "received", "thawed", "destroyed",
               "pooled", "dispensed", "administered", "returned")


class CustodyEvent(db.Model):
    __tablename__ = "custody_events"
    __audited__ = True
    __immutable__ = True
    #: one chain per unit: contiguous sequence numbers, and no two events continue the same one
    __table_args__ = (UniqueConstraint("unit_id", "sequence"), UniqueConstraint("previous_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("custody_events.id"), nullable=True)
    event_type: Mapped[str] = mapped_column(String(20))
    #: places as their keys (app/custody/places.py); from_place is None on a unit's first event
    from_place: Mapped[str | None] = mapped_column(String(60), nullable=True)
    to_place: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: scan, or manual (then a reason is required)
    confirmation: Mapped[str] = mapped_column(String(10))
    manual_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)

    @property
    def origin(self) -> places.Place | None:
        return places.parse_optional(self.from_place)

    @property
    def destination(self) -> places.Place:
        return places.parse(self.to_place)
