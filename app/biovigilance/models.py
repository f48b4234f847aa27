"""An adverse reaction or event on a patient, the doses it relates to, and the biovigilance case a serious one opens
(with the donations and products of the backward trace of those doses)."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

KINDS = ("reaction", "event")
NON_SERIOUS = "non-serious"
FATAL, LIFE_THREATENING = "fatal", "life-threatening"
#: seriousness criteria of Regulation (EU) 536/2014 art. 2(2)(33) (as ICH E2A): death, life-threatening,
#: hospitalisation or its prolongation, persistent or significant disability or incapacity, congenital anomaly
SERIOUSNESS = (NON_SERIOUS, FATAL, LIFE_THREATENING, "hospitalisation", "disability", "congenital anomaly")
DEATH = "death"
OUTCOMES = ("recovered", "minor sequelae", "serious sequelae", DEATH)
#: imputability scale of Directive 2006/86/EC annex II part B (serious adverse reactions)
IMPUTABILITY = ("not assessable", "excluded", "unlikely", "possible", "likely", "certain")
#: expectedness against the trial's reference safety information: a SUSAR is a related and unexpected one
EXPECTEDNESS = ("unexpected", "expected")

OPEN, SUBMITTED = "open", "submitted"
#: opened with a serious event, submitted (signed) once the notification holds what it needs
CASE_STATES = StateMachine(N_("biovigilance case"), "state", {OPEN: (SUBMITTED,), SUBMITTED: ()}, initial=(OPEN,),
                           named_by="report_id")
SUBMISSION = "biovigilance notification submitted"
#: days from awareness to the report: 7 for a fatal or life-threatening event (536/2014 art. 42), else 15
URGENT_DAYS, STANDARD_DAYS = 7, 15


class AdverseEvent(db.Model):
    """What happened to a patient, as recorded: never changed (a correction is a case edit, with a reason)."""

    __tablename__ = "adverse_events"
    __audited__ = True
    __immutable__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    #: when the site learnt of it: the notification's clock starts here
    aware_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    seriousness: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(30))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    doses: Mapped[list["AdverseEventDose"]] = relationship(order_by="AdverseEventDose.dose_id", viewonly=True)
    case: Mapped["BiovigilanceCase | None"] = relationship(viewonly=True, uselist=False)

    @property
    def serious(self) -> bool:
        return self.seriousness != NON_SERIOUS

    @property
    def urgent(self) -> bool:
        """Fatal or life-threatening: the 7-day clock."""
        return self.seriousness in (FATAL, LIFE_THREATENING) or self.outcome == DEATH


class AdverseEventDose(db.Model):
    """A dose the event relates to."""

    __tablename__ = "adverse_event_doses"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("event_id", "dose_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("adverse_events.id"), index=True)
    dose_id: Mapped[int] = mapped_column(ForeignKey("doses.id"), index=True)


class BiovigilanceCase(Versioned, db.Model):
    """The notification a serious event needs: 2006/86 annexes III/IV (as amended by 2015/565) and the SUSAR report
    of 536/2014 annex III; open until submitted, signed."""

    __tablename__ = "biovigilance_cases"
    __audited__ = True
    __state_machine__ = CASE_STATES
    __table_args__ = (CASE_STATES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("adverse_events.id"), unique=True)
    report_id: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[dt.date] = mapped_column(Date)
    #: the reporting establishment, as configured when the case was opened
    establishment: Mapped[str] = mapped_column(String(200))
    establishment_fin: Mapped[str] = mapped_column(String(5))
    trial_number: Mapped[str] = mapped_column(String(40))
    reaction_type: Mapped[str | None] = mapped_column(Text, nullable=True)
    imputability: Mapped[str | None] = mapped_column(String(20), nullable=True)
    expectedness: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cause: Mapped[str | None] = mapped_column(Text, nullable=True)
    corrective_actions: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submit_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)

    event: Mapped[AdverseEvent] = relationship(viewonly=True)
    products: Mapped[list["CaseProduct"]] = relationship(order_by="CaseProduct.id", viewonly=True)

    __decisions__ = {SUBMISSION: "POST /api/v1/biovigilance-cases/{id}/submit"}
    __attestations__ = ()
    __signer_permission__ = "biovigilance.manage"

    @property
    def dins(self) -> list[str]:
        return sorted({product.din for product in self.products if product.din})

    def signed_content(self) -> dict:
        """What the signer vouches for: this notification of this event, as it stands."""
        return {"report_id": self.report_id, "event_id": self.event_id, "due_on": self.due_on,
                "establishment": self.establishment, "establishment_fin": self.establishment_fin,
                "trial_number": self.trial_number, "reaction_type": self.reaction_type,
                "imputability": self.imputability, "expectedness": self.expectedness, "cause": self.cause,
                "corrective_actions": self.corrective_actions,
                "products": [[p.dose_id, p.lot_id, p.product_code, p.din] for p in self.products]}


class CaseProduct(db.Model):
    """A product given in a related dose and a donation (DIN) its backward trace reached, as at opening."""

    __tablename__ = "biovigilance_case_products"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("case_id", "dose_id", "din"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("biovigilance_cases.id"), index=True)
    dose_id: Mapped[int] = mapped_column(ForeignKey("doses.id"))
    dose_barcode: Mapped[str] = mapped_column(String(20))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    lot_number: Mapped[str] = mapped_column(String(40))
    product_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    din: Mapped[str] = mapped_column(String(13))
