"""Pages: the storage tree, a box drawn as a grid, a unit with its custody timeline, and scanner-driven placement."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.auth.models import User
from app.core.errors import DomainError, InvalidInput, RuleViolation
from app.core.forms import validated
from app.core.lookup import by_id
from app.core.permissions import QA, TECHNICIAN, require_roles
from app.custody.operations import chain
from app.extensions import db
from app.lots.models import Lot

from . import operations, scan
from .boxmap import box_map
from .locations import get_location, parse_position
from .models import StorageLocation, Unit

bp = Blueprint("storage", __name__, template_folder="templates")
HANDLERS = (TECHNICIAN, QA)


class PlaceForm(FlaskForm):
    scan = StringField("Scan", validators=[DataRequired(message="scan a code"), Length(max=200)])
    box_id = HiddenField()
    position = HiddenField()


def _box(box_id) -> StorageLocation:
    """The box a page is working on; anything else is refused."""
    try:
        box = get_location(int(box_id))
    except (TypeError, ValueError):
        raise InvalidInput(f"{box_id!r} is not a box id", {"box_id": ["not a number"]}) from None
    if box.kind != "box":
        raise RuleViolation(f"{box.name} is a {box.kind}, not a box")
    return box


def _path(location: StorageLocation) -> list[StorageLocation]:
    """The location's ancestors from the site down, then the location itself."""
    path = [location]
    while path[0].parent_id is not None:
        path.insert(0, db.session.get(StorageLocation, path[0].parent_id))
    return path


def _cells_by_row(box: StorageLocation) -> list[list[dict]]:
    cells = box_map(box)["cells"]
    return [cells[start:start + box.columns] for start in range(0, len(cells), box.columns)]


@bp.route("/storage")
@require_roles()
def tree():
    locations = db.session.scalars(select(StorageLocation).order_by(StorageLocation.id)).all()
    children: dict[int | None, list[StorageLocation]] = {}
    for location in locations:
        children.setdefault(location.parent_id, []).append(location)
    occupied = dict(db.session.execute(select(Unit.box_id, func.count()).where(Unit.box_id.is_not(None))
                                       .group_by(Unit.box_id)).all())
    return render_template("storage/tree.html", roots=children.get(None, []), children=children, occupied=occupied)


@bp.route("/storage/boxes/<int:box_id>")
@require_roles()
def box_page(box_id: int):
    box = _box(box_id)
    return render_template("storage/box.html", box=box, path=_path(box), rows=_cells_by_row(box),
                           columns=box.column_labels.split(","))


def _place_words(key: str | None, boxes: dict, users: dict) -> tuple[str, str | None]:
    """A custody place key in words, with a link where there is a page for it."""
    if key is None:
        return "—", None
    kind, _, rest = key.partition(":")
    if kind == "box":
        box_id, row, col = (int(part) for part in rest.split(":"))
        box = boxes.get(box_id)
        if box is None:
            return key, None
        return f"{box.name}, {box.position_label(row, col)}", url_for("storage.box_page", box_id=box_id)
    if kind == "person":
        user = users.get(int(rest))
        return f"in the hands of {user.full_name if user else 'user ' + rest}", None
    if kind == "shipment":
        return f"shipment {rest}", url_for("custody.shipment_page", shipment_id=int(rest))
    return {"lab": "the laboratory", "gone": "gone (no longer exists)"}.get(kind, key), None


def _timeline(events) -> list[dict]:
    places = [p for e in events for p in (e.from_place, e.to_place) if p]
    box_ids = {int(p.split(":")[1]) for p in places if p.startswith("box:")}
    user_ids = {int(p.split(":")[1]) for p in places if p.startswith("person:")} | {e.actor_id for e in events}
    boxes, users = by_id(StorageLocation, box_ids), by_id(User, user_ids)
    return [{"event": e, "from": _place_words(e.from_place, boxes, users), "to": _place_words(e.to_place, boxes, users),
             "actor": users.get(e.actor_id)} for e in events]


@bp.route("/units/<int:unit_id>")
@require_roles()
def unit_page(unit_id: int):
    unit = operations.get_unit(unit_id)
    box = db.session.get(StorageLocation, unit.box_id) if unit.box_id else None
    return render_template("storage/unit.html", unit=unit, lot=db.session.get(Lot, unit.lot_id), box=box,
                           position=box.position_label(unit.row, unit.col) if box else None,
                           timeline=_timeline(chain(unit.id)))


def _state(box_id, position) -> tuple[StorageLocation | None, str | None]:
    """The target box and chosen position carried by the page, checked again at every scan."""
    box = _box(box_id) if box_id else None
    if box is None or not position:
        return box, None
    row, col = parse_position(box, position)
    return box, box.position_label(row, col)


def _render_place(form: PlaceForm, box, position, error: DomainError | None = None):
    form.scan.data = ""
    form.box_id.data = box.id if box else ""
    form.position.data = position or ""
    page = render_template("storage/place.html", form=form, box=box, position=position,
                           rows=_cells_by_row(box) if box else None,
                           columns=box.column_labels.split(",") if box else [], error=error.message if error else None)
    return page, error.status if error else 200


def _scan(code: str, box, position):
    """One scan of the placement protocol; returns the new (box, position) state and what happened in words."""
    found = scan.resolve(code)
    if found["type"] == "box":
        box = _box(found["id"])
        return box, None, f"Box {box.name} selected: scan the units to store in it."
    if found["type"] == "position":
        box = _box(found["box_id"])
        return box, found["label"], f"Position {found['label']} of {box.name} chosen for the next unit."
    if found["type"] != "unit":
        raise InvalidInput(f"{code!r} is a {found['type']}: scan a box, a position or a unit", {"scan": ["type"]})
    if box is None:
        raise InvalidInput(f"scan a box before the unit {found['barcode']}", {"scan": ["no box"]})
    row, col = parse_position(box, position) if position else (None, None)
    unit = operations.store(operations.get_unit(found["id"]), box, current_user, row, col, confirmation="scan")
    return box, None, f"{unit.barcode} → {box.name}, {box.position_label(unit.row, unit.col)}"


@bp.route("/storage/place", methods=["GET", "POST"])
@require_roles(*HANDLERS)
def place():
    form = PlaceForm()
    if not form.is_submitted():
        box, position = _state(request.args.get("box"), request.args.get("position"))
        return _render_place(form, box, position)
    box, position = None, None
    try:
        box, position = _state(form.box_id.data, form.position.data)
        validated(form)
        box, position, message = _scan(form.scan.data, box, position)
    except DomainError as error:
        db.session.rollback()
        if box is not None:
            box = _box(box.id)
        return _render_place(form, box, position, error)
    flash(message, "success")
    return redirect(url_for("storage.place", box=box.id, position=position))
