"""A reagent or material lot from a supplier."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

#: a received lot waits in quarantine until QA approves or rejects it
MATERIAL_STATES = StateMachine(N_("material lot"), "status", {
    "quarantine": ("approved", "rejected"), "approved": (), "rejected": (),
}, initial=("quarantine",), named_by="supplier_lot")


class MaterialLot(Versioned, db.Model):
    __tablename__ = "material_lots"
    __audited__ = True
    __state_machine__ = MATERIAL_STATES
    __table_args__ = (UniqueConstraint("supplier", "catalogue_number", "supplier_lot"), MATERIAL_STATES.check())

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    supplier: Mapped[str] = mapped_column(String(200))
    catalogue_number: Mapped[str] = mapped_column(String(100))
    supplier_lot: Mapped[str] = mapped_column(String(100))
    expiry: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="quarantine")
    decision_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __decisions__ = {"approved for use": "POST /api/v1/materials/{id}/decision",
                     "rejected": "POST /api/v1/materials/{id}/decision"}
    __attestations__ = ()
    __signer_permission__ = "materials.decide"

    def signed_content(self) -> dict:
        return {"name": self.name, "supplier": self.supplier, "catalogue_number": self.catalogue_number,
                "supplier_lot": self.supplier_lot, "expiry": self.expiry, "status": self.status}
