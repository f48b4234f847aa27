"""Pages: lots, a lot with its drawn genealogy, QC table and deviations, and the release page."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import SignatureForm, validated
from app.core.permissions import QA, TECHNICIAN, check_roles, require_roles
from app.extensions import db
from app.qc import operations as qc
from app.release import operations as release
from app.signatures.operations import signatures_for

from . import genealogy, operations
from .layout import layout
from .models import Lot

bp = Blueprint("lots", __name__, template_folder="templates")


class RejectForm(SignatureForm):
    reason = TextAreaField("Reason for rejection", validators=[DataRequired(), Length(min=3, max=2000)])


class DeviationCloseForm(SignatureForm):
    resolution = TextAreaField("Resolution", validators=[DataRequired(), Length(min=5, max=5000)])


@bp.route("/lots")
@require_roles()
def lots():
    return render_template("lots/list.html", lots=db.session.scalars(select(Lot).order_by(Lot.id)).all())


@bp.route("/lots/<int:lot_id>")
@require_roles()
def lot(lot_id: int):
    record = operations.get_lot(lot_id)
    graph = genealogy.graph(record)
    return render_template("lots/lot.html", lot=record, drawing=layout(record.id, graph["nodes"], graph["edges"]),
                           results=record.qc_results, close_form=DeviationCloseForm(),
                           signatures=signatures_for(record))


@bp.route("/qc-results/<int:result_id>/verify", methods=["POST"])
@require_roles(TECHNICIAN, QA)
def verify(result_id: int):
    validated(FlaskForm())
    result = qc.verify_result(qc.get_result(result_id), current_user)
    flash(f"Result {result.spec_test.code} verified.", "success")
    return redirect(url_for("lots.lot", lot_id=result.lot_id))


@bp.route("/deviations/<int:deviation_id>/close", methods=["POST"])
@require_roles(QA)
def close_deviation(deviation_id: int):
    form = validated(DeviationCloseForm())
    deviation = operations.get_deviation(deviation_id)
    operations.close_deviation(deviation, current_user, form.password.data, form.resolution.data)
    flash(f"Deviation {deviation.id} closed and signed.", "success")
    return redirect(url_for("lots.lot", lot_id=deviation.lot_id))


@bp.route("/lots/<int:lot_id>/release", methods=["GET", "POST"])
@require_roles()
def release_page(lot_id: int):
    record = operations.get_lot(lot_id)
    form = SignatureForm()
    if form.is_submitted():
        check_roles(QA)
        validated(form)
        release.release(record, current_user, form.password.data, form.reason.data or None)
        flash(f"Lot {record.number} released for clinical use.", "success")
        return redirect(url_for("lots.release_page", lot_id=lot_id))
    return render_template("lots/release.html", lot=record, form=form, reject_form=RejectForm(),
                           signatures=signatures_for(record), blockers=release.release_blockers(record, current_user))


@bp.route("/lots/<int:lot_id>/reject", methods=["POST"])
@require_roles(QA)
def reject(lot_id: int):
    form = validated(RejectForm())
    record = release.reject(operations.get_lot(lot_id), current_user, form.password.data, form.reason.data)
    flash(f"Lot {record.number} rejected.", "success")
    return redirect(url_for("lots.release_page", lot_id=lot_id))
