"""Storage locations of any depth, blocked box positions, and containers (units) with their position."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

LOCATION_KINDS = ("site", "room", "storage_unit", "rack", "box")
UNIT_TYPES = ("ln2_vapour", "freezer_-80", "fridge_2_8", "room")
CONTAINER_TYPES = ("cryovial", "bag", "syringe")
#: a vial is stored, shipped and thawed; a thawed vial goes into a dose, whose syringe (a unit made prepared) is
#: dispensed and administered, or returned; a unit missing at a shipment's receipt is quarantined
UNIT_STATES = StateMachine(N_("unit"), "state", {
    "in_storage": ("in_transit", "thawed", "destroyed"),
    "in_transit": ("in_storage", "quarantined"),
    "quarantined": ("destroyed",),
    "thawed": ("prepared", "destroyed"),
    "prepared": ("dispensed", "returned", "destroyed"),
    "dispensed": ("administered", "returned", "destroyed"),
    "returned": ("destroyed",),
    "administered": (), "destroyed": (),
}, initial=("in_storage", "prepared"), named_by="barcode")


class StorageLocation(Versioned, db.Model):
    __tablename__ = "storage_locations"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("storage_locations.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    #: printed on the location's label; a scan of it finds this location
    barcode: Mapped[str] = mapped_column(String(40), unique=True)
    unit_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    min_temp_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    max_temp_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    #: boxes only: grid size, labels (one character per row; comma-separated column labels), fill order
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    columns: Mapped[int | None] = mapped_column(Integer, nullable=True)
    row_labels: Mapped[str | None] = mapped_column(String(40), nullable=True)
    column_labels: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fill_order: Mapped[str | None] = mapped_column(String(10), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    children: Mapped[list["StorageLocation"]] = relationship(order_by="StorageLocation.id")

    def position_label(self, row: int, col: int) -> str:
        """E.g. 'C7' for row 3, column 7 of a box labelled A–I × 1–9."""
        return f"{self.row_labels[row - 1]}{self.column_labels.split(',')[col - 1]}"


class BlockedPosition(Versioned, db.Model):
    __tablename__ = "blocked_positions"
    __audited__ = True
    __table_args__ = (UniqueConstraint("box_id", "row", "col"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    col: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Unit(Versioned, db.Model):
    """A physical container (cryovial, bag, syringe) holding part of a lot."""

    __tablename__ = "units"
    __audited__ = True
    __state_machine__ = UNIT_STATES
    #: one unit per position, enforced by the database (NULL positions do not collide)
    #: lists of units go in lot order, and a deep page starts from the lot the tallies find (app/storage/tallies.py)
    __table_args__ = (UniqueConstraint("box_id", "row", "col"), UNIT_STATES.check(),
                      Index("ix_units_lot_id_id", "lot_id", "id"),
                      Index("ix_units_state_lot_id_id", "state", "lot_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: internal barcode, unique forever
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    #: ISBT 128 division ("00" undivided, then A0, B0, …)
    division: Mapped[str] = mapped_column(String(2))
    container_type: Mapped[str] = mapped_column(String(20))
    volume_ml: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    cells: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(20), default="in_storage")
    box_id: Mapped[int | None] = mapped_column(ForeignKey("storage_locations.id"), nullable=True, index=True)
    row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    col: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: a QC sample may be thawed before its lot is released
    qc_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    thawed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    thaw_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    box: Mapped[StorageLocation | None] = relationship()
