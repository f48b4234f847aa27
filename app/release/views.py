"""Pages: a lot's release page, with what blocks release, QA's signed release and its rejection."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import SignatureForm, validated
from app.core.permissions import requires
from app.lots.operations import get_lot
from app.signatures.operations import signatures_for

from . import operations

bp = Blueprint("release", __name__, template_folder="templates")


class RejectForm(SignatureForm):
    reason = TextAreaField(_l("Reason for rejection"), validators=[DataRequired(), Length(min=3, max=2000)])


@bp.route("/lots/<int:lot_id>/release", methods=["GET", "POST"])
@requires("read", POST="lots.release")
def release_page(lot_id: int):
    record = get_lot(lot_id)
    form = SignatureForm()
    if form.is_submitted():
        validated(form)
        operations.release(record, current_user, form.password.data, form.reason.data or None)
        flash(_("Lot %(number)s released for clinical use.", number=record.number), "success")
        return redirect(url_for("release.release_page", lot_id=lot_id))
    return render_template("release/release.html", lot=record, form=form, reject_form=RejectForm(),
                           signatures=signatures_for(record),
                           blockers=operations.release_blockers(record, current_user))


@bp.route("/lots/<int:lot_id>/reject", methods=["POST"])
@requires("lots.release")
def reject(lot_id: int):
    form = validated(RejectForm())
    record = operations.reject(get_lot(lot_id), current_user, form.password.data, form.reason.data)
    flash(_("Lot %(number)s rejected.", number=record.number), "success")
    return redirect(url_for("release.release_page", lot_id=lot_id))
