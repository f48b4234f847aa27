"""Forms of the account pages (CSRF-protected by Flask-WTF)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.core import validators
from app.core.forms import PageForm, Rule
from app.core.permissions import ROLES


class LoginForm(PageForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def at_least_one_role(form, field):
    """One role or more; unlike DataRequired it puts no ``required`` on each checkbox (which would demand all)."""
    if not field.data:
        raise StopValidation(_("choose at least one role"))


ROLES_LABEL = _l("Roles")


class RoleField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=ROLES_LABEL, **kwargs):
        super().__init__(label, choices=list(ROLES), validators=[at_least_one_role], **kwargs)


class UserCreateForm(PageForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(_l("Printed name (shown on signatures)"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Initial password (at least 12 characters)"), validators=[DataRequired()])
    roles = RoleField()


class ReasonForm(PageForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Rule(validators.reason)])


class RolesForm(ReasonForm):
    roles = RoleField()


class SignForm(PageForm):
    meaning = SelectField(_l("Meaning"), validators=[DataRequired()])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class OwnPasswordForm(PageForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password (at least 12 characters)"), validators=[DataRequired()])


class PasswordResetForm(ReasonForm):
    password = PasswordField(_l("New initial password (its owner must change it)"), validators=[DataRequired()])


class LocaleForm(PageForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice("", _l("the site's language")),
                                                  SelectChoice("en", "English"), SelectChoice("fr", "Français")])
