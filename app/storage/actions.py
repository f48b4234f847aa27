"""Pages: storage actions by scanning — retrieve, move a unit or a whole box, destroy with a reason — and the storage
layout an admin builds (locations, tanks from a template, blocked positions); each calls the API's operation."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import InvalidInput, RuleViolation
from app.core.forms import submitted
from app.core.permissions import requires
from app.extensions import db

from . import evacuation, handling, locations, operations, scan
from .models import LOCATION_KINDS, UNIT_TYPES, StorageLocation
from .schemas import BlockSchema, LocationCreateSchema, ReasonedSchema, TankTemplateSchema

bp = Blueprint("storage_actions", __name__)


def _unit_page(unit_id: int):
    return redirect(url_for("storage.unit_page", unit_id=unit_id))


def _confirmed(unit, field: str = "code") -> None:
    """The unit's own barcode was scanned: its identity is confirmed by scan."""
    code = request.form.get(field, "").strip()
    if not code:
        raise InvalidInput(_("scan the unit's barcode to confirm it"), {field: [_("scan the unit")]})
    if code != unit.barcode:
        raise RuleViolation(_("%(code)s is not unit %(barcode)s: scan the unit in your hand", code=code,
                              barcode=unit.barcode), {field: [_("another code")]})


def _target(code: str, field: str = "target") -> tuple:
    """The box (and position) a scanned code names."""
    found = scan.resolve(code.strip()) if code.strip() else None
    if found is None:
        raise InvalidInput(_("scan the target box or position"), {field: [_("scan a box or a position")]})
    if found["type"] == "box":
        return locations.get_location(found["id"]), None, None
    if found["type"] == "position":
        box = locations.get_location(found["box_id"])
        return (box, *locations.parse_position(box, found["label"]))
    raise InvalidInput(_("%(code)s is a %(found)s: scan a box or a position", code=code, found=found['type']),
                       {field: [_("not a box")]})


@bp.route("/units/<int:unit_id>/retrieve", methods=["POST"])
@requires("units.store")
def retrieve(unit_id: int):
    unit = operations.get_unit(unit_id)
    _confirmed(unit)
    operations.retrieve(unit, current_user, confirmation="scan")
    flash(_("%(barcode)s retrieved: in your hand.", barcode=unit.barcode), "success")
    return _unit_page(unit.id)


@bp.route("/units/<int:unit_id>/move", methods=["POST"])
@requires("units.store")
def move(unit_id: int):
    unit = operations.get_unit(unit_id)
    box, row, col = _target(request.form.get("target", ""))
    operations.move(unit, box, current_user, row, col, confirmation="scan")
    flash(_("%(barcode)s moved → %(name)s, %(position_label)s", barcode=unit.barcode, name=box.name,
            position_label=box.position_label(unit.row, unit.col)), "success")
    return _unit_page(unit.id)


@bp.route("/units/<int:unit_id>/destroy", methods=["POST"])
@requires("units.destroy")
def destroy(unit_id: int):
    unit = operations.get_unit(unit_id)
    _confirmed(unit)
    handling.destroy(unit, current_user, submitted(ReasonedSchema())["reason"])
    flash(_("%(barcode)s destroyed.", barcode=unit.barcode), "success")
    return _unit_page(unit.id)


@bp.route("/storage/boxes/<int:box_id>/move", methods=["POST"])
@requires("storage.move")
def move_box(box_id: int):
    box = locations.get_location(box_id)
    code = request.form.get("rack", "").strip()
    found = scan.resolve(code) if code else {"type": None}
    if found["type"] not in ("rack", "storage_unit"):
        raise InvalidInput(_("scan the rack the box goes into"), {"rack": [_("scan a rack")]})
    evacuation.move_box(box, locations.get_location(found["id"]), current_user)
    flash(_("Box %(name)s moved.", name=box.name), "success")
    return redirect(url_for("storage.box_page", box_id=box.id))


@bp.route("/storage/boxes/<int:box_id>/block", methods=["POST"])
@requires("storage.configure")
def block(box_id: int):
    box, data = locations.get_location(box_id), submitted(BlockSchema())
    locations.block_position(box, *locations.parse_position(box, data["position"]), data["reason"])
    flash(_("Position %(data)s of %(name)s blocked.", data=data['position'], name=box.name), "success")
    return redirect(url_for("storage.box_page", box_id=box.id))


@bp.route("/storage/locations", methods=["POST"])
@requires("storage.configure")
def create_location():
    data = submitted(LocationCreateSchema())
    parent_id = data.pop("parent_id")
    parent = locations.get_location(parent_id) if parent_id is not None else None
    details = {k: v for k, v in data.items() if v is not None and k not in ("kind", "name")}
    location = locations.create_location(parent, data["kind"], data["name"], **details)
    flash(_("%(replace)s %(name)s created.", replace=location.kind.replace('_', ' ').capitalize(), name=location.name),
          "success")
    return redirect(url_for("storage.tree"))


@bp.route("/storage/tanks", methods=["POST"])
@requires("storage.configure")
def create_tank():
    grid = {key: request.form.get(key) for key in ("rows", "columns") if request.form.get(key)}
    data = submitted(TankTemplateSchema(), box={key: int(value) for key, value in grid.items() if value.isdigit()})
    room = locations.get_location(data.pop("room_id"))
    box = {k: v for k, v in data.pop("box").items() if v is not None}
    tank = locations.create_tank(room, data.pop("name"), data.pop("racks"), data.pop("boxes_per_rack"), box,
                                 **{k: v for k, v in data.items() if v is not None})
    flash(_("Storage unit %(name)s created with its racks and boxes.", name=tank.name), "success")
    return redirect(url_for("storage.tree"))


@bp.app_template_global("layout_choices")
def layout_choices() -> dict:
    """Choice lists of the layout forms: parents (every location but boxes), rooms, kinds and unit types."""
    places = db.session.scalars(select(StorageLocation).where(StorageLocation.kind != "box")
                                .order_by(StorageLocation.name)).all()
    return {"parents": [("", "— top level —"), *((p.id, f"{p.name} ({p.kind.replace('_', ' ')})") for p in places)],
            "rooms": [(p.id, p.name) for p in places if p.kind == "room"],
            "kinds": [(kind, kind.replace("_", " ")) for kind in LOCATION_KINDS],
            "unit_types": [("", "—"), *((kind, kind.replace("_", " ")) for kind in UNIT_TYPES)]}
