"""Rules for the Zebra printers an administrator configures: where they are and what stock they hold."""

import ipaddress
import re

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.extensions import db
from labels.stock import DPI

from .models import Printer

HOSTNAME = re.compile(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                      r"[A-Za-z0-9])?)*")
FIELDS = ("name", "host", "port", "dpi", "stock_name", "stock_width_mm", "stock_height_mm", "active")


def get_printer(printer_id: int) -> Printer:
    return get_or_404(Printer, printer_id, "printer")


def host(value: str, field: str = "host") -> str:
    """An IP address or a DNS name (RFC 1123)."""
    value = validators.text(value, field, 253)
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not HOSTNAME.fullmatch(value):
            validators.refuse(field, f"{value!r} is neither an IP address nor a host name")
    return value


def _checked(data: dict) -> dict:
    data = dict(data)
    if "name" in data:
        data["name"] = validators.text(data["name"], "name", 60)
    if "host" in data:
        data["host"] = host(data["host"])
    if "port" in data and not 1 <= data["port"] <= 65535:
        validators.refuse("port", "a TCP port is 1 to 65535")
    if "dpi" in data and data["dpi"] not in DPI:
        validators.refuse("dpi", f"one of {', '.join(map(str, DPI))}")
    if "stock_name" in data:
        data["stock_name"] = validators.text(data["stock_name"], "stock_name", 60)
    return data


def _unique_name(name: str, printer: Printer | None = None) -> None:
    found = db.session.scalar(select(Printer.id).where(Printer.name == name))
    if found is not None and (printer is None or found != printer.id):
        raise RuleViolation(_("a printer is already named %(name)s", name=repr(name)))


@guarded("printers.configure")
def create_printer(data: dict) -> Printer:
    """Add a printer: name, host, raw TCP port (9100), resolution and the stock loaded in it."""
    data = _checked(data)
    _unique_name(data["name"])
    printer = Printer(**{key: data[key] for key in FIELDS if key in data})
    with audit.action(db.session, "printer.create"):
        db.session.add(printer)
    return printer


@guarded("printers.configure")
def change_printer(printer: Printer, data: dict, reason: str) -> Printer:
    """Change a printer's settings (another host, other stock loaded, out of service), with a reason."""
    reason = validators.reason(reason)
    data = _checked({key: value for key, value in data.items() if key in FIELDS and value is not None})
    if "name" in data:
        _unique_name(data["name"], printer)
    with audit.action(db.session, "printer.change", reason):
        for key, value in data.items():
            setattr(printer, key, value)
    return printer
