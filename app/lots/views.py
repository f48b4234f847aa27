"""Pages: lots, and a lot with its drawn genealogy, QC table and deviations (QC verification and the release page
are the qc and release packages' own)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.core.forms import SignatureForm, validated
from app.core.pagination import page_args, paginate
from app.core.permissions import requires
from app.core.timezones import site_zone
from app.signatures.operations import signatures_for

from . import genealogy, operations
from .layout import layout
from .listing import filtered_lots
from .models import KINDS, STATES
from .schemas import LotQuerySchema

bp = Blueprint("lots", __name__, template_folder="templates")


class ExpiryForm(FlaskForm):
    expires_at = DateTimeLocalField("Expires at (site time)", validators=[InputRequired()], tz=site_zone)
    reason = StringField("Reason", validators=[DataRequired(), Length(min=3, max=2000)])


class DeviationCloseForm(SignatureForm):
    resolution = TextAreaField("Resolution", validators=[DataRequired(), Length(min=5, max=5000)])


@bp.route("/lots")
@requires("read")
def lots():
    query = page_args(LotQuerySchema)
    return render_template("lots/list.html", page=paginate(filtered_lots(query), query), kinds=KINDS, states=STATES)


@bp.route("/lots/<int:lot_id>")
@requires("read")
def lot(lot_id: int):
    record = operations.get_lot(lot_id)
    graph = genealogy.graph(record)
    return render_template("lots/lot.html", lot=record, drawing=layout(record.id, graph["nodes"], graph["edges"]),
                           results=record.qc_results, close_form=DeviationCloseForm(), expiry_form=ExpiryForm(),
                           signatures=signatures_for(record))


@bp.route("/lots/<int:lot_id>/expiry", methods=["POST"])
@requires("lots.expiry")
def set_expiry(lot_id: int):
    form = validated(ExpiryForm())
    record = operations.set_expiry(operations.get_lot(lot_id), form.expires_at.data, form.reason.data)
    flash(f"Lot {record.number} expires {record.expires_at:%Y-%m-%d %H:%M} UTC.", "success")
    return redirect(url_for("lots.lot", lot_id=lot_id))


@bp.route("/deviations/<int:deviation_id>/close", methods=["POST"])
@requires("deviations.close")
def close_deviation(deviation_id: int):
    form = validated(DeviationCloseForm())
    deviation = operations.get_deviation(deviation_id)
    operations.close_deviation(deviation, current_user, form.password.data, form.resolution.data)
    flash(f"Deviation {deviation.id} closed and signed.", "success")
    return redirect(url_for("lots.lot", lot_id=deviation.lot_id))
