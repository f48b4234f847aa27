"""Page action: cryopreserve a lot into units (vials), QC samples included, from the lot's page."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.forms import submitted
from app.core.permissions import requires
from app.extensions import db
from app.lots.operations import get_lot

from . import operations
from .models import CONTAINER_TYPES, Unit
from .schemas import UnitsCreateSchema

bp = Blueprint("lot_units", __name__)


@bp.app_template_global("lot_units")
def lot_units(lot_id: int) -> list[Unit]:
    return db.session.scalars(select(Unit).where(Unit.lot_id == lot_id).order_by(Unit.id)).all()


@bp.app_template_global("unit_whereabouts")
def unit_whereabouts(unit: Unit) -> str:
    """Where a unit is now, in words: its box and position, or its state."""
    if unit.box_id is not None:
        return f"{unit.box.name}, {unit.box.position_label(unit.row, unit.col)}"
    return unit.state.replace("_", " ")


@bp.app_template_global("container_types")
def container_types() -> list[tuple[str, str]]:
    return [(kind, kind) for kind in CONTAINER_TYPES]


@bp.route("/lots/<int:lot_id>/units", methods=["POST"])
@requires("units.create")
def create(lot_id: int):
    units = operations.create_units(get_lot(lot_id), current_user, **submitted(UnitsCreateSchema()))
    flash(_("%(len)s unit(s) made: %(barcode)s … %(barcode2)s. Place them by scanning.", len=len(units),
            barcode=units[0].barcode, barcode2=units[-1].barcode), "success")
    return redirect(url_for("lots.lot", lot_id=lot_id, _anchor="units"))
