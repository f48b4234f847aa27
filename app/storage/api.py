"""Storage API: locations and templates, box maps, units, placement, moves, custody, scan."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of
from app.core.permissions import requires
from app.custody.operations import chain
from app.lots.operations import get_lot

from . import evacuation, handling, listing, locations, operations, scan
from .boxmap import box_map
from .models import StorageLocation, Unit
from .schemas import (
    BlockSchema,
    BoxMapSchema,
    BoxMoveSchema,
    ConfirmationSchema,
    CustodyEventSchema,
    EvacuationSchema,
    LocationCreateSchema,
    LocationNodeSchema,
    LocationQuerySchema,
    LocationSchema,
    MoveSchema,
    PlacementSchema,
    ReasonedSchema,
    RetrievalSchema,
    ScanSchema,
    TankTemplateSchema,
    UnitQuerySchema,
    UnitSchema,
    UnitsCreateSchema,
)

blp = Blueprint("storage_api", __name__, url_prefix="/api/v1", description="Storage, units, custody and scans")
etags.register("location_id", StorageLocation)
etags.register("unit_id", Unit)


@blp.route("/storage/locations")
class Locations(MethodView):
    @requires("read")
    @blp.arguments(LocationQuerySchema, location="query")
    @blp.response(200, page_of(LocationNodeSchema))
    @blp.alt_response(404, description="no location with this parent_id")
    def get(self, query):
        """One level of the storage tree: the sites, or the locations directly under parent_id."""
        return listing.level(query["parent_id"], query)

    @requires("storage.configure")
    @blp.arguments(LocationCreateSchema)
    @blp.response(201, LocationSchema)
    def post(self, data):
        """Add a site, room, storage unit, rack or box."""
        parent_id = data.pop("parent_id")
        parent = locations.get_location(parent_id) if parent_id is not None else None
        details = {k: v for k, v in data.items() if v is not None and k not in ("kind", "name")}
        return locations.create_location(parent, data["kind"], data["name"], **details)


@blp.route("/storage/templates/tank")
class TankTemplate(MethodView):
    @requires("storage.configure")
    @blp.arguments(TankTemplateSchema)
    @blp.response(201, LocationSchema)
    def post(self, data):
        """A whole tank (or freezer) with its racks and boxes in one call."""
        room = locations.get_location(data.pop("room_id"))
        box = {k: v for k, v in data.pop("box").items() if v is not None}
        return locations.create_tank(room, data.pop("name"), data.pop("racks"), data.pop("boxes_per_rack"), box,
                                     **{k: v for k, v in data.items() if v is not None})


@blp.route("/storage/locations/<int:location_id>/map")
class BoxMap(MethodView):
    @requires("read")
    @blp.response(200, BoxMapSchema)
    @blp.alt_response(409, description="the location is not a box")
    def get(self, location_id):
        """A box drawn as a grid: free, occupied, blocked."""
        return box_map(locations.get_location(location_id))


@blp.route("/storage/locations/<int:location_id>/blocked-positions")
class BlockedPositions(MethodView):
    @requires("storage.configure")
    @blp.arguments(BlockSchema)
    @blp.response(201, BoxMapSchema)
    def post(self, data, location_id):
        """Block a box position (damaged, reserved); answers the box map."""
        box = locations.get_location(location_id)
        locations.block_position(box, *locations.parse_position(box, data["position"]), data["reason"])
        return box_map(box)


@blp.route("/lots/<int:lot_id>/units")
class LotUnits(MethodView):
    @requires("read")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(UnitSchema))
    def get(self, query, lot_id):
        return listing.units_page(query, get_lot(lot_id).id)

    @requires("units.create")
    @blp.arguments(UnitsCreateSchema)
    @blp.response(201, UnitSchema(many=True))
    def post(self, data, lot_id):
        """Cryopreserve the lot into N units at once."""
        return operations.create_units(get_lot(lot_id), current_user, **data)


@blp.route("/units")
class Units(MethodView):
    @requires("read")
    @blp.arguments(UnitQuerySchema, location="query")
    @blp.response(200, page_of(UnitSchema))
    def get(self, query):
        """Units in lot order (then by id), filtered by lot, state and box, a page at a time."""
        return listing.units_page(query)


@blp.route("/units/<int:unit_id>")
class UnitById(MethodView):
    @requires("read")
    @blp.response(200, UnitSchema)
    def get(self, unit_id):
        return operations.get_unit(unit_id)


def _target(data: dict) -> tuple:
    box = locations.get_location(data["box_id"])
    if data.get("position"):
        return (box, *locations.parse_position(box, data["position"]))
    return box, data.get("row"), data.get("col")


def _taken(unit_id: int, data: dict):
    """The unit to take from its box, checked against the box scanned before it, if any."""
    unit = operations.get_unit(unit_id)
    if data["from_box_id"] is not None:
        operations.require_in_box(unit, locations.get_location(data["from_box_id"]))
    return unit


@blp.route("/units/<int:unit_id>/store")
class Store(MethodView):
    @requires("units.store")
    @blp.arguments(PlacementSchema)
    @blp.response(200, UnitSchema)
    def post(self, data, unit_id):
        """Place a unit into a box position (or the next free one)."""
        box, row, col = _target(data)
        return operations.store(operations.get_unit(unit_id), box, current_user, row, col, data["confirmation"],
                                data["manual_reason"])


@blp.route("/units/<int:unit_id>/move")
class Move(MethodView):
    @requires("units.store")
    @blp.arguments(MoveSchema)
    @blp.response(200, UnitSchema)
    def post(self, data, unit_id):
        box, row, col = _target(data)
        unit = _taken(unit_id, data)
        return operations.move(unit, box, current_user, row, col, data["confirmation"], data["manual_reason"])


@blp.route("/units/<int:unit_id>/retrieve")
class Retrieve(MethodView):
    @requires("units.store")
    @blp.arguments(RetrievalSchema)
    @blp.response(200, UnitSchema)
    def post(self, data, unit_id):
        """Take a unit out of its position into the hands of the person (from_box_id: the box scanned first)."""
        return operations.retrieve(_taken(unit_id, data), current_user, data["confirmation"], data["manual_reason"])


@blp.route("/units/<int:unit_id>/custody")
class Custody(MethodView):
    @requires("read")
    @blp.response(200, CustodyEventSchema(many=True))
    def get(self, unit_id):
        """The unit's chain of custody, in order."""
        return chain(operations.get_unit(unit_id).id)


@blp.route("/scan")
class Scan(MethodView):
    @requires("read")
    @blp.arguments(ScanSchema)
    @blp.response(200)
    @blp.alt_response(404, description="nothing has this code")
    @blp.alt_response(422, description="malformed or ambiguous code")
    def post(self, data):
        """Resolve any printed code to exactly one object: {type, id, …}."""
        return scan.resolve(data["code"])


@blp.route("/units/<int:unit_id>/thaw")
class Thaw(MethodView):
    @requires("units.thaw")
    @blp.arguments(ConfirmationSchema)
    @blp.response(200, UnitSchema)
    def post(self, data, unit_id):
        """Thaw a unit in hand (released lot, or a QC sample); its expiry after thaw follows its product code."""
        return handling.thaw(operations.get_unit(unit_id), current_user, data["confirmation"], data["manual_reason"])


@blp.route("/units/<int:unit_id>/destroy")
class Destroy(MethodView):
    @requires("units.destroy")
    @blp.arguments(ReasonedSchema)
    @blp.response(200, UnitSchema)
    def post(self, data, unit_id):
        return handling.destroy(operations.get_unit(unit_id), current_user, data["reason"])


@blp.route("/storage/locations/<int:location_id>/move")
class BoxMove(MethodView):
    @requires("storage.move")
    @blp.arguments(BoxMoveSchema)
    @blp.response(200, LocationSchema)
    def post(self, data, location_id):
        """Move a whole box into another rack; each unit in it gets its custody event."""
        return evacuation.move_box(locations.get_location(location_id), locations.get_location(data["rack_id"]),
                                   current_user)


@blp.route("/storage/locations/<int:location_id>/evacuate")
class Evacuate(MethodView):
    @requires("storage.move")
    @blp.arguments(EvacuationSchema)
    @blp.response(200, UnitSchema(many=True))
    def post(self, data, location_id):
        """Move everything in a storage unit into another, all or nothing; answers the units moved."""
        return evacuation.evacuate(locations.get_location(location_id), locations.get_location(data["target_id"]),
                                   current_user)
