"""Pages: temperature excursions with their readings and flags (QA signs assessments), and recording readings."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy import func, or_, select
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.auth.models import User
from app.core.errors import DomainError, InvalidInput
from app.core.forms import DecimalNumberField, PageForm, SignatureForm, validated
from app.core.i18n import format_number
from app.core.lookup import by_id
from app.core.permissions import requires
from app.core.timezones import site_zone
from app.extensions import db
from app.lots.models import Lot
from app.signatures.models import Signature
from app.signatures.operations import content_hash
from app.storage.locations import get_location
from app.storage.models import StorageLocation, Unit

from . import csvimport, operations
from .models import Excursion, ExcursionFlag, TemperatureReading

bp = Blueprint("monitoring", __name__, template_folder="templates")
#: rows shown at most in one table; recent readings shown on the temperature page
LIMIT, RECENT = 500, 50
#: the largest export accepted: characters pasted, bytes uploaded (the API takes as many characters)
MAX_CSV = 2_000_000


class FlagCloseForm(SignatureForm):
    assessment = TextAreaField(_l("Assessment"), validators=[DataRequired(), Length(min=3, max=5000)])


class ReadingForm(PageForm):
    storage_unit_id = SelectField(_l("Storage unit"), coerce=int, validate_choice=False, validators=[InputRequired()])
    measured_at = DateTimeLocalField(_l("Measured at (site time)"), validators=[InputRequired()], tz=site_zone)
    value_c = DecimalNumberField(_l("Temperature (°C)"), validators=[InputRequired()])


class ImportForm(PageForm):
    csv_file = FileField(_l("Monitor export file (CSV)"))
    csv_text = TextAreaField(_l("or paste its text"), validators=[Length(max=MAX_CSV)])


@bp.app_template_filter("temperature_range")
def temperature_range(record) -> str:
    """The acceptable range of a storage unit (or of an excursion's storage unit when it opened), in words."""
    low, high = ("…" if value is None else format_number(value, 1) for value in (record.min_temp_c, record.max_temp_c))
    return _("%(low)s to %(high)s °C", low=low, high=high)


@bp.route("/excursions")
@requires("read")
def excursions_page():
    listed = db.session.scalars(select(Excursion).order_by(Excursion.started_at.desc(), Excursion.id.desc())
                                .limit(LIMIT)).all()
    counted = db.session.execute(select(ExcursionFlag.excursion_id, func.count(), func.count(ExcursionFlag.closed_at))
                                 .where(ExcursionFlag.excursion_id.in_([e.id for e in listed]))
                                 .group_by(ExcursionFlag.excursion_id)).all()
    flags = {excursion_id: (total - closed, closed) for excursion_id, total, closed in counted}
    return render_template("monitoring/excursions.html", excursions=listed, flags=flags, limit=LIMIT,
                           places=by_id(StorageLocation, [e.storage_unit_id for e in listed]))


def _flag_rows(excursion: Excursion) -> list[dict]:
    """Each flag with its unit, the unit's lot and the closing signature (and whether the flag changed since)."""
    units = by_id(Unit, [f.unit_id for f in excursion.flags])
    lots = by_id(Lot, [u.lot_id for u in units.values()])
    signatures = by_id(Signature, [f.closure_signature_id for f in excursion.flags if f.closure_signature_id])
    rows = []
    for flag in excursion.flags:
        signature = signatures.get(flag.closure_signature_id)
        rows.append({"flag": flag, "unit": units[flag.unit_id], "lot": lots[units[flag.unit_id].lot_id],
                     "signature": signature,
                     "changed": signature is not None and signature.content_hash != content_hash(flag)})
    return rows


def _render_excursion(excursion: Excursion, form: FlagCloseForm, error: DomainError | None = None,
                      dialog: int | str | None = None):
    """The excursion page; after a refusal, the message, and the signing dialog it came from open again."""
    query = select(TemperatureReading).where(TemperatureReading.storage_unit_id == excursion.storage_unit_id,
                                             TemperatureReading.measured_at >= excursion.started_at)
    if excursion.ended_at is not None:
        query = query.where(TemperatureReading.measured_at <= excursion.ended_at)
    readings = db.session.scalars(query.order_by(TemperatureReading.measured_at).limit(LIMIT)).all()
    page = render_template("monitoring/excursion.html", excursion=excursion, flags=_flag_rows(excursion),
                           place=db.session.get(StorageLocation, excursion.storage_unit_id), readings=readings,
                           users=by_id(User, [r.recorded_by_id for r in readings]), form=form, limit=LIMIT,
                           error=error.message if error else None, error_dialog=dialog)
    return page, error.status if error else 200


@bp.route("/excursions/<int:excursion_id>")
@requires("read")
def excursion_page(excursion_id: int):
    return _render_excursion(operations.get_excursion(excursion_id), FlagCloseForm(formdata=None))


@bp.route("/excursion-flags/<int:flag_id>/close", methods=["POST"])
@requires("excursions.assess")
def close_flag(flag_id: int):
    flag = operations.get_flag(flag_id)
    excursion_id, form = flag.excursion_id, FlagCloseForm()
    try:
        validated(form)
        operations.close_flag(flag, current_user, form.password.data, form.assessment.data)
    except DomainError as error:
        db.session.rollback()
        return _render_excursion(operations.get_excursion(excursion_id), form, error, flag_id)
    flash(_("Flag of unit %(barcode)s closed: your assessment is signed.",
            barcode=db.session.get(Unit, flag.unit_id).barcode), "success")
    return redirect(url_for("monitoring.excursion_page", excursion_id=excursion_id, _anchor=f"flag-{flag_id}"))


@bp.route("/excursions/<int:excursion_id>/assess", methods=["POST"])
@requires("excursions.assess")
def assess_excursion(excursion_id: int):
    excursion, form = operations.get_excursion(excursion_id), FlagCloseForm()
    try:
        validated(form)
        flags = operations.close_open_flags(excursion, current_user, form.password.data, form.assessment.data)
    except DomainError as error:
        db.session.rollback()
        return _render_excursion(operations.get_excursion(excursion_id), form, error, "all")
    flash(_("%(len)s flag(s) closed: your assessment is signed for each unit.", len=len(flags)), "success")
    return redirect(url_for("monitoring.excursion_page", excursion_id=excursion_id))


def _render_temperature(reading_form: ReadingForm, import_form: ImportForm, error: DomainError | None = None):
    ranged = db.session.scalars(select(StorageLocation).where(
        StorageLocation.kind == "storage_unit",
        or_(StorageLocation.min_temp_c.is_not(None), StorageLocation.max_temp_c.is_not(None)),
    ).order_by(StorageLocation.name))
    reading_form.storage_unit_id.choices = [(p.id, f"{p.name} ({temperature_range(p)})") for p in ranged]
    recent = db.session.scalars(select(TemperatureReading).order_by(TemperatureReading.measured_at.desc(),
                                                                    TemperatureReading.id.desc()).limit(RECENT)).all()
    page = render_template("monitoring/temperature.html", reading_form=reading_form, import_form=import_form,
                           readings=recent, places=by_id(StorageLocation, [r.storage_unit_id for r in recent]),
                           users=by_id(User, [r.recorded_by_id for r in recent]),
                           error=error.message if error else None)
    return page, error.status if error else 200


@bp.route("/temperature")
@requires("read")
def temperature_page():
    return _render_temperature(ReadingForm(formdata=None), ImportForm(formdata=None))


@bp.route("/temperature/readings", methods=["POST"])
@requires("temperature.record")
def record_reading():
    form = ReadingForm()
    try:
        validated(form)
        place = get_location(form.storage_unit_id.data)
        reading, excursion = operations.record_reading(place, form.measured_at.data, form.value_c.data,
                                                       current_user)
    except DomainError as error:
        db.session.rollback()
        return _render_temperature(form, ImportForm(formdata=None), error)
    words = "in range" if reading.in_range else "out of range"
    if excursion is not None:
        words += f"; excursion {excursion.id} {'goes on' if excursion.is_open else 'has ended'}"
    flash(_("Reading of %(name)s at %(when)s recorded: %(value_c)s °C, %(words)s.", name=place.name,
            when=operations.when(reading.measured_at), value_c=reading.value_c, words=words), "success")
    return redirect(url_for("monitoring.temperature_page"))


def _csv_text(form: ImportForm) -> str:
    """The uploaded file's text, else the pasted text."""
    upload = form.csv_file.data
    if not upload:
        if not (form.csv_text.data or "").strip():
            raise InvalidInput(_("choose the monitor's export file or paste its text"), {"csv": [_("empty")]})
        return form.csv_text.data
    raw = upload.read(MAX_CSV + 1)
    if len(raw) > MAX_CSV:
        raise InvalidInput(_("the file is larger than %(max_csv)s bytes", max_csv=format(MAX_CSV, ",")),
                           {"csv_file": [_("too large")]})
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("%(filename)s is not UTF-8 text", filename=upload.filename),
                           {"csv_file": [_("not UTF-8")]}) from None


@bp.route("/temperature/import", methods=["POST"])
@requires("temperature.record")
def import_readings():
    form = ImportForm()
    try:
        validated(form)
        result = csvimport.import_csv(_csv_text(form), current_user)
    except DomainError as error:
        db.session.rollback()
        return _render_temperature(ReadingForm(formdata=None), form, error)
    changed = ", ".join(str(excursion.id) for excursion in result["excursions"]) or "none"
    flash(_("%(result)s reading(s) imported; excursions opened, widened or ended: %(changed)s.",
            result=result['recorded'], changed=changed), "success")
    return redirect(url_for("monitoring.temperature_page"))
