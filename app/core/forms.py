"""Form helpers shared by the pages."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .errors import InvalidInput, describe


class SignatureForm(FlaskForm):
    """Password re-entry for an e-signature, with an optional reason."""

    password = PasswordField("Your password", validators=[DataRequired()])
    reason = StringField("Reason / comment", validators=[Length(max=2000)])


def validated(form):
    """The form if it validates, else a 422 naming every problem."""
    if not form.validate_on_submit():
        raise InvalidInput("invalid input: " + describe(form.errors), form.errors)
    return form
