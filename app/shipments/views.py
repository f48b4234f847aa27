"""Pages: dispatch and receipt of shipments, driven by scanned codes."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import PageForm, validated
from app.core.pagination import page_args, paginate
from app.core.permissions import requires
from app.storage.operations import units_by_id
from app.storage.scan import resolve_units

from . import operations as shipments
from .listing import filtered_shipments
from .schemas import ShipmentQuerySchema

bp = Blueprint("shipments", __name__, template_folder="templates")


class DispatchForm(PageForm):
    destination = StringField(_l("Destination"), validators=[DataRequired(), Length(min=2, max=200)])
    shipper = StringField(_l("Shipper barcode"), validators=[DataRequired(), Length(max=60)])
    codes = TextAreaField(_l("Scan each unit (one per line)"), validators=[DataRequired()])


class ReceiptForm(PageForm):
    codes = TextAreaField(_l("Scan each unit taken out of the shipper (one per line)"), validators=[DataRequired()])
    resolution = StringField(_l("Resolution of a missing or unexpected unit"), validators=[Length(max=2000)])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@bp.route("/shipments", methods=["GET", "POST"])
@requires("read", POST="shipments.dispatch")
def shipments_page():
    form = DispatchForm()
    if form.is_submitted():
        validated(form)
        units = list(resolve_units(_lines(form.codes.data)).values())
        shipment = shipments.dispatch(units, form.destination.data, form.shipper.data, current_user)
        flash(_("Shipment %(id)s dispatched with %(len)s unit(s).", id=shipment.id, len=len(units)), "success")
        return redirect(url_for("shipments.shipment_page", shipment_id=shipment.id))
    query = page_args(ShipmentQuerySchema)
    return render_template("shipments/shipments.html", page=paginate(filtered_shipments(query), query), form=form)


@bp.route("/shipments/<int:shipment_id>", methods=["GET", "POST"])
@requires("read", POST="shipments.receive")
def shipment_page(shipment_id: int):
    shipment = shipments.get_shipment(shipment_id)
    form = ReceiptForm()
    if form.is_submitted():
        validated(form)
        scanned = resolve_units(_lines(form.codes.data))
        expected = units_by_id(item.unit_id for item in shipment.items)
        shipments.receive(shipment, set(scanned), current_user, form.resolution.data or None, {**expected, **scanned})
        flash(_("Shipment %(id)s received.", id=shipment.id), "success")
        return redirect(url_for("shipments.shipment_page", shipment_id=shipment.id))
    units = units_by_id(item.unit_id for item in shipment.items)
    return render_template("shipments/shipment.html", shipment=shipment, units=units, form=form)
