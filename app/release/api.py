"""Release API: what blocks release, and QA's signed release or rejection."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.core.permissions import requires
from app.lots.operations import get_lot
from app.signatures.operations import signatures_for

from . import operations
from .schemas import RejectSchema, ReleaseSchema, ReleaseStatusSchema

blp = Blueprint("release_api", __name__, url_prefix="/api/v1", description="QA release and rejection")


def _status(lot, signer=None) -> dict:
    return {"lot_id": lot.id, "state": lot.state, "blockers": operations.release_blockers(lot, signer),
            "signatures": [{"printed_name": s["signature"].printed_name, "meaning": s["signature"].meaning,
                            "signed_at": s["signature"].signed_at.isoformat(), "content_changed": s["content_changed"]}
                           for s in signatures_for(lot)]}


@blp.route("/lots/<int:lot_id>/release")
class Release(MethodView):
    @requires("read")
    @blp.response(200, ReleaseStatusSchema)
    def get(self, lot_id):
        """What still blocks release (for the caller as signer), and the lot's signatures."""
        return _status(get_lot(lot_id), current_user)

    @requires("lots.release")
    @blp.arguments(ReleaseSchema)
    @blp.response(200, ReleaseStatusSchema)
    def post(self, data, lot_id):
        """Release for clinical use, signed; refused with every unmet rule listed."""
        lot = operations.release(get_lot(lot_id), current_user, data["password"], data["reason"])
        return _status(lot)


@blp.route("/lots/<int:lot_id>/reject")
class Reject(MethodView):
    @requires("lots.release")
    @blp.arguments(RejectSchema)
    @blp.response(200, ReleaseStatusSchema)
    def post(self, data, lot_id):
        """Reject the lot, signed, with a reason."""
        lot = operations.reject(get_lot(lot_id), current_user, data["password"], data["reason"])
        return _status(lot)
