"""Pages: the storage tree, a box drawn as a grid, a unit with its custody timeline, scanner-driven placement and
thawing a scanned unit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.core.errors import DomainError, InvalidInput, RuleViolation
from app.core.forms import PageForm, validated
from app.core.i18n import format_moment
from app.core.pagination import page_args
from app.core.permissions import requires
from app.core.timezones import site_zone
from app.custody import places
from app.custody.operations import chain
from app.extensions import db
from app.lots.models import Lot

from . import handling, listing, operations, placewords, scan
from .boxmap import box_map
from .locations import get_location, parse_position
from .models import StorageLocation, Unit
from .schemas import LocationQuerySchema

bp = Blueprint("storage", __name__, template_folder="templates")


class PlaceForm(PageForm):
    scan = StringField(_l("Scan"), validators=[DataRequired(message="scan a code"), Length(max=200)])
    box_id = HiddenField()
    position = HiddenField()


class ThawForm(PageForm):
    code = StringField(_l("Scan the unit to thaw"), validators=[DataRequired(), Length(max=200)])


def _box(box_id) -> StorageLocation:
    """The box a page is working on; anything else is refused."""
    try:
        box = get_location(int(box_id))
    except (TypeError, ValueError):
        raise InvalidInput(_("%(box_id)s is not a box id", box_id=repr(box_id)),
                           {"box_id": [_("not a number")]}) from None
    if box.kind != "box":
        raise RuleViolation(_("%(name)s is a %(kind)s, not a box", name=box.name, kind=box.kind))
    return box


def _cells_by_row(box: StorageLocation) -> list[list[dict]]:
    cells = box_map(box)["cells"]
    return [cells[start:start + box.columns] for start in range(0, len(cells), box.columns)]


@bp.route("/storage")
@requires("read")
def tree():
    """One level of the tree at a time: the sites, or what is directly inside ?parent_id=."""
    query = page_args(LocationQuerySchema)
    parent = get_location(query["parent_id"]) if query["parent_id"] is not None else None
    return render_template("storage/tree.html", page=listing.level(query["parent_id"], query),
                           path=listing.path_to(parent) if parent else [])


@bp.route("/storage/boxes/<int:box_id>")
@requires("read")
def box_page(box_id: int):
    box = _box(box_id)
    return render_template("storage/box.html", box=box, path=listing.path_to(box), rows=_cells_by_row(box),
                           columns=box.column_labels.split(","))


def _place_link(place: places.Place | None, boxes: dict) -> str | None:
    """The page of a custody place, where there is one."""
    match place:
        case places.BoxPosition(box_id, _, _) if box_id in boxes:
            return url_for("storage.box_page", box_id=box_id)
        case places.InShipment(shipment_id):
            return url_for("shipments.shipment_page", shipment_id=shipment_id)
    return None


def _timeline(events) -> list[dict]:
    moves = [(e, e.origin, e.destination) for e in events]
    boxes, users = placewords.named_by([p for _, o, d in moves for p in (o, d)], {e.actor_id for e in events})

    def shown(place):
        return placewords.in_words(place, boxes, users), _place_link(place, boxes)

    return [{"event": e, "from": shown(origin), "to": shown(destination), "actor": users.get(e.actor_id)}
            for e, origin, destination in moves]


@bp.route("/units/<int:unit_id>")
@requires("read")
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


def _render_place(form: PlaceForm, box, position, error: DomainError | None = None, stored: Unit | None = None):
    form.scan.data = ""
    form.box_id.data = box.id if box else ""
    form.position.data = position or ""
    page = render_template("storage/place.html", form=form, box=box, position=position,
                           rows=_cells_by_row(box) if box else None,
                           columns=box.column_labels.split(",") if box else [], error=error.message if error else None,
                           stored=stored, stored_at=_where(stored))
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
        raise InvalidInput(_("%(code)s is a %(found)s: scan a box, a position or a unit", code=repr(code),
                             found=found['type']), {"scan": [_("type")]})
    if box is None:
        raise InvalidInput(_("scan a box before the unit %(found)s", found=found['barcode']), {"scan": [_("no box")]})
    row, col = parse_position(box, position) if position else (None, None)
    unit = operations.store(operations.get_unit(found["id"]), box, current_user, row, col, confirmation="scan")
    return box, None, f"{unit.barcode} → {box.name}, {box.position_label(unit.row, unit.col)}"


def _already_stored(code: str, box) -> Unit | None:
    """The scanned unit if it sits in a box already (the page offers to move it), else None."""
    if box is None or not code:
        return None
    try:
        found = scan.resolve(code.strip())
    except DomainError:
        return None
    if found["type"] != "unit":
        return None
    unit = operations.get_unit(found["id"])
    return unit if unit.state == "in_storage" and unit.box_id is not None else None


def _where(unit: Unit | None) -> str | None:
    if unit is None:
        return None
    stored_in = db.session.get(StorageLocation, unit.box_id)
    return f"{stored_in.name}, {stored_in.position_label(unit.row, unit.col)}"


@bp.route("/storage/place", methods=["GET", "POST"])
@requires("units.store")
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
        # the refused position is dropped, so that the next scan does not fail on it again
        return _render_place(form, box, None, error, _already_stored(form.scan.data, box))
    flash(message, "success")
    return redirect(url_for("storage.place", box=box.id, position=position))


@bp.route("/thaw", methods=["GET", "POST"])
@requires("units.thaw")
def thaw_page():
    form = ThawForm()
    if not form.is_submitted():
        return render_template("storage/thaw.html", form=form)
    validated(form)
    [unit] = scan.resolve_units([form.code.data]).values()
    if request.form.get("confirmed") != "yes":
        return render_template("storage/thaw.html", form=form, confirm=unit, lot=db.session.get(Lot, unit.lot_id),
                               use_before=handling.use_before_if_thawed_now(unit))
    if unit.box_id is not None:
        operations.retrieve(unit, current_user)
    handling.thaw(unit, current_user)
    flash(_("Unit %(barcode)s thawed; use before %(use_before)s.", barcode=unit.barcode,
            use_before=format_moment(unit.thaw_expires_at, site_zone())), "success")
    return redirect(url_for("storage.thaw_page"))
