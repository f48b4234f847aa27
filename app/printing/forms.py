"""Forms of the printing pages (CSRF-protected by Flask-WTF); the operations check the same rules again."""

from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core import validators
from app.core.forms import DecimalNumberField, PageForm, Rule, SignatureForm
from labels.stock import DPI

from .models import KINDS
from .operations import MAX_COPIES


class TemplateForm(PageForm):
    name = StringField("Template name", validators=[DataRequired(), Length(min=3, max=100)])
    kind = SelectField("Kind", choices=list(KINDS))


class VersionForm(PageForm):
    stock_name = StringField("Stock", validators=[DataRequired(), Length(max=60)])
    width_mm = DecimalNumberField("Width (mm)", places=1, validators=[InputRequired(), NumberRange(5, 250)])
    height_mm = DecimalNumberField("Height (mm)", places=1, validators=[InputRequired(), NumberRange(5, 250)])
    margin_mm = DecimalNumberField("Margin (mm)", places=1, default=1, validators=[InputRequired(), NumberRange(0, 60)])
    change_note = TextAreaField("What this version changes", validators=[DataRequired(), Length(min=3, max=2000)])


class ApprovalForm(SignatureForm):
    """Password re-entry to sign "label template approved"."""


class PrinterForm(PageForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=60)])
    host = StringField("Host (IP address or name)", validators=[DataRequired(), Length(max=253)])
    port = IntegerField("Raw TCP port", default=9100, validators=[InputRequired(), NumberRange(1, 65535)])
    dpi = SelectField("Resolution (dpi)", coerce=int, choices=[str(dpi) for dpi in DPI])
    stock_name = StringField("Loaded stock", validators=[DataRequired(), Length(max=60)])
    stock_width_mm = DecimalNumberField("Stock width (mm)", places=1, validators=[InputRequired(), NumberRange(5, 250)])
    stock_height_mm = DecimalNumberField("Stock height (mm)", places=1,
                                         validators=[InputRequired(), NumberRange(5, 250)])


class PrinterChangeForm(PrinterForm):
    active = BooleanField("In service")
    reason = TextAreaField("Reason for the change", validators=[DataRequired(), Rule(validators.reason)])


class PrintForm(PageForm):
    record_type = HiddenField(validators=[DataRequired()])
    #: record ids, comma-separated
    record_ids = HiddenField(validators=[DataRequired(), Length(max=12000)])
    #: pdf, zpl, or printer:<id>
    target = SelectField("Print to", validate_choice=False, validators=[DataRequired()])
    copies = IntegerField("Copies of each label", default=1, validators=[InputRequired(), NumberRange(1, MAX_COPIES)])
    reason = StringField("Reason (required for a reprint)", validators=[Optional(), Length(max=2000)])
    next = HiddenField()
