"""Recall pages: the list, opening one (from a lot's, donor's or material's page too), a recall with every unit,
where it is and what must happen to it, the scanned dispositions, the signed closure."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from app.core.forms import submitted
from app.core.pagination import page_args, paginate
from app.core.permissions import requires

from . import operations
from .models import DISPOSITIONS, Recall
from .overview import describe_units, overview, unit_rows
from .reach import target_label
from .schemas import (
    DispositionSchema,
    RecallCloseSchema,
    RecallOpenSchema,
    RecallQuerySchema,
    RecallUnitQuerySchema,
    TargetField,
)

bp = Blueprint("recalls", __name__, template_folder="templates")


@bp.route("/recalls")
@requires("read")
def recalls_page():
    query = page_args(RecallQuerySchema)
    statement = select(Recall).order_by(Recall.id.desc())
    if query["state"]:
        statement = statement.where(Recall.state == query["state"])
    return render_template("recalls/list.html", page=paginate(statement, query))


def _target_label(target: str) -> str | None:
    """The target a link names (``lot:12``), in words, or None when it names nothing."""
    try:
        target_type, target_id = TargetField().deserialize(target)
    except ValidationError:
        return None
    return target_label(target_type, target_id)


@bp.route("/recalls/new", methods=["GET", "POST"])
@requires("recalls.open")
def open_page():
    if request.method == "POST":
        data = submitted(RecallOpenSchema())
        recall = operations.open_recall(*data["target"], current_user, data["password"], data["reason"])
        flash(_("Recall %(number)s is open: everything it reached is blocked.", number=recall.number), "success")
        return redirect(url_for("recalls.recall_page", recall_id=recall.id))
    target = request.args.get("target", "").strip()
    return render_template("recalls/open.html", target=target, label=_target_label(target) if target else None)


@bp.route("/recalls/<int:recall_id>")
@requires("read")
def recall_page(recall_id: int):
    recall = operations.get_recall(recall_id)
    query = page_args(RecallUnitQuerySchema)
    page = paginate(unit_rows(recall, query["open"]), query)
    return render_template("recalls/recall.html", seen=overview(recall), recall=recall,
                           page={**page, "items": describe_units(page["items"])}, dispositions=DISPOSITIONS)


@bp.route("/recalls/<int:recall_id>/dispositions", methods=["POST"])
@requires("recalls.dispose")
def record_disposition(recall_id: int):
    data = submitted(DispositionSchema())
    row = operations.record_disposition(operations.get_recall(recall_id), data["barcode"], current_user,
                                        data["disposition"], data.get("note"))
    flash(_("Unit %(data)s: %(disposition)s.", data=data['barcode'].strip(), disposition=row.disposition), "success")
    return redirect(url_for("recalls.recall_page", recall_id=recall_id, _anchor="disposition-form"))


@bp.route("/recalls/<int:recall_id>/close", methods=["POST"])
@requires("recalls.close")
def close(recall_id: int):
    data = submitted(RecallCloseSchema())
    recall = operations.close_recall(operations.get_recall(recall_id), current_user, data["password"], data["note"])
    flash(_("Recall %(number)s is closed.", number=recall.number), "success")
    return redirect(url_for("recalls.recall_page", recall_id=recall_id))
