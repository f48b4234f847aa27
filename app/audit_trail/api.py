"""Audit trail API: filtered, paginated entries and the verifier's verdict."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.core.permissions import requires

from . import operations
from .schemas import AuditPageSchema, AuditQuerySchema, VerdictSchema

blp = Blueprint("audit_api", __name__, url_prefix="/api/v1/audit", description="The audit trail")


@blp.route("")
class AuditEntries(MethodView):
    @requires("audit.read")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Entries filtered by entity, user, action and time range, newest first."""
        return operations.search(query)


@blp.route("/verify")
class AuditVerify(MethodView):
    @requires("audit.read")
    @blp.response(200, VerdictSchema)
    def get(self):
        """Check the whole chain and the change journal now."""
        return operations.verify()
