"""Dashboard and the pieces every page shares."""

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.core.permissions import AUDIT_READERS, require_roles
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


@bp.app_context_processor
def navigation() -> dict:
    def can(*roles: str) -> bool:
        return current_user.is_authenticated and current_user.has_any_role(roles)

    return {"can": can, "AUDIT_READERS": AUDIT_READERS}


@bp.route("/")
def index():
    return redirect(url_for("web.dashboard") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/dashboard")
@require_roles()
def dashboard():
    return render_template("web/dashboard.html")
