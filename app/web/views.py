"""Dashboard and the pieces every page shares."""

import datetime as dt
import decimal

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.core import permissions
from app.core.pagination import page_url
from app.core.permissions import requires
from app.core.refusals import kept_input
from app.core.timezones import local

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


@bp.app_template_filter("localtime")
def localtime(moment) -> str:
    """Show a UTC time (a datetime or an ISO-8601 string) in the site's time zone."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return local(moment).strftime("%Y-%m-%d %H:%M:%S %Z")


#: the main menu: each entry is shown to whoever may open its page (the permission table decides)
MENU = (("web.dashboard", "Dashboard"), ("donors.donors", "Donors"), ("lots.lots", "Lots"),
        ("materials.materials", "Materials"), ("qc.specifications", "Specifications"), ("storage.tree", "Storage"),
        ("trace.trace_page", "Trace"), ("recalls.recalls_page", "Recalls"),
        ("biovigilance.cases_page", "Biovigilance"),
        ("shipments.shipments_page", "Shipments"), ("storage.thaw_page", "Thaw"),
        ("monitoring.temperature_page", "Temperature"), ("monitoring.excursions_page", "Excursions"),
        ("printing.templates_page", "Labels"), ("printing.history_page", "Prints"),
        ("printing.printers_page", "Printers"), ("patients.patients_page", "Patients"),
        ("dispensing.prepare_page", "Prepare dose"), ("dispensing.dispense_page", "Dispense"),
        ("dispensing.ward_page", "Ward"), ("record.product_codes", "Product codes"),
        ("auth.users", "Users"), ("audit_trail.trail", "Audit trail"))


@bp.app_context_processor
def navigation() -> dict:
    return {**permissions.template_helpers(), "menu": MENU, "kept_input": kept_input, "page_url": page_url}


@bp.route("/")
@requires("public")
def index():
    return redirect(url_for("web.dashboard") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/dashboard")
@requires("account.own")
def dashboard():
    return render_template("web/dashboard.html")


@bp.app_template_filter("field_id")
def field_id(action: str, name: str) -> str:
    """A page-unique id for the field `name` of the form posted to `action`."""
    return "f" + "".join(c if c.isalnum() else "-" for c in action) + "-" + name


@bp.app_template_filter("number")
def number(value) -> str:
    """A Decimal or integer as people write it: no exponent, no trailing zeros (2.5E+2 -> 250)."""
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)
