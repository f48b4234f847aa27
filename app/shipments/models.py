"""A shipment: units dispatched together in a shipper to a destination, and what arrived of them."""

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db


class Shipment(Versioned, db.Model):
    """Units dispatched together in a shipper to a destination, closed by a receipt by another person."""

    __tablename__ = "shipments"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination: Mapped[str] = mapped_column(String(200))
    #: the shipper's own barcode
    shipper: Mapped[str] = mapped_column(String(60))
    dispatched_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    dispatched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: what did not match at receipt (missing or unexpected units) and how it was resolved
    discrepancy: Mapped[str | None] = mapped_column(String(2000), nullable=True)

    items: Mapped[list["ShipmentItem"]] = relationship(order_by="ShipmentItem.id")


class ShipmentItem(Versioned, db.Model):
    __tablename__ = "shipment_items"
    __audited__ = True
    __table_args__ = (UniqueConstraint("shipment_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: scanned at receipt; False for a unit missing from the shipper
    received: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
