"""Rules for label templates and their versions: a version prints only once QA approved it with a signature.

- A template has one kind (cryovial, bag, box, dose, patient); a version sets its stock (size, margin) and says
  what it changes. A version whose sample does not fit its stock is refused before it is recorded.
- QA approves a draft with an e-signature ("label template approved"); the approver is not the version's author,
  and only a version newer than the approved one is approved. The approval supersedes the previous version:
  a superseded version never prints again, though its sample stays viewable.
- Approvals of one template are serialised (its row is locked, and its approved_number is bumped).
"""

import hashlib
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.extensions import db
from app.signatures.operations import signed_change
from labels.content import LabelError
from labels.pdf import render_pdf
from labels.preview import png_preview
from labels.stock import Stock

from .models import APPROVED, KINDS, VERSION_STATES, LabelTemplate, TemplateVersion
from .samples import sample

TENTH = Decimal("0.1")


def get_template(template_id: int) -> LabelTemplate:
    return get_or_404(LabelTemplate, template_id, "label template")


def get_version(version_id: int) -> TemplateVersion:
    return get_or_404(TemplateVersion, version_id, "label template version")


def lock(template: LabelTemplate) -> LabelTemplate:
    """Lock the template row and read it afresh (PostgreSQL; SQLite writes are serial)."""
    return db.session.scalars(select(LabelTemplate).where(LabelTemplate.id == template.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


@guarded("labels.design")
def create_template(name: str, kind: str, author) -> LabelTemplate:
    """A new template of a kind; it prints nothing until a version of it is approved."""
    name = validators.text(name, "name", 100, min_length=3)
    if kind not in KINDS:
        validators.refuse("kind", f"one of {', '.join(KINDS)}")
    if db.session.scalar(select(LabelTemplate.id).where(LabelTemplate.name == name)) is not None:
        raise RuleViolation(_("a label template is already named %(name)s", name=repr(name)))
    template = LabelTemplate(name=name, kind=kind, created_by_id=author.id)
    with audit.action(db.session, "label_template.create"):
        db.session.add(template)
    return template


def millimetres(value, field: str) -> Decimal:
    """A length to 0.1 mm, exactly (a float is read by its shortest decimal form)."""
    number = Decimal(str(value)) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else None
    if number is None or not number.is_finite() or number.as_tuple().exponent < -1:
        validators.refuse(field, f"{value!r} is not a length in millimetres to 0.1 mm")
    return number.quantize(TENTH)


def _stock(data: dict) -> tuple[Stock, dict]:
    """The stock the version prints on, and its sizes as stored."""
    sizes = {field: millimetres(data[field], field) for field in ("width_mm", "height_mm", "margin_mm")}
    try:
        stock = Stock(validators.text(data["stock_name"], "stock_name", 60), *(float(v) for v in sizes.values()))
    except LabelError as error:
        raise InvalidInput(str(error), {"stock": [str(error)]}) from None
    return stock, sizes


def sample_pdf(kind: str, stock: Stock) -> bytes:
    """The kind's sample label on this stock; a stock too small for the template is refused (422)."""
    try:
        return render_pdf([sample(kind)], stock, title=f"Sample {kind} label")
    except LabelError as error:
        raise InvalidInput(_("the %(kind)s template does not fit this stock: %(error)s", kind=kind, error=error),
                           {"stock": [str(error)]}) from None


@guarded("labels.design")
def add_version(template: LabelTemplate, author, data: dict) -> TemplateVersion:
    """A new draft version of the template: its stock, layout parameters and what it changes."""
    stock, sizes = _stock(data)
    note = validators.text(data["change_note"], "change_note", 2000, min_length=3, multiline=True)
    digest = hashlib.sha256(sample_pdf(template.kind, stock)).hexdigest()
    template = lock(template)
    number = (db.session.scalar(select(func.max(TemplateVersion.number))
                                .where(TemplateVersion.template_id == template.id)) or 0) + 1
    version = TemplateVersion(template_id=template.id, number=number, stock_name=stock.name, **sizes,
                              change_note=note, sample_sha256=digest, state="draft", author_id=author.id)
    with audit.action(db.session, "label_template.version"):
        db.session.add(version)
    return version


@guarded("labels.approve")
def approve(version: TemplateVersion, signer, password: str, reason: str | None = None) -> TemplateVersion:
    """QA approves a draft: it prints from now on, and the version approved before it is superseded."""
    reason = validators.optional_reason(reason)
    template = lock(version.template)
    if version.state != "draft":
        raise RuleViolation(_("version %(number)s of %(name)s is %(state)s: only a draft is approved",
                              number=version.number, name=template.name, state=version.state))
    if template.approved_number is not None and version.number < template.approved_number:
        raise RuleViolation(_("version %(approved_number)s of %(name)s is approved: the older version %(number)s "
                              "cannot replace it (make a new version)", approved_number=template.approved_number,
                              name=template.name, number=version.number))
    previous = current_version(template)
    now = utcnow()
    if previous is not None:
        with audit.action(db.session, "label_template.supersede", f"superseded by version {version.number}"):
            VERSION_STATES.move(previous, "superseded")
            previous.superseded_at = now
    signed_change(version, signer, password, APPROVED, "label_template.approve", reason,
                  {"state": "approved", "approved_at": now}, "approval_signature_id")
    with audit.action(db.session, "label_template.current", f"version {version.number} approved"):
        template.approved_number = version.number
    return version


def current_version(template: LabelTemplate) -> TemplateVersion | None:
    """The approved version of the template, the one that prints."""
    return db.session.scalar(select(TemplateVersion).where(TemplateVersion.template_id == template.id,
                                                           TemplateVersion.state == "approved"))


def printable_version(kind: str, template_id: int | None = None) -> TemplateVersion:
    """The approved version that prints labels of this kind: of the template named, or of the one template of
    this kind that has one."""
    if template_id is not None:
        template = get_template(template_id)
        if template.kind != kind:
            raise RuleViolation(_("template %(name)s prints %(kind)s labels, not %(kind2)s labels", name=template.name,
                                  kind=template.kind, kind2=kind))
        version = current_version(template)
        if version is None:
            raise RuleViolation(_("template %(name)s has no approved version: QA approves one before it prints",
                                  name=template.name))
        return version
    versions = db.session.scalars(select(TemplateVersion).join(LabelTemplate).where(
        LabelTemplate.kind == kind, TemplateVersion.state == "approved").order_by(LabelTemplate.name)).all()
    if not versions:
        raise RuleViolation(_("no approved %(kind)s label template: QA approves a template version before it prints",
                              kind=kind))
    if len(versions) > 1:
        names = ", ".join(v.template.name for v in versions)
        raise InvalidInput(_("several templates print %(kind)s labels (%(names)s): name the template_id", kind=kind,
                             names=names),
                           {"template_id": [_("required")]})
    return versions[0]


def sample_png(version: TemplateVersion, dpi: int = 300) -> bytes:
    """The version's sample as an image; superseded versions stay viewable."""
    return png_preview(sample(version.template.kind), version.stock(), dpi)
