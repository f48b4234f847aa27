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


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415_and_changes_nothing(bank, session, content_type):
    from tests.helpers import count_audit

    before = count_audit(session)
    response = bank.client.post(f"/api/v1/lots/{bank.tissue['id']}/quarantine", data='{"reason": "finished"}',
                                content_type=content_type)
    assert response.status_code == 415 and response.json["code"] == 415
    assert "application/json" in response.json["message"]
    assert count_audit(session) == before
    assert bank.client.get(f"/api/v1/lots/{bank.tissue['id']}").json["state"] == "in_process"


def test_a_body_without_content_type_on_a_bodiless_action_is_still_accepted(bank):
    result = bank.qc(bank.tissue["id"], "CD73", expect=409)  # no specification for tissue lots: a 409, not a 415
    assert "no specification" in result["message"]
    assert bank.client.post("/api/v1/auth/logout").status_code == 204


def test_405_names_the_allowed_methods(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET"}


def _schemas(client) -> dict:
    return client.get("/api/v1/openapi.json").json["components"]["schemas"]


def test_openapi_documents_decimals_as_the_strings_the_api_returns(client):
    schemas = _schemas(client)
    for name, field in (("Procurement", "quantity"), ("Unit", "volume_ml"), ("Excursion", "lowest_c"),
                        ("QcResult", "value"), ("ProcurementCreate", "quantity"), ("ReadingCreate", "value_c")):
        prop = schemas[name]["properties"][field]
        assert "string" in prop["type"] and prop["format"] == "decimal" and "pattern" in prop, (name, prop)


def test_openapi_bounds_are_numbers_and_nullable_fields_nullable(client):
    document = json.dumps(client.get("/api/v1/openapi.json").json)
    schemas = json.loads(document)["components"]["schemas"]
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                assert bound not in prop or isinstance(prop[bound], int | float), (name, prop)
    assert "null" in schemas["User"]["properties"]["last_login_at"]["type"]
    assert "null" in schemas["Token"]["properties"]["revoked_at"]["type"]
    assert schemas["UnitsCreate"]["properties"]["cells"]["maximum"] == 2**63 - 1


def test_openapi_documents_each_error_an_operation_answers_and_no_catch_all(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    store = paths["/api/v1/units/{unit_id}/store"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "415", "422"} <= set(store) and "default" not in store
    listing = paths["/api/v1/units"]["get"]["responses"]
    assert {"200", "401", "403"} <= set(listing) and "415" not in listing and "default" not in listing
    operations = [op for path in paths.values() for method, op in path.items() if method in ("get", "post", "put")]
    assert operations and all("default" not in operation["responses"] for operation in operations)


def test_openapi_says_how_to_authenticate_and_that_login_needs_nothing(client):
    document = client.get("/api/v1/openapi.json").json
    assert set(document["components"]["securitySchemes"]) == {"bearerToken", "sessionCookie"}
    assert document["security"] == [{"bearerToken": []}, {"sessionCookie": []}]
    assert document["paths"]["/api/v1/auth/login"]["post"]["security"] == []
