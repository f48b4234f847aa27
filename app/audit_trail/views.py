"""The audit trail page: filters and old → new values."""

import datetime as dt

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from app.core.errors import InvalidInput, describe
from app.core.permissions import requires
from app.core.timezones import site_time

from . import operations
from .schemas import AuditQuerySchema

bp = Blueprint("audit_trail", __name__, template_folder="templates")


@bp.route("/audit")
@requires("audit.read")
def trail():
    raw = {key: value for key, value in request.args.items() if value}
    for key in ("since", "until"):
        if key in raw:
            raw[key] = _with_site_zone(raw[key])
    errors = AuditQuerySchema().validate(raw)
    if errors:
        raise InvalidInput(_("invalid filter: %(errors)s", errors=describe(errors)), errors)
    query = AuditQuerySchema().load(raw)
    return render_template("audit_trail/trail.html", result=operations.search(query), filters=raw,
                           choices=operations.choices())


def _with_site_zone(value: str) -> str:
    """Read a time typed without an offset (datetime-local) as site-local time."""
    try:
        return site_time(dt.datetime.fromisoformat(value)).isoformat()
    except ValueError:
        return value
