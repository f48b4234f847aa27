"""Product codes, lots, their parents (a DAG), process steps with consumed materials, and deviations."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

KINDS = ("tissue", "culture_passage", "master_cell_bank", "working_cell_bank", "drug_product")
#: a lot is made in process, goes to quarantine for QC, and QA releases or rejects it; a recall or expiry ends it
LOT_STATES = StateMachine(N_("lot"), "state", {
    "in_process": ("quarantine", "rejected", "recalled"),
    "quarantine": ("released", "rejected", "recalled"),
    "released": ("expired", "recalled"),
    "rejected": (), "recalled": (), "expired": (),
}, initial=("in_process",), named_by="number")


class ProductCode(Versioned, db.Model):
    """An entry of the facility's ISBT 128 product code catalogue."""

    __tablename__ = "product_codes"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ISBT 128 product code: a letter (S for cellular therapy, A-D local) and 4 digits
    code: Mapped[str] = mapped_column(String(5), unique=True)
    description: Mapped[str] = mapped_column(String(300))
    lot_kind: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: how long a thawed unit of this product may be used; thawing is refused while it is not configured
    thaw_expiry_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Lot(Versioned, db.Model):
    __tablename__ = "lots"
    __audited__ = True
    __state_machine__ = LOT_STATES
    __table_args__ = (LOT_STATES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    din: Mapped[str] = mapped_column(String(13), index=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("product_codes.code"))
    #: ISBT 128 division of the lot as a whole (its bag label): "00" for the first lot of its DIN and product code,
    #: then the next division no other lot or unit of that DIN and product code holds (app/lots/divisions.py)
    division: Mapped[str] = mapped_column(String(2), default="00", server_default="00")
    #: when the lot expires (its labels carry it); set while in process or in quarantine, before release
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurements.id"), nullable=True, index=True)
    passage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    population_doublings: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="in_process")
    #: the specification version the lot is judged against, fixed at its first QC result
    specification_id: Mapped[int | None] = mapped_column(ForeignKey("specifications.id"), nullable=True)
    decision_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    steps: Mapped[list["ProcessStep"]] = relationship(back_populates="lot", order_by="ProcessStep.id")
    deviations: Mapped[list["Deviation"]] = relationship(back_populates="lot", order_by="Deviation.id")
    qc_results: Mapped[list["QcResult"]] = relationship(order_by="QcResult.id", viewonly=True)  # noqa: F821

    #: decisions, each signed only through the operation that checks its rules
    __decisions__ = {"released for clinical use": "POST /api/v1/lots/{id}/release",
                     "rejected": "POST /api/v1/lots/{id}/reject"}
    __attestations__ = ()
    __signer_permission__ = "lots.release"

    def signed_content(self) -> dict:
        """What a release or rejection vouches for: the lot's identity, state and current QC results."""
        results = [r for r in self.qc_results if r.superseded_by_id is None]
        content = {"number": self.number, "kind": self.kind, "din": self.din, "product_code": self.product_code,
                   "state": self.state, "specification_id": self.specification_id,
                   "qc_results": [r.summary() for r in results]}
        if self.expires_at is not None:  # lots signed before expiry dates existed keep their content hash
            content["expires_at"] = self.expires_at
        return content


class LotParent(db.Model):
    __tablename__ = "lot_parents"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("child_id", "parent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)


class ProcessStep(Versioned, db.Model):
    __tablename__ = "process_steps"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    step_type: Mapped[str] = mapped_column(String(100))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    equipment: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    observations: Mapped[str] = mapped_column(Text, default="")

    lot: Mapped[Lot] = relationship(back_populates="steps")
    materials: Mapped[list["StepMaterial"]] = relationship(order_by="StepMaterial.id")


class StepMaterial(db.Model):
    __tablename__ = "step_materials"
    __audited__ = True
    __immutable__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("process_steps.id"), index=True)
    material_lot_id: Mapped[int] = mapped_column(ForeignKey("material_lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    unit: Mapped[str] = mapped_column(String(20))


class Deviation(Versioned, db.Model):
    __tablename__ = "deviations"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    #: manual, or oos when an out-of-specification QC result opened it
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    qc_result_id: Mapped[int | None] = mapped_column(ForeignKey("qc_results.id"), nullable=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    closure_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)

    lot: Mapped[Lot] = relationship(back_populates="deviations")

    __decisions__ = {"deviation closed": "POST /api/v1/deviations/{id}/close"}
    __attestations__ = ()
    __signer_permission__ = "deviations.close"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def signed_content(self) -> dict:
        return {"lot_id": self.lot_id, "description": self.description, "origin": self.origin,
                "resolution": self.resolution, "closed_at": self.closed_at}
