"""`flask custody verify`: every unit's chain is whole and ends where the unit is (storage knows where units are);
`flask units tallies`: the counts of units the lists show agree with the units."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import create_engine, select

from app.custody.operations import broken_links, chain
from app.extensions import db

from . import tallies
from .models import Unit
from .operations import place_of

custody_cli = AppGroup("custody", help="Chain of custody.")
units_cli = AppGroup("units", help="Units.")


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


@units_cli.command("tallies")
@click.option("--rebuild", is_flag=True,
              help="First recount them from the units, as the schema owner (CELLBANK_MIGRATION_DATABASE_URL).")
def tallies_command(rebuild: bool) -> None:
    """Check the unit tallies (units per lot and state, which the lists count from) against the units."""
    if rebuild:
        owner = create_engine(current_app.config["MIGRATION_DATABASE_URL"])
        try:
            with owner.begin() as connection:
                tallies.recount(connection)
        finally:
            owner.dispose()
        click.echo("the unit tallies were recounted from the units")
    wrong = tallies.mismatches(db.session.connection())
    for (lot_id, state), (counted, tallied) in sorted(wrong.items()):
        click.echo(f"lot {lot_id}, {state}: {counted} unit(s), tallied {tallied}")
    click.echo(f"{'FAILED' if wrong else 'OK'}: {len(wrong)} tally(ies) disagree with the units"
               + ("; `flask units tallies --rebuild` recounts them" if wrong else ""))
    sys.exit(1 if wrong else 0)
