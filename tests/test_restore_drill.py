"""Restore drill: a backup (`flask backup` on SQLite, `pg_dump` on PostgreSQL) restored into a fresh database serves
the app and verifies against the last signed checkpoint; a copy older than the checkpoint is missing entries."""

import shutil
import subprocess

import pytest
from sqlalchemy import make_url

from app.extensions import db
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, TestDatabase, create_database
from tests.helpers import BACKENDS, api_login, create_user, make_app, migrate


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string for the PostgreSQL client programs."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Site:
    """A database and its app, as run in production: the CLI and requests through the test client."""

    def __init__(self, database: TestDatabase, key):
        self.database = database
        self.app = make_app(database, CHECKPOINT_KEY=str(key))

    def cli(self, *args):
        return self.app.test_cli_runner().invoke(args=[str(arg) for arg in args])

    def backup(self, path):
        """`flask backup` on SQLite (verified copy), `pg_dump -Fc` as the owner on PostgreSQL."""
        if self.database.backend == "sqlite":
            result = self.cli("backup", "--out", path)
            assert result.exit_code == 0 and "its audit trail: OK" in result.output, result.output
        else:
            subprocess.run(["pg_dump", "-Fc", "-f", str(path), _libpq(self.database.owner_url)], check=True)

    def head(self) -> int:
        with self.app.app_context(), db.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT COALESCE(MAX(seq), 0) FROM audit_log").scalar()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def _restore(backend: str, backup, directory, key) -> tuple[Site, TestDatabase]:
    """Restore the backup into a fresh database; on PostgreSQL with new roles, then `flask db upgrade` grants the
    app role its rights (a restore carries no ownership or grants: --no-owner --no-acl)."""
    directory.mkdir()
    fresh = create_database(backend, directory)
    if backend == "sqlite":
        shutil.copyfile(backup, make_url(fresh.owner_url).database)
    else:
        subprocess.run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
                        "-d", _libpq(fresh.owner_url), str(backup)], check=True)
    site = Site(fresh, key)
    migrate(site.app)
    return site, fresh


@pytest.fixture(params=BACKENDS)
def production(request, tmp_path):
    """A database in use: users created, logins and an account change through the API, each audited."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    if request.param == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump and pg_restore are missing (apt-get install postgresql-client)")
    database = create_database(request.param, tmp_path)
    site = Site(database, tmp_path / "keys" / "checkpoint.pem")
    migrate(site.app)
    create_user(site.app, "admin1", roles=["admin"])
    create_user(site.app, "tech1")
    yield site
    site.close()
    database.drop()


def _work(site, username: str) -> None:
    """One more audited change: admin1 creates an account through the API."""
    client = site.app.test_client()
    assert api_login(client, "admin1").status_code == 200
    created = client.post("/api/v1/users", json={"username": username, "full_name": username.title(),
                                                 "password": "a long enough password", "roles": ["technician"]})
    assert created.status_code == 201, created.json


def test_restored_backup_serves_and_verifies_against_the_last_checkpoint(production, tmp_path):
    """Backup at the checkpoint: restored, it verifies with the checkpoint, then serves a login and a read. A backup
    taken before the checkpoint restores too, but its trail is reported as missing the entries the checkpoint
    vouches for."""
    site, backend, key = production, production.database.backend, production.app.config["CHECKPOINT_KEY"]
    _work(site, "erin")
    older, older_head = tmp_path / "older.backup", site.head()
    site.backup(older)
    _work(site, "frank")
    checkpoint = tmp_path / "checkpoint.json"
    result = site.cli("audit", "checkpoint", "--out", checkpoint)
    assert result.exit_code == 0, result.output
    head = site.head()
    assert head > older_head
    latest = tmp_path / "latest.backup"
    site.backup(latest)

    restored, fresh = _restore(backend, latest, tmp_path / "latest", key)
    try:
        verified = restored.cli("audit", "verify", "--checkpoint", checkpoint)
        assert verified.exit_code == 0 and verified.output.startswith(f"OK: {head} audit entries verified"), \
            verified.output
        client = restored.app.test_client()
        assert api_login(client, "frank", "a long enough password").status_code == 200
        me = client.get("/api/v1/me")
        assert me.status_code == 200 and me.json["username"] == "frank"
        assert restored.head() > head  # the login was written to the restored database
        verified = restored.cli("audit", "verify", "--checkpoint", checkpoint)
        assert verified.exit_code == 0, verified.output
    finally:
        restored.close()
        fresh.drop()

    stale, fresh = _restore(backend, older, tmp_path / "older", key)
    try:
        verified = stale.cli("audit", "verify", "--checkpoint", checkpoint)
        assert verified.exit_code == 1, verified.output
        assert verified.output.strip() == (
            f"FAILED: first bad seq {older_head + 1}: entries {older_head + 1} to {head} are missing: the trail ends "
            f"at seq {older_head} but the checkpoint vouches for seq {head}")
        assert stale.cli("audit", "verify").exit_code == 0  # a consistent trail in itself: only the checkpoint knows
    finally:
        stale.close()
        fresh.drop()
