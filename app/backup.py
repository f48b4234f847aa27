"""`flask backup`: an online, consistent copy of the SQLite database, verified before it is reported good."""

import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, make_url

import audit
from app.core.database import configure_engine


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (must not exist).")
@with_appcontext
def backup_command(out: Path) -> None:
    """Copy the embedded SQLite database (PostgreSQL: use pg_dump or PITR, see README) and verify the copy."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("flask backup copies the embedded SQLite database; on PostgreSQL use pg_dump")
    if out.exists():
        raise click.ClickException(f"{out} exists; backups never overwrite")
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(out)
    with target:
        source.backup(target)
    source.close()
    target.close()
    engine = create_engine(f"sqlite:///{out}")
    configure_engine(engine)
    with engine.connect() as conn:
        verdict = audit.verify(conn)
    engine.dispose()
    click.echo(f"backup written to {out}; its audit trail: {verdict.line()}")
    sys.exit(0 if verdict.ok else 1)
