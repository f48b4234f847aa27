"""Signatures API: sign a record, list a record's signatures."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.core import validators
from app.core.permissions import requires

from . import operations
from .schemas import SignatureQuerySchema, SignatureSchema, SignRequestSchema

blp = Blueprint("signatures_api", __name__, url_prefix="/api/v1", description="Electronic signatures")


@blp.route("/signatures")
class Signatures(MethodView):
    @requires("read")
    @blp.arguments(SignatureQuerySchema, location="query")
    @blp.response(200, SignatureSchema(many=True))
    def get(self, query):
        """A record's signatures and whether its content changed since each was made."""
        return operations.signatures_for(operations.get_signable(query["record_type"], query["record_id"]))

    @requires("signatures.sign")
    @blp.arguments(SignRequestSchema)
    @blp.response(201, SignatureSchema)
    @blp.alt_response(401, description="wrong password: nothing is signed and the failure counts toward lockout")
    def post(self, data):
        """Sign a record: the password is checked again at each signing (by a role the record's type names)."""
        record = operations.get_signable(data["record_type"], data["record_id"])
        signature = operations.sign(current_user, data["password"], data["meaning"], record, data["reason"])
        return {"signature": signature, "reason": validators.optional_reason(data["reason"]), "content_changed": False}
