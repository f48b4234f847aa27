"""Pages: material lots (register, QA's signed decision) for the step form's scanned materials."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.forms import submitted
from app.core.permissions import requires
from app.extensions import db

from . import operations
from .models import MaterialLot
from .schemas import MaterialCreateSchema, MaterialDecisionSchema

bp = Blueprint("materials", __name__, template_folder="templates")


@bp.route("/materials", methods=["GET", "POST"])
@requires("read", POST="materials.receive")
def materials():
    if request.method == "POST":
        material = operations.receive_material(submitted(MaterialCreateSchema()))
        flash(_("Material lot %(supplier_lot)s registered as MAT-%(id)s, in quarantine.",
                supplier_lot=material.supplier_lot, id=material.id), "success")
        return redirect(url_for("materials.materials"))
    return render_template("materials/list.html",
                           materials=db.session.scalars(select(MaterialLot).order_by(MaterialLot.id)).all())


@bp.route("/materials/<int:material_id>/decision", methods=["POST"])
@requires("materials.decide")
def decide(material_id: int):
    data = submitted(MaterialDecisionSchema())
    material = operations.decide(operations.get_material(material_id), current_user, data["password"],
                                 data["meaning"], data["reason"])
    flash(_("Signed: material lot %(supplier_lot)s %(meaning)s.", supplier_lot=material.supplier_lot,
            meaning=data["meaning"]), "success")
    return redirect(url_for("materials.materials"))
