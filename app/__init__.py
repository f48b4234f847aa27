"""The Flask application factory."""

from pathlib import Path

from flask import Flask

import audit
from config import Config


def create_app(config: object | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config or Config())
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from flask_sqlalchemy.session import Session
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.auth import throttle
    from app.auth.loading import name_request_actor, require_password_changed
    from app.core import etags, headers, i18n, input_guard, states, transaction, versioning
    from app.core.database import configure_engine
    from app.extensions import api, babel, csrf, db, login_manager, migrate
    from app.storage import tallies

    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    i18n.compile_catalogues()
    babel.init_app(app, default_locale=app.config["LOCALE"], default_translation_directories=str(i18n.TRANSLATIONS),
                   locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    api.init_app(app)
    audit.install(Session)
    versioning.install(Session)
    states.install(Session)
    tallies.install(Session)
    # Order matters. Before each request: the input guard, the login throttle (its own connection, before the
    # request's transaction begins), who is acting, the request's language, the password-change gate, the If-Match
    # check. After it, in reverse: the commit or rollback, then the throttle's count of a refused login, then the
    # security headers.
    headers.init_app(app)
    app.before_request(input_guard.check_request)
    throttle.init_app(app)
    transaction.init_app(app)
    app.before_request(name_request_actor)
    app.before_request(i18n.choose_locale)
    app.before_request(require_password_changed)
    etags.init_app(app)
    with app.app_context():
        configure_engine(db.engine)


def register_blueprints(app: Flask) -> None:
    from app.audit_trail import api as audit_api
    from app.audit_trail import views as audit_views
    from app.auth import api as auth_api
    from app.auth import throttle
    from app.auth import views as auth_views
    from app.biovigilance import api as biovigilance_api
    from app.biovigilance import views as biovigilance_views
    from app.dispensing import api as doses_api
    from app.dispensing import patient_page
    from app.dispensing import views as dispensing_views
    from app.donors import api as donors_api
    from app.donors import views as donors_views
    from app.extensions import api, csrf
    from app.fhir import api as fhir_api
    from app.finder import views as finder_views
    from app.lots import api as lots_api
    from app.lots import record as lots_record
    from app.lots import views as lots_views
    from app.materials import api as materials_api
    from app.materials import views as materials_views
    from app.monitoring import api as monitoring_api
    from app.monitoring import views as monitoring_views
    from app.patients import api as patients_api
    from app.patients import views as patients_views
    from app.printing import api as printing_api
    from app.printing import label_files
    from app.printing import views as printing_views
    from app.qc import api as qc_api
    from app.qc import views as qc_views
    from app.recalls import api as recalls_api
    from app.recalls import views as recalls_views
    from app.release import api as release_api
    from app.release import views as release_views
    from app.shipments import api as shipments_api
    from app.shipments import views as shipments_views
    from app.signatures import api as signatures_api
    from app.signatures import views as signatures_views
    from app.storage import actions as storage_actions
    from app.storage import api as storage_api
    from app.storage import lot_units
    from app.storage import views as storage_views
    from app.trace import api as trace_api
    from app.trace import views as trace_views
    from app.web import views as web_views
    from app.worklists import views as worklists_views

    for module in (auth_api, signatures_api, audit_api, donors_api, materials_api, lots_api, qc_api, release_api,
                   storage_api, shipments_api, monitoring_api, printing_api, label_files, trace_api, patients_api,
                   doses_api, fhir_api, recalls_api, biovigilance_api):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)
    for module in (web_views, auth_views, signatures_views, audit_views, donors_views, lots_views, lots_record,
                   materials_views, qc_views, release_views, shipments_views, storage_views, lot_units, storage_actions,
                   monitoring_views, printing_views, trace_views, patients_views, patient_page, dispensing_views,
                   worklists_views, finder_views, recalls_views, biovigilance_views):
        app.register_blueprint(module.bp)
    throttle.protect_logins(app)


def register_errorhandlers(app: Flask) -> None:
    from flask_limiter.errors import RateLimitExceeded

    from app.auth.throttle import handle_throttled
    from app.core import integrity
    from app.core.errors import register_errorhandlers as register

    register(app)
    integrity.init_app(app)
    app.register_error_handler(RateLimitExceeded, handle_throttled)


def register_commands(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.backup import backup_command
    from app.demo import demo_cli
    from app.recalls.cli import recall_cli
    from app.storage.cli import custody_cli, units_cli
    from app.trace.cli import trace_command
    from audit.cli import audit_cli

    for command in (users_cli, audit_cli, demo_cli, backup_command, custody_cli, units_cli, trace_command,
                    recall_cli):
        app.cli.add_command(command)
