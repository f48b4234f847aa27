"""Form helpers shared by the pages."""

import contextlib
import datetime as dt
import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from marshmallow import EXCLUDE, ValidationError, fields
from wtforms import DecimalField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import TextInput

from .errors import InvalidInput, describe
from .refusals import kept_input
from .timezones import site_time


class PageForm(FlaskForm):
    """A page's form: drawn again after a refusal with what was typed (app/core/refusals.py) and the field errors."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            kept = kept_input()
            if kept is not None and formdata is _Auto and _posted_here(form, kept):
                return kept["data"]
            return super().wrap_formdata(form, formdata)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = kept_input()
        if kept is not None and _posted_here(self, kept):
            for name, messages in kept["errors"].items():
                if name in self._fields:
                    self._fields[name].errors = list(messages)


def _posted_here(form, kept: dict) -> bool:
    """Whether the refused input belongs to this form: every field it sent is one of the form's."""
    sent = {name for name in kept["data"] if name != "csrf_token"}
    return bool(sent) and sent <= set(form._fields)


class Rule:
    """A WTForms validator running one of the shared input rules (app/core/validators.py) on the field's data."""

    def __init__(self, check, *args, **kwargs):
        self.check, self.args, self.kwargs = check, args, kwargs

    def __call__(self, form, field):
        if field.data is None or field.data == "":
            return
        try:
            field.data = self.check(field.data, field.name, *self.args, **self.kwargs)
        except InvalidInput as error:
            raise StopValidation(next(iter(error.errors.values()))[0]) from None


class DecimalNumberField(DecimalField):
    """A decimal typed as text (a browser's number field drops a decimal comma: "-140,5" became -1405); a decimal
    comma is read as a point."""

    widget = TextInput()

    def __init__(self, *args, render_kw=None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "decimal", **(render_kw or {})}, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata([decimal_point(value) for value in valuelist])


def decimal_point(text: str) -> str:
    """'-140,5' -> '-140.5': a decimal comma as a point; anything else unchanged (the rules refuse it)."""
    return text.strip().replace(",", ".") if re.fullmatch(r"\s*-?[0-9]+,[0-9]+\s*", text) else text


class SignatureForm(PageForm):
    """Password re-entry for an e-signature, with an optional reason."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    reason = StringField(_l("Reason / comment"), validators=[Length(max=2000)])


def validated(form):
    """The form if it validates, else a 422 naming every problem."""
    if not form.validate_on_submit():
        raise InvalidInput(_("invalid input: %(errors)s", errors=describe(form.errors)), form.errors)
    return form


def typed(field, value: str):
    """A typed text as the API's JSON would carry it: integers as numbers, a decimal comma as a point."""
    text = value.strip()
    if isinstance(field, fields.Integer) and re.fullmatch(r"-?[0-9]{1,18}", text):
        return int(text)
    if isinstance(field, fields.Decimal):
        return decimal_point(text)
    return value


def submitted(schema, local_times: tuple[str, ...] = (), **extra) -> dict:
    """The page's form loaded through the API's own schema (same fields, same rules); empty fields are left out,
    datetime-local fields are read as site time; a 422 names every problem."""
    data = {name: value for name, value in request.form.items() if name != "csrf_token" and value.strip() != ""}
    for name in local_times:
        if name in data:
            with contextlib.suppress(ValueError):  # the schema names the problem
                data[name] = site_time(dt.datetime.fromisoformat(data[name])).isoformat()
    data.update(extra)
    for name, field in schema.fields.items():
        if isinstance(data.get(name), str):
            data[name] = typed(field, data[name])
    try:
        return schema.load(data, unknown=EXCLUDE)
    except ValidationError as error:
        raise InvalidInput(_("invalid input: %(errors)s", errors=describe(error.messages)), error.messages) from None
