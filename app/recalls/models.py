"""A recall, the lots it recalled, the units it blocked (with each one's disposition) and the doses it reached."""

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

OPEN, CLOSED = "open", "closed"
#: QA opens a recall and closes it, signed, once every unit is accounted for
RECALL_STATES = StateMachine(N_("recall"), "state", {OPEN: (CLOSED,), CLOSED: ()}, initial=(OPEN,), named_by="number")
TARGETS = ("donor", "procurement", "lot", "material")
OPENED, CLOSURE = "recall opened", "recall closed"
#: what must happen to a unit, from its state when the recall reached it
QUARANTINE, RETURN, DESTROY, NOTHING = "quarantine in place", "return", "destroy", "nothing (already ended)"
#: what was done: recorded by whoever did it; administered and destroyed units are accounted for at opening
QUARANTINED, RETURNED, DESTROYED, ADMINISTERED = "quarantined", "returned", "destroyed", "administered"
DISPOSITIONS = (QUARANTINED, RETURNED, DESTROYED)


class Recall(Versioned, db.Model):
    __tablename__ = "recalls"
    __audited__ = True
    __state_machine__ = RECALL_STATES
    __table_args__ = (RECALL_STATES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: donor, procurement, lot or material, and its id: where the forward trace started
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    #: the target in words when the recall was opened (donor code, DIN, lot number, material lot)
    target_label: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    open_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closure_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    close_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)

    units: Mapped[list["RecallUnit"]] = relationship(order_by="RecallUnit.id", viewonly=True)

    __decisions__ = {OPENED: "POST /api/v1/recalls", CLOSURE: "POST /api/v1/recalls/{id}/close"}
    __attestations__ = ()
    __signer_permission__ = "recalls.open"

    @property
    def number(self) -> str:
        return f"R-{self.id:04d}"

    @property
    def target(self) -> str:
        return f"{self.target_type}:{self.target_id}"

    def signed_content(self) -> dict:
        """What QA vouches for: this recall of this target, for this reason."""
        return {"number": self.number, "target": self.target, "target_label": self.target_label,
                "reason": self.reason, "opened_at": self.opened_at}


class RecallLot(db.Model):
    """A lot the recall reached, with its state before (a closed lot keeps its state)."""

    __tablename__ = "recall_lots"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("recall_id", "lot_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    state_before: Mapped[str] = mapped_column(String(20))


class RecallUnit(Versioned, db.Model):
    """A unit the recall blocked: where it was, what must happen to it, and what was done (its disposition)."""

    __tablename__ = "recall_units"
    __audited__ = True
    __table_args__ = (UniqueConstraint("recall_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state_at_recall: Mapped[str] = mapped_column(String(20))
    #: the custody place key (app/custody/places.py) where the unit was when the recall reached it
    place_at_recall: Mapped[str | None] = mapped_column(String(60), nullable=True)
    required_action: Mapped[str] = mapped_column(String(40))
    disposition: Mapped[str | None] = mapped_column(String(20), nullable=True)
    disposition_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    disposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    @property
    def accounted(self) -> bool:
        return self.disposition is not None


class RecallDose(db.Model):
    """A dose made from recalled material: blocked when it was not yet dispensed, else its patient is listed."""

    __tablename__ = "recall_doses"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("recall_id", "dose_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id"), index=True)
    dose_id: Mapped[int] = mapped_column(ForeignKey("doses.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    state_at_recall: Mapped[str] = mapped_column(String(20))
    blocked: Mapped[bool] = mapped_column(Boolean)
