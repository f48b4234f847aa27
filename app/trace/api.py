"""Trace API: GET /api/v1/trace?from=<type>:<id>&direction=forward|backward."""

import orjson
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from app.core.permissions import requires

from .answer import trace
from .schemas import TraceQuerySchema, TraceSchema

blp = Blueprint("trace_api", __name__, url_prefix="/api/v1", description="Forward and backward traces")


@blp.route("/trace")
class Trace(MethodView):
    @requires("read")
    @blp.arguments(TraceQuerySchema, location="query")
    @blp.response(200, TraceSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="no record of that type with that id")
    def get(self, query):
        """Forward: every descendant lot and unit with its state and place. Backward: the whole lineage to the
        donor and procurement, every material lot consumed, the QC results and the signatures."""
        answer = trace(query["start_type"], query["start_id"], query["direction"])
        # the answer is plain JSON already (TraceSchema documents it): a trace of thousands of nodes is written
        # at once rather than field by field through marshmallow
        return Response(orjson.dumps(answer), mimetype="application/json")
