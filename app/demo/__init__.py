"""Demo data for a first start: one user per role (password CELLBANK_DEMO_PASSWORD) and a small bank."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

import audit
from app.auth.models import User
from app.auth.operations import create_user
from app.core.transaction import unit_of_work
from app.demo.bank import load_bank
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_USERS = (
    ("admin", "Alice Admin", ["admin"]),
    ("tech", "Theo Technician", ["technician"]),
    ("qa", "Quentin QA", ["qa"]),
    ("pharmacist", "Paula Pharmacist", ["pharmacist"]),
    ("clinician", "Claire Clinician", ["clinician"]),
)


def load_demo_users(password: str) -> list[User]:
    return [create_user(username, name, password, roles) for username, name, roles in DEMO_USERS]


@demo_cli.command("load")
def load_command() -> None:
    """Create the demo accounts, only if the database has no user yet."""
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("demo data: users already exist, nothing loaded")
        return
    audit.set_actor(db.session, None, "system:demo-data")
    password = current_app.config["DEMO_PASSWORD"]
    with unit_of_work():
        load_demo_users(password)
        load_bank(password)
    click.echo("demo data loaded: users " + ", ".join(u for u, _, _ in DEMO_USERS) + "; donor ASC-D001, lots "
               "T-26-0001 → P1 → MCB → DP-26-0001 (released, 10 vials in tank LN2-01) and DP-26-0002 "
               "(quarantine, viability OOS); a temperature excursion of LN2-01 (up to -138.0 °C over the last hour, "
               "ended now) flagged the 10 vials: QA assesses them under Excursions; an approved label template of "
               "each kind, so the lot, vial and box pages print at once; patient P-001 enrolled with dose 1 "
               "administered and dose 2 prepared, ready to dispense (two vials assessed by QA); P-002 enrolled with "
               "no dose yet")


@demo_cli.command("info")
def info_command() -> None:
    """Print where the app listens and how to log in."""
    click.echo("Cell bank: open http://127.0.0.1:5000")
    click.echo("Log in as admin, tech, qa, pharmacist or clinician with the password in CELLBANK_DEMO_PASSWORD "
               f"(now: {current_app.config['DEMO_PASSWORD']!r}).")
