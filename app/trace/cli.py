"""`flask trace FROM --direction forward|backward [--json]`: the API's trace on the command line."""

import json
import sys

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError

from app.core.errors import NotFound

from .answer import trace
from .schemas import TraceQuerySchema
from .walk import DIRECTIONS


def _text(answer: dict) -> list[str]:
    summary = answer["summary"]
    counts = ", ".join(f"{n} {node_type}" for node_type, n in summary["counts"].items()) or "nothing"
    lines = [f"{summary['direction'].capitalize()} trace from {summary['from']}: {counts}",
             f"donors: {', '.join(summary['donors']) or '—'}; DINs: {', '.join(summary['dins']) or '—'}"]
    for node in answer["nodes"]:
        facts = [node[name] for name in ("kind", "state", "status", "outcome", "location") if node.get(name)]
        lines.append(f"  {node['key']:<20} {node['label']}" + (f"  ({'; '.join(facts)})" if facts else ""))
    lines += [f"  {edge['from']} -[{edge['kind']}]-> {edge['to']}" for edge in answer["edges"]]
    return lines


@click.command("trace")
@click.argument("start", metavar="FROM")
@click.option("--direction", type=click.Choice(DIRECTIONS), required=True)
@click.option("--json", "as_json", is_flag=True, help="print the API's JSON answer")
@with_appcontext
def trace_command(start: str, direction: str, as_json: bool) -> None:
    """Trace from FROM (<type>:<id>, e.g. donor:1): every descendant, or every origin and the evidence."""
    try:
        query = TraceQuerySchema().load({"from": start, "direction": direction})
        answer = trace(query["start_type"], query["start_id"], query["direction"])
    except ValidationError as error:
        raise click.BadParameter("; ".join(error.messages.get("from", [])), param_hint="FROM") from None
    except NotFound as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    click.echo(json.dumps(answer, indent=2) if as_json else "\n".join(_text(answer)))
