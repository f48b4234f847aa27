"""Procurements: DIN allocation, receipt by someone other than the collector."""


from app.donors.models import Procurement
from tests.helpers import count_audit


def test_procurement_gets_din_of_fin_year_and_sequence(client, donor, app):
    procurement = donor["procurement"]
    assert procurement["din"] == f"{app.config['FIN']}26000001"
    assert len(procurement["din_check_character"]) == 1
    second = client.post("/api/v1/procurements", json={
        "donor_id": donor["id"], "collected_at": "2026-06-01T08:00:00+02:00", "site": "CHU Rennes",
        "quantity": "100", "quantity_unit": "g", "transport_conditions": "2-8 °C"})
    assert second.json["din"] == f"{app.config['FIN']}26000002"
    last_year = client.post("/api/v1/procurements", json={
        "donor_id": donor["id"], "collected_at": "2025-12-05T08:00:00+01:00", "site": "CHU Rennes",
        "quantity": "100", "quantity_unit": "g", "transport_conditions": "2-8 °C"})
    assert last_year.json["din"] == f"{app.config['FIN']}25000001"


def test_receipt_by_another_person(client, donor, as_user, session):
    url = f"/api/v1/procurements/{donor['procurement']['id']}/receipt"
    body = {"received_at": "2026-03-02T11:00:00+01:00", "temperature_c": "4.5"}
    before = count_audit(session)
    refused = client.post(url, json=body)
    assert refused.status_code == 409 and "other than the collector" in refused.json["message"]
    assert count_audit(session) == before
    as_user("tech2")
    received = client.post(url, json=body)
    assert received.status_code == 200 and received.json["received_temperature_c"] == "4.5"
    again = client.post(url, json=body)
    assert again.status_code == 409 and "already received" in again.json["message"]


def test_receipt_before_collection_is_refused(client, donor, as_user):
    as_user("tech2")
    response = client.post(f"/api/v1/procurements/{donor['procurement']['id']}/receipt",
                           json={"received_at": "2026-03-01T11:00:00+01:00", "temperature_c": "4"})
    assert response.status_code == 409 and "earlier than the collection" in response.json["message"]


def test_bad_procurement_input_is_422(client, donor, session):
    before = session.query(Procurement).count()
    response = client.post("/api/v1/procurements", json={
        "donor_id": donor["id"], "collected_at": "2026-06-01T08:00:00", "site": "CHU", "quantity": "-1",
        "quantity_unit": "bucket", "transport_conditions": "x"})
    assert response.status_code == 422
    assert {"collected_at", "quantity", "quantity_unit", "transport_conditions"} <= set(response.json["errors"]["json"])
    assert session.query(Procurement).count() == before


def test_unknown_donor_is_404(client, staff, login):
    login("tech1")
    response = client.post("/api/v1/procurements", json={
        "donor_id": 999, "collected_at": "2026-06-01T08:00:00+02:00", "site": "CHU", "quantity": "1",
        "quantity_unit": "g", "transport_conditions": "cold"})
    assert response.status_code == 404


