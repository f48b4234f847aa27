"""The API's contract: OpenAPI document, one error shape, no assets from the internet."""

import json

import pytest

from tests.helpers import PASSWORD


def test_openapi_document_lists_the_foundation_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/users", "/api/v1/audit",
                 "/api/v1/audit/verify", "/api/v1/signatures", "/api/v1/tokens"):
        assert path in paths, path
    assert "http://" not in json.dumps(response.json) and "https://" not in json.dumps(response.json)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert set(response.json) == {"code", "status", "message", "errors"} and response.json["code"] == 404


def test_wrong_method_is_json_405(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405 and response.json["status"] == "Method Not Allowed"


def test_malformed_json_is_4xx_json_not_500(client):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json) == {"code", "status", "message", "errors"}


def test_wrong_types_are_422(client, make_user, login):
    make_user("qa1", roles=["qa"])
    login("qa1")
    response = client.post("/api/v1/signatures", json={"record_type": "users", "record_id": "one",
                                                       "meaning": "access reviewed", "password": PASSWORD})
    assert response.status_code == 422 and "record_id" in response.json["message"]


def test_pages_ship_their_own_css_only(client):
    html = client.get("/login").data.decode()
    assert "/static/web/cellbank.css" in html and "http" not in html.split("<body")[0]
    css = client.get("/static/web/cellbank.css")
    assert css.status_code == 200 and b"--accent" in css.data
    css.close()


@pytest.mark.parametrize("path", ["/api/v1/units/{id}", "/api/v1/lots/{id}", "/api/v1/donors/{id}",
                                  "/api/v1/excursions/{id}", "/api/v1/storage/locations/{id}/map",
                                  "/api/v1/units/{id}/custody"])
@pytest.mark.parametrize("record_id", [2**31, 2**63, 10**30])
def test_an_id_too_large_for_the_database_is_404_not_500(admin, client, path, record_id):
    response = client.get(path.format(id=record_id))
    assert response.status_code == 404 and str(record_id) in response.json["message"]


def test_a_page_number_beyond_any_trail_is_refused_as_input(admin, client):
    response = client.get("/api/v1/audit", query_string={"page": 2**62})
    assert response.status_code == 422 and "page" in response.json["errors"].get("query", response.json["errors"])
