"""The trace page: where from, which way; the graph drawn as SVG, the summary, and every node linked to its page."""

from flask import Blueprint, render_template, request, url_for
from marshmallow import ValidationError

from app.core.errors import NotFound
from app.core.permissions import requires

from .answer import trace
from .drawing import layout
from .registry import NODE_TYPES, STARTABLE
from .schemas import TraceQuerySchema
from .walk import DIRECTIONS

bp = Blueprint("trace", __name__, template_folder="templates")


@bp.app_template_filter("trace_link")
def trace_link(node: dict) -> str:
    """The page of a trace node (a QC result's or a signature's is its lot's)."""
    endpoint, argument, field = NODE_TYPES[node["type"]].page
    return url_for(endpoint, **{argument: node[field]})


@bp.route("/trace")
@requires("read")
def trace_page():
    asked = {name: request.args[name] for name in ("from", "direction") if request.args.get(name)}
    answer, error, status = None, None, 200
    if asked:
        try:
            query = TraceQuerySchema().load({"direction": "forward", **asked})
            answer = trace(query["start_type"], query["start_id"], query["direction"])
        except ValidationError as invalid:
            error, status = "; ".join(f"{field}: {' '.join(m)}" for field, m in invalid.messages.items()), 422
        except NotFound as missing:
            error, status = missing.message, 404
    page = render_template("trace/trace.html", asked=asked, answer=answer, error=error, types=STARTABLE,
                           directions=DIRECTIONS, drawing=layout(answer) if answer else None,
                           links={n["key"]: trace_link(n) for n in answer["nodes"]} if answer else {})
    return page, status
