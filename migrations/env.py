"""Alembic environment: migrations run as the owner (CELLBANK_MIGRATION_DATABASE_URL), then the app's
role is granted exactly what it may do (PostgreSQL)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, make_url

import audit
from app.core.database import configure_engine, grant_app_role, include_for

config = context.config
fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

target_metadata = [current_app.extensions["migrate"].db.metadata, audit.metadata]


def _skip_empty_autogenerate(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(url=current_app.config["MIGRATION_DATABASE_URL"], target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    owner_url = current_app.config["MIGRATION_DATABASE_URL"]
    app_role = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).username
    engine = create_engine(owner_url)
    configure_engine(engine)
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    with engine.connect() as connection:
        conf_args.setdefault("include_object", include_for(connection.dialect.name))
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
            grant_app_role(connection, app_role)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
