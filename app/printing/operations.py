"""Printing labels: one job prints the labels of one or more records of a type, on the approved template version.

Rules:
- The records' label data come from their source (app/printing/sources.py); one job prints one template kind.
- Only the approved version of a template prints (app/printing/versions.py).
- Every label must scan back: each identifying text it carries resolves, through POST /api/v1/scan's own
  resolution, to exactly the record it is printed for, or the job is refused before any byte is produced.
- A record printed before (by a job that produced a file or that a printer confirmed) is printed again only with
  a reason: the job is then a reprint, audited as such. A failed job counts for nothing.
- A job sent to a printer needs an active printer with the template's stock loaded; it is recorded delivered or
  failed with the printer's error. The printed records are locked meanwhile, so two first prints of one record at
  the same moment cannot both pass as first prints.
"""

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import DomainError, RuleViolation
from app.core.permissions import check_actor
from app.extensions import db
from app.storage import scan
from labels.content import LabelError
from labels.pdf import render_pdf
from labels.preview import png_preview
from labels.stock import DPI
from labels.zpl import render_zpl

from . import builtin, delivery, sources, versions  # noqa: F401 (builtin registers the bank's own sources)
from .models import OUTPUTS, PRINTED, PrintedRecord, Printer, PrintJob, TemplateVersion

MAX_RECORDS = 1000
MAX_COPIES = 20
MEDIA_TYPES = {"pdf": "application/pdf", "zpl": "application/zpl", "printer": "application/zpl"}
ZPL_DPI = 203


@dataclass(frozen=True)
class Printed:
    """A recorded job and the bytes it produced (the file handed out, or the ZPL sent to the printer)."""

    job: PrintJob
    content: bytes
    filename: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.job.output]


def _check_request(record_ids: list[int], output: str, copies: int, printer: Printer | None, dpi: int | None) -> None:
    if not record_ids:
        validators.refuse("record_ids", "name at least one record")
    if len(record_ids) > MAX_RECORDS:
        validators.refuse("record_ids", f"at most {MAX_RECORDS} records in one job")
    if len(set(record_ids)) != len(record_ids):
        validators.refuse("record_ids", "name each record once (copies gives several labels of one record)")
    if output not in OUTPUTS:
        validators.refuse("output", f"one of {', '.join(OUTPUTS)}")
    if not 1 <= copies <= MAX_COPIES:
        validators.refuse("copies", f"1 to {MAX_COPIES} labels of each record")
    if (output == "printer") != (printer is not None):
        validators.refuse("printer_id", "a printer is named exactly when the output is printer")
    if dpi is not None and (output != "zpl" or dpi not in DPI):
        validators.refuse("dpi", f"a ZPL file is made for {', '.join(map(str, DPI))} dpi (a printer has its own)")


def _check_scans_back(source: sources.LabelSource, record, label) -> None:
    """Each identifying text of the label resolves to this very record, or the job is refused."""
    name = f"{source.record_type} {source.identifier(record)}"
    for text in source.scans(label):
        try:
            found = scan.resolve(text)
        except DomainError as error:
            raise RuleViolation(_("the label of %(name)s would not scan back (%(text)s: %(message)s): nothing was "
                                  "printed", name=name, text=repr(text), message=error.message)) from None
        if (found["type"], found.get("id")) != (source.record_type, record.id):
            raise RuleViolation(_("the label of %(name)s would scan as %(found)s %(get)s (%(text)s): nothing was "
                                  "printed", name=name, found=found['type'], get=found.get('id'), text=repr(text)))


def printed_before(record_type: str, record_ids: list[int]) -> dict[int, PrintJob]:
    """The last job that printed each of these records (failed jobs never count)."""
    rows = db.session.execute(select(PrintedRecord.record_id, PrintJob).join(PrintJob).where(
        PrintedRecord.record_type == record_type, PrintedRecord.record_id.in_(record_ids),
        PrintJob.status.in_(PRINTED)).order_by(PrintJob.id)).all()
    return {record_id: job for record_id, job in rows}


def _render(labels: list, version: TemplateVersion, output: str, dpi: int, title: str) -> bytes:
    try:
        if output == "pdf":
            return render_pdf(labels, version.stock(), title=title)
        return render_zpl(labels, version.stock(), dpi)
    except LabelError as error:
        raise RuleViolation(_("the labels cannot be printed on %(stock_name)s: %(error)s",
                              stock_name=version.stock_name, error=error)) from None


def _filename(record_type: str, names: list[str], output: str) -> str:
    stem = names[0] if len(names) == 1 else f"{names[0]}-and-{len(names) - 1}-more"
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"labels-{record_type}-{stem}") + (".pdf" if output == "pdf" else ".zpl")


def _deliver(printer: Printer, version: TemplateVersion, zpl: bytes) -> tuple[str, str | None]:
    if not printer.active:
        raise RuleViolation(_("printer %(name)s is out of service", name=printer.name))
    if not printer.holds(version):
        raise RuleViolation(_("printer %(name)s holds %(stock_name)s (%(stock_width_mm)s x %(stock_height_mm)s mm); "
                              "%(name2)s prints on %(stock_name2)s (%(width_mm)s x %(height_mm)s mm)",
                              name=printer.name, stock_name=printer.stock_name, stock_width_mm=printer.stock_width_mm,
                              stock_height_mm=printer.stock_height_mm, name2=version.template.name,
                              stock_name2=version.stock_name, width_mm=version.width_mm, height_mm=version.height_mm))
    try:
        delivery.deliver(printer.host, printer.port, zpl, current_app.config["PRINTER_TIMEOUT_SECONDS"])
    except delivery.DeliveryFailed as error:
        return "failed", f"{printer.name}: {error}"[:500]
    return "delivered", None


def print_labels(record_type: str, record_ids: list[int], actor, output: str = "pdf", copies: int = 1,
                 printer: Printer | None = None, dpi: int | None = None, template_id: int | None = None,
                 reason: str | None = None) -> Printed:
    """Print the labels of these records (each copies times) as one PDF, one ZPL file, or on a printer."""
    source = sources.get(record_type)
    check_actor(source.action)
    _check_request(record_ids, output, copies, printer, dpi)
    reason = validators.optional_reason(reason)
    # Lock the rows first, in one query that also loads them: each source.load then finds its record in the session.
    db.session.scalars(select(source.model).where(source.model.id.in_(record_ids)).with_for_update()).all()
    records = [source.load(record_id) for record_id in record_ids]
    kinds = sorted({source.kind(record) for record in records})
    if len(kinds) > 1:
        raise RuleViolation(_("one job prints one label template; these records need %(kinds)s labels",
                              kinds=' and '.join(kinds)))
    version = versions.printable_version(kinds[0], template_id)
    labels = [source.label(record) for record in records]
    for record, label in zip(records, labels, strict=True):
        _check_scans_back(source, record, label)
    names = [source.identifier(record) for record in records]
    before = printed_before(record_type, record_ids)
    if before and reason is None:
        again = [f"{source.identifier(r)} (job {before[r.id].id})" for r in records if r.id in before]
        raise RuleViolation(_("already printed: %(again)s; a reprint needs a reason", again=', '.join(again)),
                            {"reason": [_("required")]})
    dpi = printer.dpi if printer is not None else ((dpi or ZPL_DPI) if output == "zpl" else None)
    title = f"Labels: {record_type} {', '.join(names[:3])}{' ...' if len(names) > 3 else ''}"
    content = _render([label for label in labels for _ in range(copies)], version, output, dpi, title)
    status, error = _deliver(printer, version, content) if printer is not None else ("produced", None)
    job = PrintJob(template_version_id=version.id, record_type=record_type, output=output,
                   printer_id=printer.id if printer else None, dpi=dpi, copies=copies, labels=len(records) * copies,
                   status=status, error=error, reprint=bool(before), reason=reason,
                   content_sha256=hashlib.sha256(content).hexdigest(), requested_by_id=actor.id,
                   records=[PrintedRecord(position=position, record_type=record_type, record_id=record.id,
                                          identifier=name)
                            for position, (record, name) in enumerate(zip(records, names, strict=True), start=1)])
    action = "label.print_failed" if status == "failed" else ("label.reprint" if before else "label.print")
    with audit.action(db.session, action, reason or error):
        db.session.add(job)
    return Printed(job, content, _filename(record_type, names, output))


def preview(record_type: str, record_id: int, template_id: int | None = None, dpi: int = 300) -> bytes:
    """A PNG of the record's label on the approved template version; printing nothing, recording nothing."""
    source = sources.get(record_type)
    record = source.load(record_id)
    version = versions.printable_version(source.kind(record), template_id)
    try:
        return png_preview(source.label(record), version.stock(), dpi)
    except LabelError as error:
        raise RuleViolation(_("the label cannot be shown on %(stock_name)s: %(error)s", stock_name=version.stock_name,
                              error=error)) from None


def history(record_type: str, record_id: int) -> list[PrintJob]:
    """Every job that printed (or failed to print) this record, newest first."""
    return list(db.session.scalars(select(PrintJob).join(PrintedRecord).where(
        PrintedRecord.record_type == record_type, PrintedRecord.record_id == record_id)
        .order_by(PrintJob.id.desc())))
