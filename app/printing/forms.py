"""Forms of the printing pages (CSRF-protected by Flask-WTF); the operations check the same rules again."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core import validators
from app.core.forms import DecimalNumberField, PageForm, Rule, SignatureForm
from labels.stock import DPI

from .models import KINDS
from .operations import MAX_COPIES


class TemplateForm(PageForm):
    name = StringField(_l("Template name"), validators=[DataRequired(), Length(min=3, max=100)])
    kind = SelectField(_l("Kind"), choices=list(KINDS))


class VersionForm(PageForm):
    stock_name = StringField(_l("Stock"), validators=[DataRequired(), Length(max=60)])
    width_mm = DecimalNumberField(_l("Width (mm)"), places=1, validators=[InputRequired(), NumberRange(5, 250)])
    height_mm = DecimalNumberField(_l("Height (mm)"), places=1, validators=[InputRequired(), NumberRange(5, 250)])
    margin_mm = DecimalNumberField(_l("Margin (mm)"), places=1, default=1,
                                   validators=[InputRequired(), NumberRange(0, 60)])
    change_note = TextAreaField(_l("What this version changes"), validators=[DataRequired(), Length(min=3, max=2000)])


class ApprovalForm(SignatureForm):
    """Password re-entry to sign "label template approved"."""


class PrinterForm(PageForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    host = StringField(_l("Host (IP address or name)"), validators=[DataRequired(), Length(max=253)])
    port = IntegerField(_l("Raw TCP port"), default=9100, validators=[InputRequired(), NumberRange(1, 65535)])
    dpi = SelectField(_l("Resolution (dpi)"), coerce=int, choices=[str(dpi) for dpi in DPI])
    stock_name = StringField(_l("Loaded stock"), validators=[DataRequired(), Length(max=60)])
    stock_width_mm = DecimalNumberField(_l("Stock width (mm)"), places=1,
                                        validators=[InputRequired(), NumberRange(5, 250)])
    stock_height_mm = DecimalNumberField(_l("Stock height (mm)"), places=1,
                                         validators=[InputRequired(), NumberRange(5, 250)])


class PrinterChangeForm(PrinterForm):
    active = BooleanField(_l("In service"))
    reason = TextAreaField(_l("Reason for the change"), validators=[DataRequired(), Rule(validators.reason)])


class PrintForm(PageForm):
    record_type = HiddenField(validators=[DataRequired()])
    #: record ids, comma-separated
    record_ids = HiddenField(validators=[DataRequired(), Length(max=12000)])
    #: pdf, zpl, or printer:<id>
    target = SelectField(_l("Print to"), validate_choice=False, validators=[DataRequired()])
    copies = IntegerField(_l("Copies of each label"), default=1,
                          validators=[InputRequired(), NumberRange(1, MAX_COPIES)])
    reason = StringField(_l("Reason (required for a reprint)"), validators=[Optional(), Length(max=2000)])
    next = HiddenField()
