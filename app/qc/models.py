"""Specification versions, their tests and acceptance criteria, and QC results."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

VALUE = Numeric(18, 6)


class Specification(Versioned, db.Model):
    """One version of the release specification of a lot kind; a change makes a new version."""

    __tablename__ = "specifications"
    __audited__ = True
    __table_args__ = (UniqueConstraint("lot_kind", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_kind: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    #: the version new lots of this kind are judged against; older versions stay for the lots tested under them
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    tests: Mapped[list["SpecTest"]] = relationship(back_populates="specification", order_by="SpecTest.id")


class SpecTest(db.Model):
    """A test of a specification and its acceptance criterion: a numeric range or an expected result."""

    __tablename__ = "spec_tests"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("specification_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    specification_id: Mapped[int] = mapped_column(ForeignKey("specifications.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    #: numeric or qualitative
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(30), nullable=True)
    lower: Mapped[Decimal | None] = mapped_column(VALUE, nullable=True)
    lower_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    upper: Mapped[Decimal | None] = mapped_column(VALUE, nullable=True)
    upper_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    expected: Mapped[str | None] = mapped_column(String(100), nullable=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    specification: Mapped[Specification] = relationship(back_populates="tests")

    def criterion(self) -> str:
        """The acceptance criterion in words, e.g. '≥ 95 %' or '= not detected'."""
        if self.kind == "qualitative":
            return f"= {self.expected}"
        parts = []
        if self.lower is not None:
            parts.append(f"{'≥' if self.lower_inclusive else '>'} {self.lower.normalize():f}")
        if self.upper is not None:
            parts.append(f"{'≤' if self.upper_inclusive else '<'} {self.upper.normalize():f}")
        return " and ".join(parts) + f" {self.unit}"


class QcResult(Versioned, db.Model):
    __tablename__ = "qc_results"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    spec_test_id: Mapped[int] = mapped_column(ForeignKey("spec_tests.id"))
    #: as entered: a number with its unit, or a qualitative text
    value: Mapped[Decimal | None] = mapped_column(VALUE, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(30), nullable=True)
    text_value: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: the value converted into the specification's unit, exactly
    spec_value: Mapped[Decimal | None] = mapped_column(VALUE, nullable=True)
    outcome: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(200))
    instrument: Mapped[str] = mapped_column(String(200))
    performed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    performed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("qc_results.id"), nullable=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("qc_results.id"), nullable=True)
    correction_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    spec_test: Mapped[SpecTest] = relationship()

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def verified(self) -> bool:
        return self.verified_by_id is not None

    def summary(self) -> dict:
        return {"id": self.id, "test": self.spec_test.code, "value": self.value, "unit": self.unit,
                "text_value": self.text_value, "outcome": self.outcome, "verified": self.verified}
