"""Donor fixtures: a technician and a QA person, and a registered donor with one procurement, through the API."""

import pytest

_DONATION = "2026-03-02T09:30:00+01:00"


@pytest.fixture
def staff(make_user):
    """Ids of a technician, a second technician and a QA person."""
    return {"tech": make_user("tech1"), "tech2": make_user("tech2"), "qa": make_user("qa1", roles=["qa"])}


@pytest.fixture
def as_user(client, login):
    """Switch the client's session to another user."""

    def switch(username: str):
        client.post("/api/v1/auth/logout")
        assert login(username).status_code == 200

    return switch


@pytest.fixture
def donor(client, staff, as_user):
    """A registered donor with one procurement (on _DONATION), created by tech1."""
    as_user("tech1")
    created = client.post("/api/v1/donors", json={"code": "ASC-D001", "consent_date": "2026-02-20",
                                                  "consent_scope": "allogeneic ASC bank for clinical trial use"})
    assert created.status_code == 201, created.json
    procurement = client.post("/api/v1/procurements", json={
        "donor_id": created.json["id"], "collected_at": _DONATION, "site": "CHU Rennes, plastic surgery",
        "quantity": "250.000", "quantity_unit": "mL", "transport_conditions": "2-8 °C, insulated box"})
    assert procurement.status_code == 201, procurement.json
    return {"id": created.json["id"], "procurement": procurement.json}
