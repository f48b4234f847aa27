"""Pages of the manufacturing record: tissue and child lots, processing steps, deviations, quarantine, retirement
and the product code catalogue, each posting to the operation the API calls, through the API's own schema."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.core.forms import submitted
from app.core.permissions import requires
from app.core.schemas import ReasonSchema
from app.donors.models import Procurement
from app.donors.operations import get_procurement
from app.extensions import db
from app.materials.operations import find_by_code

from . import operations
from .models import KINDS, Lot, ProductCode
from .schemas import (
    ChildLotCreateSchema,
    DeviationCreateSchema,
    ProductCodeSchema,
    RetireSchema,
    StepCloseSchema,
    StepCreateSchema,
    TissueLotCreateSchema,
)

bp = Blueprint("record", __name__, template_folder="templates")

#: material rows on the step form: code scanned, quantity, unit
MATERIAL_ROWS = 3


def _lot_page(lot_id: int):
    return redirect(url_for("lots.lot", lot_id=lot_id))


def _lot_by_number(number: str) -> Lot:
    lot = db.session.scalar(select(Lot).where(Lot.number == number))
    if lot is None:
        raise InvalidInput(_("no lot is numbered %(number)s", number=number),
                           {"other_parents": [_("unknown lot %(number)s", number=number)]})
    return lot


@bp.route("/procurements/<int:procurement_id>/lots", methods=["POST"])
@requires("lots.create")
def tissue_lot(procurement_id: int):
    procurement = get_procurement(procurement_id)
    data = submitted(TissueLotCreateSchema(), procurement_id=procurement.id)
    lot = operations.create_tissue_lot(procurement, data["number"], data["product_code"])
    flash(_("Tissue lot %(number)s created.", number=lot.number), "success")
    return _lot_page(lot.id)


@bp.route("/lots/<int:lot_id>/children", methods=["POST"])
@requires("lots.create")
def child_lot(lot_id: int):
    others = [_lot_by_number(number) for number in request.form.get("other_parents", "").replace(",", " ").split()]
    data = submitted(ChildLotCreateSchema())
    data.pop("other_parent_ids", None)
    child = operations.derive_lot([operations.get_lot(lot_id), *others], data)
    flash(_("Lot %(number)s derived.", number=child.number), "success")
    return _lot_page(child.id)


def _materials() -> list[dict]:
    """The scanned material rows of the step form, as the API's materials list."""
    rows = []
    for row in range(MATERIAL_ROWS):
        code = request.form.get(f"material_code_{row}", "").strip()
        if code:
            rows.append({"material_id": find_by_code(code, f"material_code_{row}").id,
                         "quantity": request.form.get(f"material_quantity_{row}", "").strip(),
                         "unit": request.form.get(f"material_unit_{row}", "").strip()})
    return rows


@bp.route("/lots/<int:lot_id>/steps", methods=["POST"])
@requires("lots.steps")
def open_step(lot_id: int):
    lot = operations.get_lot(lot_id)
    data = submitted(StepCreateSchema(), ("started_at", "ended_at"), materials=_materials())
    step = operations.add_step(lot, current_user, data)
    flash(_("Step %(step_type)s recorded.", step_type=step.step_type), "success")
    return _lot_page(lot.id)


@bp.route("/steps/<int:step_id>/close", methods=["POST"])
@requires("lots.steps")
def close_step(step_id: int):
    step = operations.get_step(step_id)
    data = submitted(StepCloseSchema(), ("ended_at",))
    operations.close_step(step, current_user, data["ended_at"], data["observations"])
    flash(_("Step %(step_type)s closed.", step_type=step.step_type), "success")
    return _lot_page(step.lot_id)


@bp.route("/lots/<int:lot_id>/deviations", methods=["POST"])
@requires("deviations.open")
def open_deviation(lot_id: int):
    deviation = operations.open_deviation(operations.get_lot(lot_id), current_user,
                                          submitted(DeviationCreateSchema())["description"])
    flash(_("Deviation %(id)s opened.", id=deviation.id), "success")
    return _lot_page(lot_id)


@bp.route("/lots/<int:lot_id>/quarantine", methods=["POST"])
@requires("lots.quarantine")
def quarantine(lot_id: int):
    lot = operations.submit_to_quarantine(operations.get_lot(lot_id), submitted(ReasonSchema())["reason"])
    flash(_("Lot %(number)s is in quarantine.", number=lot.number), "success")
    return _lot_page(lot_id)


@bp.route("/lots/<int:lot_id>/retire", methods=["POST"])
@requires("lots.retire")
def retire(lot_id: int):
    lot = operations.expire(operations.get_lot(lot_id), submitted(RetireSchema())["reason"])
    flash(_("Lot %(number)s expired.", number=lot.number), "success")
    return _lot_page(lot_id)


@bp.route("/product-codes", methods=["GET", "POST"])
@requires("read", POST="catalogue.manage")
def product_codes():
    if request.method == "POST":
        code = operations.create_product_code(**submitted(ProductCodeSchema()))
        flash(_("Product code %(code)s added.", code=code.code), "success")
        return redirect(url_for("record.product_codes"))
    codes = db.session.scalars(select(ProductCode).order_by(ProductCode.code)).all()
    return render_template("lots/product_codes.html", codes=codes,
                           kinds=[(kind, kind.replace("_", " ")) for kind in KINDS])


@bp.app_template_global("procurement_lots")
def procurement_lots(din: str) -> list[Lot]:
    """The lots of one donation, for the procurement's page."""
    return db.session.scalars(select(Lot).where(Lot.din == din).order_by(Lot.id)).all()


@bp.app_template_global("lot_procurement")
def lot_procurement(lot: Lot):
    """The procurement (donation) a lot comes from, by its DIN."""
    return db.session.scalar(select(Procurement).where(Procurement.din == lot.din))
