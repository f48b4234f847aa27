"""Command line: users create and demo load (audit verify/checkpoint: tests/audit)."""

import datetime as dt

from app.auth.models import User
from app.custody.models import CustodyEvent
from app.donors.models import Donor
from app.lots.models import Lot
from app.monitoring.models import Excursion, TemperatureReading
from app.storage.models import StorageLocation, Unit
from tests.databases import TestDatabase
from tests.helpers import PASSWORD, audit_rows, make_app, migrate


def test_users_create(app, connection, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "nina", "--full-name", "Nina Nurse", "--role",
                                                "clinician", "--role", "pharmacist", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    user = session.query(User).filter_by(username="nina").one()
    assert user.roles == "clinician,pharmacist"
    assert audit_rows(session, action="user.create")[0]["actor_username"].startswith("cli:")


def test_users_create_refuses_short_password(app, connection, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "nina", "--full-name", "N", "--role", "qa",
                                                "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert session.query(User).filter_by(username="nina").count() == 0


def test_users_unlock_recovers_a_locked_account(app, client, make_user, login, session):
    make_user("admin9", roles=["admin"])
    for _ in range(5):
        login("admin9", "not the password")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["users", "unlock", "admin9"])
    assert refused.exit_code != 0 and "--reason" in refused.output
    unknown = runner.invoke(args=["users", "unlock", "nobody", "--reason", "help desk call"])
    assert unknown.exit_code != 0 and "no user 'nobody'" in unknown.output
    done = runner.invoke(args=["users", "unlock", "admin9", "--reason", "the last administrator was locked out"])
    assert done.exit_code == 0, done.output
    [entry] = audit_rows(session, action="user.unlock")
    assert entry["actor_username"].startswith("cli:") and entry["reason"] == "the last administrator was locked out"
    assert login("admin9").status_code == 200


def test_demo_load_once(app, connection, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "loaded" in first.output
    assert {u.username for u in session.query(User)} == {"admin", "tech", "qa", "pharmacist", "clinician"}
    lots = {lot.number: lot for lot in session.query(Lot)}
    assert lots["DP-26-0001"].state == "released" and lots["DP-26-0001"].decision_signature_id
    assert lots["DP-26-0002"].state == "quarantine"
    assert [r.outcome for r in lots["DP-26-0002"].qc_results if r.outcome == "oos"] == ["oos"]
    assert session.query(Donor).filter_by(code="ASC-D001").one().eligibility == "eligible"
    placed = session.query(Unit).filter(Unit.box_id.isnot(None)).all()
    # ten vials stored; the two QA assessed went to patient P-001 (tests/dispensing/test_demo.py)
    assert len(placed) == 8 and {u.lot_id for u in placed} == {lots["DP-26-0001"].id}
    assert "a temperature excursion of LN2-01" in first.output
    [excursion] = session.query(Excursion).all()
    tank = session.get(StorageLocation, excursion.storage_unit_id)
    readings = session.query(TemperatureReading).order_by(TemperatureReading.measured_at).all()
    assert tank.name == "LN2-01" and {r.storage_unit_id for r in readings} == {tank.id}
    assert [r.in_range for r in readings] == [True] * 6 + [False] * 6 + [True]
    assert (excursion.started_at, excursion.ended_at) == (readings[6].measured_at, readings[-1].measured_at)
    assert (str(excursion.lowest_c), str(excursion.highest_c)) == ("-148.8", "-138.0")
    assert readings[-1].measured_at - readings[0].measured_at >= dt.timedelta(hours=2)
    assert readings[-1].measured_at <= dt.datetime.now(dt.UTC)
    stored_at = [e.at for e in session.query(CustodyEvent).filter_by(event_type="stored")]
    assert len(stored_at) == 10 and all(excursion.started_at < at < excursion.ended_at for at in stored_at)
    assert sorted(f.unit_id for f in excursion.flags if f.is_open) == sorted(u.id for u in placed)
    second = runner.invoke(args=["demo", "load"])
    assert "nothing loaded" in second.output
    assert session.query(User).count() == 5


def test_backup_copies_sqlite_and_verifies_the_copy(tmp_path):
    source = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    app = make_app(TestDatabase("sqlite", source, source, lambda: None))
    migrate(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    out = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "its audit trail: OK:" in result.output
    again = runner.invoke(args=["backup", "--out", str(out)])
    assert again.exit_code != 0 and "never overwrite" in again.output


def test_backup_on_postgresql_points_to_pg_dump(app, database, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path / "x")])
    if database.backend == "sqlite":
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0 and "pg_dump" in result.output
