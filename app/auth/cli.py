"""`flask users create`."""

import getpass

import click
from flask.cli import AppGroup

import audit
from app.core.errors import DomainError
from app.core.transaction import unit_of_work
from app.extensions import db

from . import operations

users_cli = AppGroup("users", help="Manage user accounts.")


def name_cli_actor() -> None:
    """Commands act as the operating-system user who ran them."""
    audit.set_actor(db.session, None, f"cli:{getpass.getuser()}")


@users_cli.command("create")
@click.argument("username")
@click.option("--full-name", required=True, help="Printed name shown on signatures.")
@click.option("--role", "roles", multiple=True, required=True, help="Repeat for several roles.")
@click.password_option(help="At least 12 characters; asked for if not given.")
def create_command(username: str, full_name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a user account."""
    name_cli_actor()
    try:
        with unit_of_work():
            user = operations.create_user(username, full_name, password, roles)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"created user {user.username} ({user.roles})")


@users_cli.command("unlock")
@click.argument("username")
@click.option("--reason", required=True, help="Why the account is unlocked (kept in the audit trail).")
def unlock_command(username: str, reason: str) -> None:
    """Unlock an account locked by failed logins (e.g. the last administrator's)."""
    name_cli_actor()
    try:
        with unit_of_work():
            user = operations.find_user(username)
            if user is None:
                raise DomainError(f"no user {username!r}")
            operations.unlock(user, reason)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"unlocked {user.username}")
