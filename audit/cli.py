"""`flask audit verify` and `flask audit checkpoint`."""

import datetime as dt
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import canonical, checkpoint
from .verify import verify

audit_cli = AppGroup("audit", help="Verify the audit trail and write signed checkpoints.")


def _engine():
    return current_app.extensions["sqlalchemy"].engine


def _key_path() -> Path:
    return Path(current_app.config["CHECKPOINT_KEY"])


@audit_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A signed checkpoint the trail must still contain.")
@click.option("--public-key", type=click.Path(dir_okay=False, path_type=Path),
              help="Trusted Ed25519 public key (default: the checkpoint key's .pub file).")
def verify_command(checkpoint_file: Path | None, public_key: Path | None) -> None:
    """Check contiguity, links, hashes, the change journal and, if given, a checkpoint."""
    trusted = None
    if checkpoint_file is not None:
        try:
            trusted = checkpoint.read(checkpoint_file, public_key or checkpoint.public_key_path(_key_path()))
        except checkpoint.CheckpointError as error:
            click.echo(f"FAILED: {error}")
            sys.exit(2)
    with _engine().connect() as conn:
        verdict = verify(conn, trusted)
    click.echo(verdict.line())
    sys.exit(0 if verdict.ok else 1)


@audit_cli.command("checkpoint")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the signed checkpoint (keep copies off this machine).")
def checkpoint_command(out: Path) -> None:
    """Verify the trail, then sign its head (seq, hash) with the Ed25519 key outside the database."""
    with _engine().connect() as conn:
        verdict = verify(conn)
    if not verdict.ok:
        click.echo(f"refusing to sign a broken trail: {verdict.line()}")
        sys.exit(1)
    key = checkpoint.load_or_create_key(_key_path())
    checkpoint.write(out, key, verdict.head_seq, verdict.head_hash, canonical.utc_iso(dt.datetime.now(dt.UTC)))
    click.echo(f"checkpoint written to {out}: seq {verdict.head_seq}, head hash {verdict.head_hash}")
