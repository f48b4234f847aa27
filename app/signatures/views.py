"""Pages: signing an attestation about an account, and the signatures of a record for any page to show.

The account pages (app/auth) are below this package: they show ``signatures_of(user)`` and post the signing form
here, and import nothing of it."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import SignForm
from app.auth.operations import get_user
from app.core.errors import InvalidInput, describe
from app.core.permissions import requires

from . import operations

bp = Blueprint("signatures", __name__)


@bp.app_template_global("signatures_of")
def signatures_of(record) -> list[dict]:
    """The record's signatures, each with whether the record changed since (operations.signatures_for)."""
    return operations.signatures_for(record)


@bp.route("/users/<int:user_id>/sign", methods=["POST"])
@requires("users.attest")
def user_sign(user_id: int):
    user = get_user(user_id)
    form = SignForm()
    form.meaning.choices = list(user.__attestations__)
    if not form.validate_on_submit():
        raise InvalidInput(_("invalid input: %(errors)s", errors=describe(form.errors)), form.errors)
    operations.sign(current_user, form.password.data, form.meaning.data, user)
    flash(_("Signed: %(data)s.", data=form.meaning.data), "success")
    return redirect(url_for("auth.user_detail", user_id=user_id))
