"""Forms of the account pages (CSRF-protected by Flask-WTF)."""

from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.core import validators
from app.core.forms import PageForm, Rule
from app.core.permissions import ROLES


class LoginForm(PageForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def at_least_one_role(form, field):
    """One role or more; unlike DataRequired it puts no ``required`` on each checkbox (which would demand all)."""
    if not field.data:
        raise StopValidation("choose at least one role")


class RoleField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label="Roles", **kwargs):
        super().__init__(label, choices=list(ROLES), validators=[at_least_one_role], **kwargs)


class UserCreateForm(PageForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    full_name = StringField("Printed name (shown on signatures)", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Initial password (at least 12 characters)", validators=[DataRequired()])
    roles = RoleField()


class ReasonForm(PageForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Rule(validators.reason)])


class RolesForm(ReasonForm):
    roles = RoleField()


class SignForm(PageForm):
    meaning = SelectField("Meaning", validators=[DataRequired()])
    password = PasswordField("Your password", validators=[DataRequired()])


class OwnPasswordForm(PageForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password (at least 12 characters)", validators=[DataRequired()])


class PasswordResetForm(ReasonForm):
    password = PasswordField("New initial password (its owner must change it)", validators=[DataRequired()])
