"""Donor, screening test, procurement and the per-year DIN sequence."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

MARKERS = ("HIV", "HBV", "HCV", "HTLV", "syphilis")
METHODS = ("serology", "NAT")
RESULTS = ("negative", "positive", "indeterminate")
#: QA decides a pending donor; a new screening result sends the decision back to pending; an eligible donor may
#: be declared ineligible at once (a withdrawal, a late finding), an ineligible one is decided again only from pending
ELIGIBILITY = StateMachine(N_("donor"), "eligibility", {
    "pending": ("eligible", "ineligible"), "eligible": ("pending", "ineligible"), "ineligible": ("pending",),
}, initial=("pending",), named_by="code")


class Donor(Versioned, db.Model):
    __tablename__ = "donors"
    __audited__ = True
    __state_machine__ = ELIGIBILITY
    __table_args__ = (ELIGIBILITY.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: pseudonymous code; no names are stored
    code: Mapped[str] = mapped_column(String(40), unique=True)
    consent_date: Mapped[dt.date] = mapped_column(Date)
    consent_scope: Mapped[str] = mapped_column(String(500))
    consent_withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: pending until QA signs eligible or ineligible; back to pending when a new screening result arrives
    eligibility: Mapped[str] = mapped_column(String(20), default="pending")
    eligibility_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    screening_tests: Mapped[list["ScreeningTest"]] = relationship(back_populates="donor", order_by="ScreeningTest.id")
    procurements: Mapped[list["Procurement"]] = relationship(back_populates="donor", order_by="Procurement.id")

    __decisions__ = {"donor eligible": "POST /api/v1/donors/{id}/eligibility",
                     "donor ineligible": "POST /api/v1/donors/{id}/eligibility"}
    __attestations__ = ()
    __signer_permission__ = "donors.eligibility"

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None

    def signed_content(self) -> dict:
        """What QA's eligibility decision vouches for: identity, consent and every screening result."""
        return {
            "code": self.code, "consent_date": self.consent_date, "consent_scope": self.consent_scope,
            "consent_withdrawn_at": self.consent_withdrawn_at, "eligibility": self.eligibility,
            "screening_tests": [t.summary() for t in self.screening_tests],
            "donations": [p.din for p in self.procurements],
        }


class ScreeningTest(db.Model):
    __tablename__ = "screening_tests"
    __audited__ = True
    __immutable__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), index=True)
    marker: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    sample_date: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    donor: Mapped[Donor] = relationship(back_populates="screening_tests")

    def summary(self) -> dict:
        return {"id": self.id, "marker": self.marker, "method": self.method, "sample_date": self.sample_date,
                "result": self.result}


class Procurement(Versioned, db.Model):
    __tablename__ = "procurements"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), index=True)
    #: Donation Identification Number: FIN + year + sequence, unique forever
    din: Mapped[str] = mapped_column(String(13), unique=True)
    tissue: Mapped[str] = mapped_column(String(100))
    collected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    site: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    quantity_unit: Mapped[str] = mapped_column(String(10))
    transport_conditions: Mapped[str] = mapped_column(Text)
    collected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_temperature_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    donor: Mapped[Donor] = relationship(back_populates="procurements")


class DinSequence(db.Model):
    __tablename__ = "din_sequences"
    __audit_exempt__ = "a counter; every DIN it hands out is audited on its procurement"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
