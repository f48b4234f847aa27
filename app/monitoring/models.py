"""Temperature readings of storage units, excursions out of their range, and the flags excursions put on units."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

SOURCES = ("manual", "csv")
TENTH = Decimal("0.1")


def tenths(value: Decimal | None) -> Decimal | None:
    """A temperature in one canonical form (-150 and -150.0 hash alike)."""
    return None if value is None else Decimal(value).quantize(TENTH)


class TemperatureReading(db.Model):
    """One measurement of a storage unit; at most one per storage unit and instant (enforced by the database)."""

    __tablename__ = "temperature_readings"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("storage_unit_id", "measured_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: indexed by the unique constraint, which starts with it
    storage_unit_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"))
    measured_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    value_c: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    #: whether the value was inside the storage unit's range as it was set when the reading was recorded
    in_range: Mapped[bool] = mapped_column(Boolean)
    #: manual (typed by a person) or csv (imported from a monitor's export)
    source: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Excursion(Versioned, db.Model):
    """A span of out-of-range readings of one storage unit, up to the in-range reading that ended it."""

    __tablename__ = "excursions"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    storage_unit_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: the in-range reading that ended it; None while it goes on
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lowest_c: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    highest_c: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    #: the storage unit's range when the excursion opened
    min_temp_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    max_temp_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    flags: Mapped[list["ExcursionFlag"]] = relationship(back_populates="excursion", order_by="ExcursionFlag.id")

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def summary(self) -> dict:
        return {"excursion_id": self.id, "storage_unit_id": self.storage_unit_id, "started_at": self.started_at,
                "ended_at": self.ended_at, "lowest_c": tenths(self.lowest_c), "highest_c": tenths(self.highest_c),
                "min_temp_c": tenths(self.min_temp_c), "max_temp_c": tenths(self.max_temp_c)}


class ExcursionFlag(Versioned, db.Model):
    """A unit that was stored in the storage unit during an excursion; open until QA signs an assessment."""

    __tablename__ = "excursion_flags"
    __audited__ = True
    __table_args__ = (UniqueConstraint("excursion_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    excursion_id: Mapped[int] = mapped_column(ForeignKey("excursions.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    flagged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    assessment: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closure_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)

    excursion: Mapped[Excursion] = relationship(back_populates="flags")

    __decisions__ = {"excursion assessed": "POST /api/v1/excursion-flags/{id}/close (or "
                                           "POST /api/v1/excursions/{excursion_id}/assess for all its flags)"}
    __attestations__ = ()
    __signer_permission__ = "excursions.assess"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def signed_content(self) -> dict:
        """What QA vouches for: the unit, the excursion as known at signing (span, extremes, range), the assessment."""
        return {"unit_id": self.unit_id, "excursion": self.excursion.summary(), "flagged_at": self.flagged_at,
                "assessment": self.assessment, "closed_at": self.closed_at}
