"""Pages: login, logout, user administration."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, logout_user
from sqlalchemy import select

from app.core.errors import DomainError, InvalidInput, describe
from app.core.permissions import requires
from app.extensions import db

from . import credentials, operations
from .forms import (
    LocaleForm,
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
    ReasonForm,
    RolesForm,
    SignForm,
    UserCreateForm,
)
from .loading import start_session
from .models import User

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else url_for("web.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@requires("public")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = credentials.login(form.username.data, form.password.data)
        except DomainError as error:
            return render_template("auth/login.html", form=form, error=error.message), error.status
        start_session(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=None)


@bp.route("/logout", methods=["POST"])
@requires("account.own")
def logout():
    credentials.logout(current_user)
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/me/password", methods=["GET", "POST"])
@requires("account.own")
def own_password():
    form = OwnPasswordForm()
    if form.validate_on_submit():
        user = credentials.change_password(current_user, form.current_password.data, form.new_password.data)
        start_session(user)
        flash(_("Your password is changed; your other sessions have ended."), "success")
        return redirect(url_for("web.dashboard"))
    if form.is_submitted():
        raise _invalid(form)
    return render_template("auth/password.html", form=form, locale_form=LocaleForm(locale=current_user.locale or ""))


@bp.route("/me/locale", methods=["POST"])
@requires("account.own")
def own_locale():
    _set_locale(current_user)
    return redirect(url_for("auth.own_password"))


@bp.route("/users/<int:user_id>/locale", methods=["POST"])
@requires("users.manage")
def user_locale(user_id: int):
    _set_locale(operations.get_user(user_id))
    return redirect(url_for("auth.user_detail", user_id=user_id))


def _set_locale(user: User) -> None:
    form = LocaleForm()
    if not form.validate_on_submit():
        raise _invalid(form)
    operations.set_locale(current_user, user, form.locale.data)
    refresh()
    flash(_("Language saved."), "success")


@bp.route("/users", methods=["GET", "POST"])
@requires("users.manage")
def users():
    form = UserCreateForm()
    if form.validate_on_submit():
        user = operations.create_user(form.username.data, form.full_name.data, form.password.data, form.roles.data,
                                      must_change_password=True)
        flash(_("User %(username)s created.", username=user.username), "success")
        return redirect(url_for("auth.user_detail", user_id=user.id))
    everyone = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=everyone, form=form)


@bp.route("/users/<int:user_id>")
@requires("users.manage")
def user_detail(user_id: int):
    user = operations.get_user(user_id)
    roles_form = RolesForm(roles=sorted(user.role_set))
    sign_form = SignForm()
    sign_form.meaning.choices = list(user.__attestations__)
    return render_template("auth/user.html", user=user, roles_form=roles_form, reason_form=ReasonForm(),
                           sign_form=sign_form, reset_form=PasswordResetForm(),
                           locale_form=LocaleForm(locale=user.locale or ""))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@requires("users.manage")
def user_password(user_id: int):
    form = PasswordResetForm()
    if not form.validate_on_submit():
        raise _invalid(form)
    operations.reset_password(current_user, operations.get_user(user_id), form.password.data, form.reason.data)
    flash(_("Password reset: its owner must change it at the next login."), "success")
    return redirect(url_for("auth.user_detail", user_id=user_id))


_ACTIONS = {
    "deactivate": lambda user, reason: operations.deactivate(current_user, user, reason),
    "activate": operations.activate,
    "unlock": operations.unlock,
}


@bp.route("/users/<int:user_id>/<any(deactivate, activate, unlock):action>", methods=["POST"])
@requires("users.manage")
def user_action(user_id: int, action: str):
    form = ReasonForm()
    if not form.validate_on_submit():
        raise _invalid(form)
    _ACTIONS[action](operations.get_user(user_id), form.reason.data)
    flash(_("%(action)s done.", action=action.capitalize()), "success")
    return redirect(url_for("auth.user_detail", user_id=user_id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@requires("users.manage")
def user_roles(user_id: int):
    form = RolesForm()
    if not form.validate_on_submit():
        raise _invalid(form)
    operations.set_roles(current_user, operations.get_user(user_id), form.roles.data, form.reason.data)
    flash(_("Roles changed."), "success")
    return redirect(url_for("auth.user_detail", user_id=user_id))


def _invalid(form) -> DomainError:
    return InvalidInput(_("invalid input: %(errors)s", errors=describe(form.errors)), form.errors)


@bp.app_template_global("person")
def person(user_id: int | None) -> str:
    """A user's printed name, as records show who did what."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""
