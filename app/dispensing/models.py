"""A dose for a patient and a dose number, the vials allocated to it, and its own container (the syringe unit)."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

ORDERED, ALLOCATED, PREPARED, DISPENSED = "ordered", "allocated", "prepared", "dispensed"
ADMINISTERED, RETURNED, DESTROYED = "administered", "returned", "destroyed"
#: ordered by a clinician, vials allocated, prepared into a syringe, dispensed to the ward, administered
DOSE_STATES = StateMachine(N_("dose"), "state", {
    ORDERED: (ALLOCATED, DESTROYED), ALLOCATED: (PREPARED, DESTROYED),
    PREPARED: (DISPENSED, RETURNED, DESTROYED), DISPENSED: (ADMINISTERED, RETURNED, DESTROYED),
    RETURNED: (DESTROYED,), ADMINISTERED: (), DESTROYED: (),
}, initial=(ORDERED,), named_by="barcode")
#: doses that still count for their dose number (a returned or destroyed dose may be ordered again)
ACTIVE = (ORDERED, ALLOCATED, PREPARED, DISPENSED, ADMINISTERED)
DISPENSE = "dose dispensed to the ward"
ROUTE = "intrathecal"
#: how every dose barcode begins (patients.operations.new_barcode adds 8 random characters)
BARCODE_PREFIX = "DS-"


class Dose(Versioned, db.Model):
    __tablename__ = "doses"
    __audited__ = True
    __state_machine__ = DOSE_STATES
    __table_args__ = (DOSE_STATES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    #: 1 to 3 (the protocol's intrathecal injections)
    dose_number: Mapped[int] = mapped_column(Integer)
    #: printed on the dose label; the syringe unit carries the same barcode
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=ORDERED, index=True)
    planned_date: Mapped[dt.date] = mapped_column(Date)
    prescribed_cells: Mapped[int] = mapped_column(BigInteger)
    #: why a dose outside its schedule window was ordered (a clinician's override)
    window_override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    ordered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ordered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True, index=True)
    #: the syringe the dose was prepared into: one dose a syringe (unique, and the way back from a syringe to its dose)
    syringe_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, unique=True, index=True)
    post_thaw_cells: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    viability_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    volume_ml: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)
    #: the earliest expiry after thaw of the vials it was prepared from
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    prepared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    dispensed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    dispensed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    dispense_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    administered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    administered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    route: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: why it was returned or destroyed
    end_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __decisions__ = {DISPENSE: "POST /api/v1/doses/{id}/dispense"}
    __attestations__ = ()
    __signer_permission__ = "doses.dispense"

    def signed_content(self) -> dict:
        """What the pharmacist vouches for: this dose, for this patient, from this lot, prepared as recorded."""
        return {"barcode": self.barcode, "patient_id": self.patient_id, "dose_number": self.dose_number,
                "lot_id": self.lot_id, "syringe_unit_id": self.syringe_unit_id,
                "post_thaw_cells": self.post_thaw_cells, "viability_pct": self.viability_pct,
                "volume_ml": self.volume_ml, "expires_at": self.expires_at}


class DoseAllocation(Versioned, db.Model):
    """A vial reserved for a dose; released (never deleted) when the dose is destroyed before its vial is thawed.
    The database holds a vial to one unreleased allocation at a time."""

    __tablename__ = "dose_allocations"
    __audited__ = True
    __table_args__ = (Index("uq_dose_allocations_unit_id_held", "unit_id", unique=True,
                            sqlite_where=text("released_at IS NULL"), postgresql_where=text("released_at IS NULL")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dose_id: Mapped[int] = mapped_column(ForeignKey("doses.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    allocated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    release_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
