"""Dashboard and the pieces every page shares."""

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.core import permissions
from app.core.pagination import page_url
from app.core.permissions import requires
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
MENU = (("web.dashboard", "Dashboard"), ("donors.donors", "Donors"), ("lots.lots", "Lots"), ("storage.tree", "Storage"),
        ("shipments.shipments_page", "Shipments"), ("storage.thaw_page", "Thaw"),
        ("monitoring.temperature_page", "Temperature"), ("monitoring.excursions_page", "Excursions"),
        ("printing.templates_page", "Labels"), ("printing.history_page", "Prints"),
        ("printing.printers_page", "Printers"), ("auth.users", "Users"), ("audit_trail.trail", "Audit trail"))


@bp.app_context_processor
def navigation() -> dict:
    return {**permissions.template_helpers(), "menu": MENU, "page_url": page_url}


@bp.route("/")
@requires("public")
def index():
    return redirect(url_for("web.dashboard") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/dashboard")
@requires("account.own")
def dashboard():
    return render_template("web/dashboard.html")
