"""Pages: second-person verification of a QC result, from the lot page."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.forms import validated
from app.core.permissions import requires

from . import operations

bp = Blueprint("qc", __name__)


@bp.route("/qc-results/<int:result_id>/verify", methods=["POST"])
@requires("qc.verify")
def verify(result_id: int):
    validated(FlaskForm())
    result = operations.verify_result(operations.get_result(result_id), current_user)
    flash(f"Result {result.spec_test.code} verified.", "success")
    return redirect(url_for("lots.lot", lot_id=result.lot_id))
