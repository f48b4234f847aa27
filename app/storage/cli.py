"""`flask custody verify`: every unit's chain is whole and ends where the unit is (storage knows where units are)."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.custody.operations import broken_links, chain
from app.extensions import db

from .models import Unit
from .operations import place_of

custody_cli = AppGroup("custody", help="Chain of custody.")


@custody_cli.command("verify")
def verify_command() -> None:
    """Check every unit's chain: no gap, each event starts where the previous ended, the unit is where it ends."""
    broken, units = [], 0
    for unit in db.session.scalars(select(Unit).order_by(Unit.id)):
        units += 1
        broken += [f"unit {unit.barcode}: {problem}" for problem in broken_links(chain(unit.id), place_of(unit))]
    for line in broken:
        click.echo(line)
    click.echo(f"{'FAILED' if broken else 'OK'}: {units} unit chains checked, {len(broken)} problem(s)")
    sys.exit(1 if broken else 0)
