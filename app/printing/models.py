"""Label templates and their versions (approved by QA before they print), printers, and every print job."""

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db
from labels.stock import Stock

KINDS = ("cryovial", "bag", "box", "dose", "patient")
#: a draft prints once QA approves it, until a later approved version supersedes it
VERSION_STATES = StateMachine(N_("label template version"), "state", {
    "draft": ("approved",), "approved": ("superseded",), "superseded": (),
}, initial=("draft",), named_by="number")
OUTPUTS = ("pdf", "zpl", "printer")
#: produced: a file was handed out (PDF, ZPL); delivered: the printer confirmed receipt; failed: nothing counted
JOB_STATUSES = StateMachine(N_("print job"), "status", {"produced": (), "delivered": (), "failed": ()},
                            initial=("produced", "delivered", "failed"))
PRINTED = ("produced", "delivered")
APPROVED = "label template approved"


class LabelTemplate(Versioned, db.Model):
    """A named label template of one kind; what it prints is defined by its versions."""

    __tablename__ = "label_templates"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the number of the version that prints now; None until QA approves one (bumped by each approval, so two
    #: approvals of the same template at the same moment cannot both pass)
    approved_number: Mapped[int | None] = mapped_column(Integer, nullable=True)

    versions: Mapped[list["TemplateVersion"]] = relationship(back_populates="template",
                                                             order_by="TemplateVersion.number")


class TemplateVersion(Versioned, db.Model):
    """One version of a template: its stock and layout parameters, approved by QA with an e-signature."""

    __tablename__ = "label_template_versions"
    __audited__ = True
    __state_machine__ = VERSION_STATES
    __table_args__ = (UniqueConstraint("template_id", "number"), VERSION_STATES.check())

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("label_templates.id"))
    number: Mapped[int] = mapped_column(Integer)
    stock_name: Mapped[str] = mapped_column(String(60))
    width_mm: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    height_mm: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    margin_mm: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    #: what this version changes, and why
    change_note: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the sample label's PDF as rendered when the version was made: the sample QA approves
    sample_sha256: Mapped[str] = mapped_column(String(64))
    #: draft, approved (prints), superseded (by a later approved version: never prints again)
    state: Mapped[str] = mapped_column(String(12), default="draft")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approval_signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    template: Mapped[LabelTemplate] = relationship(back_populates="versions")

    __decisions__ = {APPROVED: "POST /api/v1/label-template-versions/{id}/approve"}
    __attestations__ = ()
    __signer_permission__ = "labels.approve"

    def stock(self) -> Stock:
        return Stock(self.stock_name, float(self.width_mm), float(self.height_mm), float(self.margin_mm))

    def signer_conflict(self, signer) -> str | None:
        if signer.id == self.author_id:
            return _("the author of a label template version cannot approve it: another QA person signs")
        return None

    def signed_content(self) -> dict:
        """What QA approves: the template, the version's stock and layout parameters, its note and its sample."""
        return {"template": self.template.name, "kind": self.template.kind, "number": self.number,
                "stock_name": self.stock_name, "width_mm": self.width_mm, "height_mm": self.height_mm,
                "margin_mm": self.margin_mm, "change_note": self.change_note, "sample_sha256": self.sample_sha256,
                "author_id": self.author_id}


class Printer(Versioned, db.Model):
    """A Zebra printer on the network, taking raw ZPL on a TCP port, with the stock loaded in it."""

    __tablename__ = "printers"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    host: Mapped[str] = mapped_column(String(253))
    port: Mapped[int] = mapped_column(Integer, default=9100)
    #: print-head resolution: 203, 300 or 600 dpi
    dpi: Mapped[int] = mapped_column(Integer)
    stock_name: Mapped[str] = mapped_column(String(60))
    stock_width_mm: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    stock_height_mm: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def holds(self, version: TemplateVersion) -> bool:
        """Whether the stock loaded in the printer is the size the version prints on."""
        return (self.stock_width_mm, self.stock_height_mm) == (version.width_mm, version.height_mm)


class PrintJob(db.Model):
    """One print: who, which records, which template version, how many copies, when, and how it ended."""

    __tablename__ = "print_jobs"
    __audited__ = True
    __immutable__ = True
    __state_machine__ = JOB_STATUSES
    __table_args__ = (JOB_STATUSES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("label_template_versions.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(20))
    #: pdf or zpl (a file handed out), printer (sent to a Zebra printer)
    output: Mapped[str] = mapped_column(String(10))
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"), nullable=True, index=True)
    dpi: Mapped[int | None] = mapped_column(Integer, nullable=True)
    copies: Mapped[int] = mapped_column(Integer)
    #: labels in the output: records x copies
    labels: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    #: why a job failed, in the words of the printer or the network
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: some record of the job had been printed before: then the reason is required
    reprint: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: SHA-256 of the bytes produced (the PDF, the ZPL file or the ZPL sent)
    content_sha256: Mapped[str] = mapped_column(String(64))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    records: Mapped[list["PrintedRecord"]] = relationship(order_by="PrintedRecord.position")

    @property
    def printed(self) -> bool:
        return self.status in PRINTED


class PrintedRecord(db.Model):
    """A record whose label a job printed, in the job's order."""

    __tablename__ = "print_job_records"
    __audited__ = True
    __immutable__ = True
    __table_args__ = (UniqueConstraint("job_id", "position"), Index("ix_print_job_records_record", "record_type",
                                                                    "record_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("print_jobs.id"))
    position: Mapped[int] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    #: what the record is called on its label (unit barcode, lot number, box barcode)
    identifier: Mapped[str] = mapped_column(String(40))
