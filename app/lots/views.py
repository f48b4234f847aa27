"""Pages: lots, and a lot with its drawn genealogy, QC table and deviations (QC verification and the release page
are the qc and release packages' own)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.core.forms import PageForm, SignatureForm, validated
from app.core.pagination import page_args, paginate
from app.core.permissions import requires
from app.core.timezones import site_zone
from app.extensions import db
from app.signatures.operations import signatures_for

from . import genealogy, operations
from .layout import layout
from .listing import filtered_lots
from .models import KINDS, LOT_STATES, ProductCode
from .record import MATERIAL_ROWS
from .schemas import LotQuerySchema

bp = Blueprint("lots", __name__, template_folder="templates")


class ExpiryForm(PageForm):
    expires_at = DateTimeLocalField(_l("Expires at (site time)"), validators=[InputRequired()], tz=site_zone)
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(min=3, max=2000)])


class DeviationCloseForm(SignatureForm):
    resolution = TextAreaField(_l("Resolution"), validators=[DataRequired(), Length(min=5, max=5000)])


@bp.route("/lots")
@requires("read")
def lots():
    query = page_args(LotQuerySchema)
    return render_template("lots/list.html", page=paginate(filtered_lots(query), query), kinds=KINDS,
                           states=LOT_STATES.states)


@bp.route("/lots/<int:lot_id>")
@requires("read")
def lot(lot_id: int):
    record = operations.get_lot(lot_id)
    graph = genealogy.graph(record)
    return render_template("lots/lot.html", lot=record, drawing=layout(record.id, graph["nodes"], graph["edges"]),
                           results=record.qc_results, close_form=DeviationCloseForm(), expiry_form=ExpiryForm(),
                           signatures=signatures_for(record), **record_choices())


def record_choices() -> dict:
    """Choice lists of the manufacturing record forms on a lot's page."""
    codes = db.session.scalars(select(ProductCode).where(ProductCode.active).order_by(ProductCode.code)).all()
    return {"product_codes": [(c.code, f"{c.code} {c.description}") for c in codes], "kinds": kind_choices(),
            "material_rows": MATERIAL_ROWS}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, kind.replace("_", " ")) for kind in KINDS]


@bp.route("/lots/<int:lot_id>/expiry", methods=["POST"])
@requires("lots.expiry")
def set_expiry(lot_id: int):
    form = validated(ExpiryForm())
    record = operations.set_expiry(operations.get_lot(lot_id), form.expires_at.data, form.reason.data)
    flash(_("Lot %(number)s expires %(expires_at)s UTC.", number=record.number,
            expires_at=format(record.expires_at, "%Y-%m-%d %H:%M")), "success")
    return redirect(url_for("lots.lot", lot_id=lot_id))


@bp.route("/deviations/<int:deviation_id>/close", methods=["POST"])
@requires("deviations.close")
def close_deviation(deviation_id: int):
    form = validated(DeviationCloseForm())
    deviation = operations.get_deviation(deviation_id)
    operations.close_deviation(deviation, current_user, form.password.data, form.resolution.data)
    flash(_("Deviation %(id)s closed and signed.", id=deviation.id), "success")
    return redirect(url_for("lots.lot", lot_id=deviation.lot_id))
