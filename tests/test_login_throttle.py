"""Login abuse: failed logins throttled per account and per address, counts shared by every worker; one answer
for an unknown user, a wrong password and a locked account, after the same single Argon2 verification.

The throttle keeps its counts outside the request's transaction, so these tests run on a database of their own,
committed, with the throttle on (the rest of the suite runs with it off).
"""

import statistics
import time
import uuid

import pytest
from argon2 import PasswordHasher

import audit
from app.auth.credentials import LOGIN_REFUSED
from app.core.transaction import unit_of_work
from app.extensions import db
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL, create_database
from tests.helpers import BACKENDS, PASSWORD, make_app, migrate


@pytest.fixture(scope="module", params=BACKENDS)
def throttled(request, tmp_path_factory):
    """A committed database and an app on it with the throttle on (3 failures per account, 8 per address)."""
    if request.param == "postgresql" and not POSTGRES_ADMIN_URL:
        pytest.skip(NO_POSTGRES)
    database = create_database(request.param, tmp_path_factory.mktemp("throttle"))
    app = make_app(database, RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
                   LOGIN_LIMIT_PER_ADDRESS="8 per minute")
    migrate(app)
    yield database, app
    with app.app_context():
        db.engine.dispose()
    database.drop()


def _user(app, roles=("technician",)) -> str:
    from app.auth.operations import create_user

    name = "u" + uuid.uuid4().hex[:10]
    with app.app_context():
        audit.set_actor(db.session, None, "test-setup")
        with unit_of_work():
            create_user(name, "Throttle Tester", PASSWORD, list(roles))
    return name


def _login(client, username: str, password: str, address: str):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _address() -> str:
    return f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_failed_logins_of_one_account_are_throttled_with_retry_after(throttled):
    _, app = throttled
    client, name, address = app.test_client(), _user(app), _address()
    assert [_login(client, name, "wrong password!", address).status_code for _ in range(3)] == [401] * 3
    throttled_answer = _login(client, name, PASSWORD, _address())
    assert throttled_answer.status_code == 429
    assert 1 <= int(throttled_answer.headers["Retry-After"]) <= 61
    assert throttled_answer.json["message"].startswith("too many failed logins for this account: try again in")
    assert set(throttled_answer.json) == {"code", "status", "message", "errors"}
    other = _user(app)
    assert _login(client, other, PASSWORD, address).status_code == 200  # another account is not slowed down


def test_successful_logins_do_not_count(throttled):
    _, app = throttled
    client, name, address = app.test_client(), _user(app), _address()
    assert [_login(client, name, PASSWORD, address).status_code for _ in range(6)] == [200] * 6


def test_failed_logins_from_one_address_are_throttled_across_accounts(throttled):
    _, app = throttled
    client, address = app.test_client(), _address()
    names = [_user(app) for _ in range(4)]
    statuses = [_login(client, name, "wrong password!", address).status_code for name in names for _ in range(2)]
    assert statuses == [401] * 8
    assert _login(client, _user(app), PASSWORD, address).status_code == 429
    assert _login(client, _user(app), PASSWORD, _address()).status_code == 200


def test_the_login_page_counts_with_the_api(throttled):
    _, app = throttled
    client, name, address = app.test_client(), _user(app), _address()
    for _ in range(2):
        assert _login(client, name, "wrong password!", address).status_code == 401
    page = client.post("/login", data={"username": name, "password": "wrong password!"},
                       environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 401
    refused = client.post("/login", data={"username": name, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": address})
    assert refused.status_code == 429 and 'name="password"' in refused.text
    assert "too many failed logins for this account: try again in" in refused.text


def test_counts_are_shared_by_every_worker(throttled):
    """Two app instances (as two gunicorn workers, or two hosts) on one database see the same counts."""
    database, app = throttled
    other_worker = make_app(database, RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
    name, address = _user(app), _address()
    for client in (app.test_client(), other_worker.test_client(), app.test_client()):
        assert _login(client, name, "wrong password!", address).status_code == 401
    assert _login(other_worker.test_client(), name, PASSWORD, _address()).status_code == 429
    with other_worker.app_context():
        db.engine.dispose()


#: rounds of the timing test (its wrong-password account locks after 5 failures: the later rounds time a locked
#: account twice, which is the point: it must cost the same)
ROUNDS = 9


def _refusals(database, **costs) -> dict:
    """An unknown user, a wrong password and a locked account (locked by five failures, throttle off)."""
    setup = make_app(database)
    setup.config.update(costs)
    unknown, wrong, locked = "nobody-" + uuid.uuid4().hex[:8], _user(setup), _user(setup)
    client = setup.test_client()
    assert [_login(client, locked, "wrong password!", _address()).status_code for _ in range(5)] == [401] * 5
    with setup.app_context():
        db.engine.dispose()
    return {"unknown": (unknown, PASSWORD), "wrong": (wrong, "wrong password!"), "locked": (locked, PASSWORD)}


def test_unknown_user_wrong_password_and_locked_account_get_one_answer(throttled):
    database, app = throttled
    client = app.test_client()
    answers = {case: _login(client, name, password, _address()) for case, (name, password)
               in _refusals(database).items()}
    assert {case: (r.status_code, r.json["message"]) for case, r in answers.items()} == {
        case: (401, LOGIN_REFUSED) for case in answers}
    assert len({r.data for r in answers.values()}) == 1


def test_each_refusal_costs_exactly_one_argon2_verification(throttled, monkeypatch):
    database, app = throttled
    client = app.test_client()
    cases = _refusals(database)
    verified = []
    original = PasswordHasher.verify

    def counted(self, hash_, password):
        verified.append((self.time_cost, self.memory_cost))
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    for case, (name, password) in cases.items():
        verified.clear()
        assert _login(client, name, password, _address()).status_code == 401
        assert verified == [(1, 8192)], case  # the suite's Argon2 costs, once, whatever the case


def test_refusals_take_the_same_time_at_production_argon2_costs(throttled):
    """Rounds interleave the three cases, so the machine's load weighs on each alike."""
    database, _ = throttled
    production = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536}  # argon2-cffi's defaults, as in production
    app = make_app(database)
    app.config.update(production)
    client = app.test_client()
    cases = _refusals(database, **production)
    times = {case: [] for case in cases}
    for _ in range(ROUNDS):
        for case, (name, password) in cases.items():
            start = time.perf_counter()
            assert _login(client, name, password, _address()).status_code == 401
            times[case].append(time.perf_counter() - start)
    medians = {case: statistics.median(spent[1:]) for case, spent in times.items()}  # the first round warms up
    fastest, slowest = min(medians.values()), max(medians.values())
    assert slowest < 1.6 * fastest, medians  # before: an unknown user answered ~30× faster than a wrong password
    with app.app_context():
        db.engine.dispose()
