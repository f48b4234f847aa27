"""A signature: who signed what, meaning what, when, and a hash of the content they signed."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class Signature(db.Model):
    __tablename__ = "signatures"
    __audited__ = True
    __immutable__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the signer's printed name at the time of signing
    printed_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the signed record's table name and id
    record_type: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[int] = mapped_column(Integer)
    #: SHA-256 of the canonical JSON of the record's signed content when it was signed
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_signatures_record", "record_type", "record_id"),)
