"""`flask recall report ID [--output FILE]`: the recall report PDF on the command line."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db

from .models import Recall
from .report import recall_report

recall_cli = AppGroup("recall", help="Recalls.")


@recall_cli.command("report")
@click.argument("recall_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="write the PDF here (default: recall-<number>.pdf in the current directory)")
def report_command(recall_id: int, output: Path | None) -> None:
    """Write the report of recall RECALL_ID as PDF."""
    recall = db.session.get(Recall, recall_id)
    if recall is None:
        click.echo(f"no recall has the id {recall_id}", err=True)
        sys.exit(1)
    target = output or Path(f"recall-{recall.number}.pdf")
    target.write_bytes(recall_report(recall))
    click.echo(f"recall {recall.number} report written to {target}")
