"""Dashboard and the pieces every page shares."""

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import i18n, permissions, terms
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


#: the main menu: each entry is shown to whoever may open its page (the permission table decides)
MENU = (("web.dashboard", _l("Dashboard")), ("donors.donors", _l("Donors")), ("lots.lots", _l("Lots")),
        ("materials.materials", _l("Materials")), ("qc.specifications", _l("Specifications")),
        ("storage.tree", _l("Storage")), ("trace.trace_page", _l("Trace")), ("recalls.recalls_page", _l("Recalls")),
        ("biovigilance.cases_page", _l("Biovigilance")),
        ("shipments.shipments_page", _l("Shipments")), ("storage.thaw_page", _l("Thaw")),
        ("monitoring.temperature_page", _l("Temperature")), ("monitoring.excursions_page", _l("Excursions")),
        ("printing.templates_page", _l("Labels")), ("printing.history_page", _l("Prints")),
        ("printing.printers_page", _l("Printers")), ("patients.patients_page", _l("Patients")),
        ("dispensing.prepare_page", _l("Prepare dose")), ("dispensing.dispense_page", _l("Dispense")),
        ("dispensing.ward_page", _l("Ward")), ("record.product_codes", _l("Product codes")),
        ("auth.users", _l("Users")), ("audit_trail.trail", _l("Audit trail")))


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
