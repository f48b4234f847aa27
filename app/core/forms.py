"""Form helpers shared by the pages."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, StopValidation

from .errors import InvalidInput, describe


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


class SignatureForm(FlaskForm):
    """Password re-entry for an e-signature, with an optional reason."""

    password = PasswordField("Your password", validators=[DataRequired()])
    reason = StringField("Reason / comment", validators=[Length(max=2000)])


def validated(form):
    """The form if it validates, else a 422 naming every problem."""
    if not form.validate_on_submit():
        raise InvalidInput("invalid input: " + describe(form.errors), form.errors)
    return form
