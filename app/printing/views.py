"""Pages: label templates and QA approval, printers (admin), print history, and the print panel of record pages."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import User
from app.core.errors import DomainError, InvalidInput
from app.core.forms import validated
from app.core.lookup import by_id
from app.core.permissions import may, requires
from app.extensions import db
from app.signatures.operations import signatures_for
from app.storage.models import Unit

from . import operations, printers, sources, versions
from .api import file_response
from .forms import ApprovalForm, PrinterChangeForm, PrinterForm, PrintForm, TemplateForm, VersionForm
from .models import LabelTemplate, Printer, PrintJob, TemplateVersion

bp = Blueprint("printing", __name__, template_folder="templates")
RECENT = 200
#: record types whose label preview the API serves (label_files.py); their pages show it at this resolution
PREVIEWS = ("unit", "lot", "box")
PREVIEW_DPI = 200


def _safe_next(target: str | None, fallback: str) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else fallback


@bp.app_template_global("print_panel")
def print_panel(record_type: str, record_id: int) -> dict:
    """What a record's page shows about its label: the version that prints it (or why none), the printers that
    hold its stock, and its print history."""
    panel = {"record_type": record_type, "record_id": record_id, "version": None, "problem": None, "printers": [],
             "history": operations.history(record_type, record_id), "preview": None}
    try:
        source = sources.get(record_type)
        panel["version"] = version = versions.printable_version(source.kind(source.load(record_id)))
    except DomainError as error:
        panel["problem"] = error.message
        return panel
    if record_type in PREVIEWS:
        panel["preview"] = url_for(f"label_files_api.{record_type}_label_png", dpi=PREVIEW_DPI,
                                   **{f"{record_type}_id": record_id})
    panel["printers"] = [p for p in db.session.scalars(select(Printer).where(Printer.active.is_(True))
                                                       .order_by(Printer.name)) if p.holds(version)]
    return panel


@bp.app_template_global("lot_vial_ids")
def lot_vial_ids(lot_id: int) -> str:
    """The ids of the lot's units that still get labels, comma-separated (the whole lot in one job)."""
    ids = db.session.scalars(select(Unit.id).where(Unit.lot_id == lot_id, Unit.state != "destroyed")
                             .order_by(Unit.id))
    return ",".join(map(str, ids))


@bp.app_template_global("printing_users")
def printing_users(ids) -> dict:
    """Users by id, for the print history tables."""
    return by_id(User, ids)


def _record_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(_("%(text)s is not a list of record ids", text=repr(text[:40])),
                           {"record_ids": [_("not ids")]}) from None


def _target(form: PrintForm) -> tuple[str, Printer | None]:
    target = form.target.data or "pdf"
    if target.startswith("printer:"):
        try:
            return "printer", printers.get_printer(int(target.partition(":")[2]))
        except ValueError:
            raise InvalidInput(_("%(target)s is not a printer", target=repr(target)),
                               {"target": [_("unknown")]}) from None
    if target not in ("pdf", "zpl"):
        raise InvalidInput(_("%(target)s: print to a PDF file, a ZPL file or a printer", target=repr(target)),
                           {"target": [_("unknown")]})
    return target, None


@bp.route("/print", methods=["POST"])
@requires("labels.print")
def print_labels():
    """Print from a record's page: a PDF or ZPL file is the answer; a printer job returns to the page."""
    form = validated(PrintForm())
    back = _safe_next(form.next.data, url_for("printing.history_page"))
    output, printer = _target(form)
    try:
        printed = operations.print_labels(form.record_type.data, _record_ids(form.record_ids.data), current_user,
                                          output, form.copies.data, printer, reason=form.reason.data or None)
    except DomainError as error:
        db.session.rollback()
        flash(_("Nothing printed: %(message)s", message=error.message), "error")
        return redirect(back)
    job = printed.job
    if output != "printer":
        return file_response(printed.content, printed.media_type, printed.filename, job)
    if job.status == "failed":
        flash(_("Print job %(id)s failed, nothing counted as printed: %(error)s", id=job.id, error=job.error), "error")
    else:
        flash(_("Print job %(id)s: %(labels)s label(s) delivered to %(name)s.", id=job.id, labels=job.labels,
                name=printer.name), "success")
    return redirect(back)


@bp.route("/labels", methods=["GET", "POST"])
@requires("read", POST="labels.design")
def templates_page():
    form = TemplateForm()
    if form.is_submitted():
        validated(form)
        template = versions.create_template(form.name.data, form.kind.data, current_user)
        flash(_("Template %(name)s created: add its first version.", name=template.name), "success")
        return redirect(url_for("printing.templates_page", _anchor=f"template-{template.id}"))
    listed = db.session.scalars(select(LabelTemplate).order_by(LabelTemplate.kind, LabelTemplate.name)).all()
    return render_template("printing/templates.html", templates=listed, form=form, version_form=VersionForm())


@bp.route("/labels/<int:template_id>/versions", methods=["POST"])
@requires("labels.design")
def add_version(template_id: int):
    form = validated(VersionForm())
    version = versions.add_version(versions.get_template(template_id), current_user, form.data)
    flash(_("Version %(number)s of %(name)s recorded as a draft: QA approves it.", number=version.number,
            name=version.template.name), "success")
    return redirect(url_for("printing.version_page", version_id=version.id))


@bp.route("/labels/versions/<int:version_id>", methods=["GET", "POST"])
@requires("read", POST="labels.approve")
def version_page(version_id: int):
    version = versions.get_version(version_id)
    form = ApprovalForm()
    if form.is_submitted():
        validated(form)
        versions.approve(version, current_user, form.password.data, form.reason.data or None)
        flash(_("Version %(number)s of %(name)s approved: it prints from now on.", number=version.number,
                name=version.template.name), "success")
        return redirect(url_for("printing.version_page", version_id=version.id))
    template = version.template
    can_approve = (may(current_user, "labels.approve") and version.state == "draft"
                   and version.author_id != current_user.id
                   and (template.approved_number is None or version.number > template.approved_number))
    return render_template("printing/version.html", version=version, template=template, form=form,
                           can_approve=can_approve, author=db.session.get(User, version.author_id),
                           signatures=signatures_for(version))


@bp.route("/printers", methods=["GET", "POST"])
@requires("printers.configure")
def printers_page():
    form = PrinterForm()
    if form.is_submitted():
        validated(form)
        printer = printers.create_printer({key: value for key, value in form.data.items() if key != "csrf_token"})
        flash(_("Printer %(name)s added.", name=printer.name), "success")
        return redirect(url_for("printing.printers_page"))
    listed = db.session.scalars(select(Printer).order_by(Printer.name)).all()
    return render_template("printing/printers.html", printers=listed, form=form,
                           change_forms={p.id: PrinterChangeForm(obj=p) for p in listed})


@bp.route("/printers/<int:printer_id>", methods=["POST"])
@requires("printers.configure")
def change_printer(printer_id: int):
    form = validated(PrinterChangeForm())
    data = {key: value for key, value in form.data.items() if key not in ("csrf_token", "reason")}
    printer = printers.change_printer(printers.get_printer(printer_id), data, form.reason.data)
    flash(_("Printer %(name)s changed.", name=printer.name), "success")
    return redirect(url_for("printing.printers_page"))


@bp.route("/prints")
@requires("read")
def history_page():
    statement = select(PrintJob).order_by(PrintJob.id.desc()).limit(RECENT)
    jobs = db.session.scalars(statement).all()
    version_ids = {job.template_version_id for job in jobs}
    return render_template("printing/history.html", jobs=jobs, versions=by_id(TemplateVersion, version_ids),
                           printers=by_id(Printer, {job.printer_id for job in jobs if job.printer_id}),
                           users=by_id(User, {job.requested_by_id for job in jobs}))
