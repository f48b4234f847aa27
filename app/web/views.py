"""Dashboard and the pieces every page shares."""

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.core import i18n, permissions, terms
from app.core.i18n import N_
from app.core.pagination import page_url
from app.core.permissions import requires
from app.core.refusals import kept_input
from app.core.timezones import site_zone

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


@bp.app_template_filter("localtime")
def localtime(moment) -> str:
    """Show a UTC time (a datetime or an ISO-8601 string) in the site's time zone, as the user's language writes it."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return i18n.format_moment(moment, site_zone())


#: the main menu: each entry is shown to whoever may open its page (the permission table decides); the page
#: translates its label
MENU = (("web.dashboard", N_("Dashboard")), ("donors.donors", N_("Donors")), ("lots.lots", N_("Lots")),
        ("materials.materials", N_("Materials")), ("qc.specifications", N_("Specifications")),
        ("storage.tree", N_("Storage")), ("trace.trace_page", N_("Trace")), ("recalls.recalls_page", N_("Recalls")),
        ("biovigilance.cases_page", N_("Biovigilance")),
        ("shipments.shipments_page", N_("Shipments")), ("storage.thaw_page", N_("Thaw")),
        ("monitoring.temperature_page", N_("Temperature")), ("monitoring.excursions_page", N_("Excursions")),
        ("printing.templates_page", N_("Labels")), ("printing.history_page", N_("Prints")),
        ("printing.printers_page", N_("Printers")), ("patients.patients_page", N_("Patients")),
        ("dispensing.prepare_page", N_("Prepare dose")), ("dispensing.dispense_page", N_("Dispense")),
        ("dispensing.ward_page", N_("Ward")), ("record.product_codes", N_("Product codes")),
        ("auth.users", N_("Users")), ("audit_trail.trail", N_("Audit trail")))


@bp.app_context_processor
def navigation() -> dict:
    return {**permissions.template_helpers(), "menu": MENU, "current_locale": i18n.current_locale,
            "kept_input": kept_input, "page_url": page_url}


@bp.route("/")
@requires("public")
def index():
    return redirect(url_for("web.dashboard") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/dashboard")
@requires("account.own")
def dashboard():
    return render_template("web/dashboard.html")


bp.add_app_template_filter(terms.term, "term")


@bp.app_template_filter("field_id")
def field_id(action: str, name: str) -> str:
    """A page-unique id for the field `name` of the form posted to `action`."""
    return "f" + "".join(c if c.isalnum() else "-" for c in action) + "-" + name


@bp.app_template_filter("number")
def number(value, places: int | None = None) -> str:
    """A Decimal or integer as people write it: no exponent, no trailing zeros (2.5E+2 -> 250) unless `places` are
    asked for, the locale's decimal comma."""
    return i18n.format_number(value, places)
