"""Pages: dispatch and receipt of shipments, and thawing a unit, all driven by scanned codes."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import validated
from app.core.permissions import PHARMACIST, QA, TECHNICIAN, check_roles, require_roles
from app.core.timezones import local
from app.extensions import db
from app.storage import handling
from app.storage.operations import get_unit, retrieve
from app.storage.scan import resolve_units

from . import shipments
from .models import Shipment

bp = Blueprint("custody", __name__, template_folder="templates")
HANDLERS = (TECHNICIAN, QA, PHARMACIST)


class DispatchForm(FlaskForm):
    destination = StringField("Destination", validators=[DataRequired(), Length(min=2, max=200)])
    shipper = StringField("Shipper barcode", validators=[DataRequired(), Length(max=60)])
    codes = TextAreaField("Scan each unit (one per line)", validators=[DataRequired()])


class ReceiptForm(FlaskForm):
    codes = TextAreaField("Scan each unit taken out of the shipper (one per line)", validators=[DataRequired()])
    resolution = StringField("Resolution of a missing or unexpected unit", validators=[Length(max=2000)])


class ThawForm(FlaskForm):
    code = StringField("Scan the unit to thaw", validators=[DataRequired(), Length(max=200)])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@bp.route("/shipments", methods=["GET", "POST"])
@require_roles()
def shipments_page():
    form = DispatchForm()
    if form.is_submitted():
        check_roles(*HANDLERS)
        validated(form)
        units = list(resolve_units(_lines(form.codes.data)).values())
        shipment = shipments.dispatch(units, form.destination.data, form.shipper.data, current_user,
                                      handling.check_dispatchable)
        flash(f"Shipment {shipment.id} dispatched with {len(units)} unit(s).", "success")
        return redirect(url_for("custody.shipment_page", shipment_id=shipment.id))
    listed = db.session.scalars(select(Shipment).order_by(Shipment.id.desc()).limit(100)).all()
    return render_template("custody/shipments.html", shipments=listed, form=form)


@bp.route("/shipments/<int:shipment_id>", methods=["GET", "POST"])
@require_roles()
def shipment_page(shipment_id: int):
    shipment = shipments.get_shipment(shipment_id)
    form = ReceiptForm()
    if form.is_submitted():
        check_roles(*HANDLERS)
        validated(form)
        scanned = resolve_units(_lines(form.codes.data))
        expected = {item.unit_id: get_unit(item.unit_id) for item in shipment.items}
        shipments.receive(shipment, set(scanned), current_user, form.resolution.data or None, {**expected, **scanned})
        flash(f"Shipment {shipment.id} received.", "success")
        return redirect(url_for("custody.shipment_page", shipment_id=shipment.id))
    units = {item.unit_id: get_unit(item.unit_id) for item in shipment.items}
    return render_template("custody/shipment.html", shipment=shipment, units=units, form=form)


@bp.route("/thaw", methods=["GET", "POST"])
@require_roles(*HANDLERS)
def thaw_page():
    form = ThawForm()
    if form.is_submitted():
        validated(form)
        [unit] = resolve_units([form.code.data]).values()
        if unit.box_id is not None:
            retrieve(unit, current_user)
        handling.thaw(unit, current_user)
        flash(f"Unit {unit.barcode} thawed; use before {local(unit.thaw_expires_at):%Y-%m-%d %H:%M %Z}.", "success")
        return redirect(url_for("custody.thaw_page"))
    return render_template("custody/thaw.html", form=form)
