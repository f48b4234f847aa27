"""The users' language: French or English by each user's choice, the site's (CELLBANK_LOCALE) otherwise; numbers and
times by locale; the API's machine fields never translated, only its human messages."""

import datetime as dt
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.auth.models import User
from app.core.i18n import translated
from app.core.terms import term
from app.web.views import localtime, number
from config import Config
from tests.helpers import audit_rows, count_audit


@pytest.fixture
def site_locale(app):
    """Set the site's language for one test."""
    before = app.config["LOCALE"]

    def choose(locale: str) -> None:
        app.config["LOCALE"] = locale

    yield choose
    app.config["LOCALE"] = before


def choose_french(client) -> None:
    assert client.post("/me/locale", data={"locale": "fr"}).status_code == 302


def test_pages_are_english_until_the_user_chooses_french(client, make_user, login, session):
    user_id = make_user("tech9")
    login("tech9")
    english = client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="en">' in english and "<h1>Dashboard</h1>" in english
    choose_french(client)
    french = client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="fr">' in french and "<h1>Tableau de bord</h1>" in french and "Se déconnecter" in french
    assert "Connecté en tant que" in french and "Dashboard" not in french
    assert session.get(User, user_id).locale == "fr"
    [entry] = audit_rows(session, action="user.locale_change")
    assert entry["changes"]["locale"] == [None, "fr"]
    assert client.post("/me/locale", data={"locale": ""}).status_code == 302
    assert "<h1>Dashboard</h1>" in client.get("/dashboard").get_data(as_text=True)


def test_a_refusal_on_a_page_comes_in_the_users_language(client, admin):
    choose_french(client)
    form = {"username": "admin1", "full_name": "Someone Else", "password": "long-enough-password", "roles": "qa"}
    answer = client.post("/users", data=form, headers={"Referer": "http://localhost/users"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "l&#39;identifiant &#39;admin1&#39; est déjà pris (les identifiants ne sont jamais réutilisés)" in page
    assert 'value="Someone Else"' in page  # the refused form keeps what was typed


def test_an_unknown_language_is_refused(client, admin):
    answer = client.post("/me/locale", data={"locale": "de"})
    assert answer.status_code == 422


def test_an_administrator_sets_a_users_language(client, admin, make_user, session):
    user_id = make_user("tech8")
    assert client.post(f"/users/{user_id}/locale", data={"locale": "fr"}).status_code == 302
    assert session.get(User, user_id).locale == "fr"
    assert "<h1>Dashboard</h1>" in client.get("/dashboard").get_data(as_text=True)  # the admin's own stays English


def test_words_follow_a_change_of_locale_within_a_request(app):
    with app.test_request_context():
        assert translated("Dashboard") == "Dashboard" and term("released") == "released"
        with force_locale("fr"):
            assert translated("Dashboard") == "Tableau de bord" and term("released") == "libéré"
        assert translated("Dashboard") == "Dashboard" and term("released") == "released"
        assert render_template_string("{{ _('Dashboard') }} {{ 'released'|term }}") == "Dashboard released"
        with force_locale("fr"):
            assert render_template_string("{{ _('Dashboard') }} {{ 'released'|term }}") == "Tableau de bord libéré"


def test_numbers_and_times_follow_the_locale(app):
    moment = dt.datetime(2026, 7, 14, 10, 30, tzinfo=dt.UTC)
    with app.test_request_context():
        assert number(Decimal("-140.5")) == "-140.5" and number(Decimal("2.5E+2")) == "250"
        assert localtime(moment) == "2026-07-14 12:30:00 CEST"
        with force_locale("fr"):
            assert number(Decimal("-140.5")) == "-140,5" and number(Decimal("0.000120")) == "0,00012"
            assert number(Decimal("-196"), 1) == "-196,0" and number(25_000_000) == "25000000"
            assert localtime(moment) == "14/07/2026 12:30:00 CEST"


def test_a_french_page_shows_a_decimal_comma(bank, tank):
    choose_french(bank.client)
    measured = (dt.datetime.now() - dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    answer = bank.client.post("/temperature/readings", data={"storage_unit_id": tank["id"], "measured_at": measured,
                                                             "value_c": "-140,5"})
    assert answer.status_code == 302
    page = bank.client.get("/temperature").get_data(as_text=True)
    assert "<td>-140,5</td>" in page and "Relevés de température" in page


def test_the_site_language_is_the_default(client, make_user, login, site_locale):
    site_locale("fr")
    assert "<h1>Se connecter</h1>" in client.get("/login").get_data(as_text=True)
    make_user("tech7")
    login("tech7")
    assert "<h1>Tableau de bord</h1>" in client.get("/dashboard").get_data(as_text=True)
    assert client.post("/me/locale", data={"locale": "en"}).status_code == 302
    assert "<h1>Dashboard</h1>" in client.get("/dashboard").get_data(as_text=True)


def test_cellbank_locale_is_read_and_checked_at_start(monkeypatch):
    assert Config().LOCALE == "en"
    monkeypatch.setenv("CELLBANK_LOCALE", "fr")
    assert Config().LOCALE == "fr"
    monkeypatch.setenv("CELLBANK_LOCALE", "de")
    with pytest.raises(ValueError, match="CELLBANK_LOCALE='de' is not a language of the cell bank: use en or fr"):
        Config()


def test_the_api_translates_messages_only(client, admin):
    choose_french(client)
    body = {"username": "admin1", "full_name": "Someone Else", "password": "long-enough-password", "roles": ["qa"]}
    answer = client.post("/api/v1/users", json=body)
    assert answer.status_code == 409
    assert answer.json["status"] == "Conflict" and answer.json["code"] == 409 and set(answer.json) == {
        "code", "status", "message", "errors"}
    assert answer.json["message"].startswith("l'identifiant 'admin1' est déjà pris")
    [me] = [user for user in client.get("/api/v1/users").json["items"] if user["username"] == "admin1"]
    assert me["roles"] == ["admin"] and me["active"] is True


def test_states_and_kinds_are_words_of_the_page_and_values_of_the_api(bank):
    choose_french(bank.client)
    page = bank.client.get("/lots").get_data(as_text=True)
    assert "<td>tissu</td>" in page and ">en cours de fabrication<" in page
    assert '<option value="in_process"' in page  # the filter still sends the value
    [lot] = bank.client.get("/api/v1/lots").json["items"]
    assert (lot["kind"], lot["state"]) == ("tissue", "in_process")


def test_field_errors_of_the_schemas_come_in_the_users_language(client, admin, session):
    """marshmallow's and our fields' fixed messages are catalogue entries, formatted ones recognised by their
    template: a French reader gets French field errors, in `errors` and in the message; nothing is written."""
    choose_french(client)
    entries = count_audit(session)
    answer = client.post("/api/v1/users", json={"username": "x", "roles": ["qa"], "full_name": 7})
    assert answer.status_code == 422
    errors = answer.json["errors"]["json"]
    assert errors["password"] == ["Donnée manquante pour un champ obligatoire."]
    assert errors["full_name"] == ["Texte invalide."]
    assert "Donnée manquante pour un champ obligatoire." in answer.json["message"]
    listed = client.get("/api/v1/users?per_page=500")
    assert listed.status_code == 422
    assert listed.json["errors"]["query"]["per_page"] == ["doit être compris entre 1 et 200"]
    assert count_audit(session) == entries
    client.post("/me/locale", data={"locale": "en"})
    english = client.get("/api/v1/users?per_page=500").json["errors"]["query"]["per_page"]
    assert english == ["must be between 1 and 200"]
