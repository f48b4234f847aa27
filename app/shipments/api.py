"""Shipments API: dispatch units in a shipper, receive them by scanning every one."""

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.errors import InvalidInput
from app.core.pagination import page_of, paginate
from app.core.permissions import requires
from app.extensions import db
from app.storage import scan
from app.storage.operations import get_unit, units_by_id

from . import operations as shipments
from .listing import filtered_shipments
from .models import Shipment, ShipmentItem
from .schemas import DispatchSchema, ReceiptSchema, ShipmentQuerySchema, ShipmentSchema, UnitDispatchSchema

blp = Blueprint("shipments_api", __name__, url_prefix="/api/v1", description="Shipments: dispatch and receipt")
etags.register("shipment_id", Shipment)


def _receive(shipment: Shipment, data: dict) -> Shipment:
    scanned = scan.resolve_units(data["codes"])
    expected = units_by_id(item.unit_id for item in shipment.items)
    return shipments.receive(shipment, set(scanned), current_user, data["resolution"], {**expected, **scanned})


@blp.route("/shipments")
class Shipments(MethodView):
    @requires("read")
    @blp.arguments(ShipmentQuerySchema, location="query")
    @blp.response(200, page_of(ShipmentSchema))
    def get(self, query):
        return paginate(filtered_shipments(query), query)

    @requires("shipments.dispatch")
    @blp.arguments(DispatchSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data):
        """Dispatch units (in hand, lot released) in a shipper to a destination."""
        units = [get_unit(i) for i in data["unit_ids"]]
        return shipments.dispatch(units, data["destination"], data["shipper"], current_user)


@blp.route("/shipments/<int:shipment_id>/receive")
class ShipmentReceive(MethodView):
    @requires("shipments.receive")
    @blp.arguments(ReceiptSchema)
    @blp.response(200, ShipmentSchema)
    def post(self, data, shipment_id):
        """Receive by scanning every unit; a missing or unexpected unit blocks until resolved with a reason."""
        return _receive(shipments.get_shipment(shipment_id), data)


@blp.route("/units/<int:unit_id>/dispatch")
class UnitDispatch(MethodView):
    @requires("shipments.dispatch")
    @blp.arguments(UnitDispatchSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data, unit_id):
        """Dispatch one unit alone (a shipment of one)."""
        return shipments.dispatch([get_unit(unit_id)], data["destination"], data["shipper"], current_user)


@blp.route("/units/<int:unit_id>/receive")
class UnitReceive(MethodView):
    @requires("shipments.receive")
    @blp.arguments(ReceiptSchema)
    @blp.response(200, ShipmentSchema)
    def post(self, data, unit_id):
        """Receive the open shipment this unit travels in."""
        shipment = db.session.scalar(select(Shipment).join(ShipmentItem).where(
            ShipmentItem.unit_id == get_unit(unit_id).id, Shipment.received_at.is_(None)))
        if shipment is None:
            raise InvalidInput(_("unit %(unit_id)s is in no open shipment", unit_id=unit_id),
                               {"unit_id": [_("not in transit")]})
        return _receive(shipment, data)
