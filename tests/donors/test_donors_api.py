"""Donors, screening and QA's signed eligibility decision through the API; refusals change nothing."""

from app.donors.models import Donor, ScreeningTest
from app.signatures.models import Signature
from tests.bankbuild import add_tests
from tests.helpers import PASSWORD, audit_rows, count_audit


def _decide(client, donor_id, meaning="donor eligible", password=PASSWORD):
    return client.post(f"/api/v1/donors/{donor_id}/eligibility", json={"password": password, "meaning": meaning})


def test_qa_declares_eligible_donor_with_signature(client, donor, as_user, session):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    as_user("qa1")
    response = _decide(client, donor["id"])
    assert response.status_code == 200, response.json
    assert response.json["eligibility"] == "eligible" and response.json["unmet"] == []
    signature = session.get(Signature, response.json["signature_id"])
    assert signature.meaning == "donor eligible" and signature.record_type == "donors"
    listed = client.get(f"/api/v1/signatures?record_type=donors&record_id={donor['id']}").json
    assert [s["content_changed"] for s in listed] == [False]
    assert [e["action"] for e in audit_rows(session, entity_type="donors", entity_id=str(donor["id"]))] == [
        "donor.create", "donor.eligibility_decision", "donor.eligibility_decision_signed"]


def test_eligible_refused_with_every_unmet_rule_and_nothing_changes(client, donor, as_user, session):
    add_tests(client, donor["id"], "serology", "2026-03-02", markers=("HIV", "HBV", "HCV", "HTLV"))
    as_user("qa1")
    before = count_audit(session)
    response = _decide(client, donor["id"])
    assert response.status_code == 409
    message = response.json["message"]
    assert "HIV: neither NAT" in message and "syphilis: no screening result" in message
    assert len(response.json["errors"]["unmet"]) == 5
    assert session.get(Donor, donor["id"]).eligibility == "pending"
    assert session.query(Signature).count() == 0 and count_audit(session) == before


def test_serology_repeated_after_180_days_makes_eligible(client, donor, as_user):
    add_tests(client, donor["id"], "serology", "2026-08-29")
    as_user("qa1")
    assert _decide(client, donor["id"]).json["eligibility"] == "eligible"


def test_positive_marker_blocks_and_qa_can_sign_ineligible(client, donor, as_user):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    add_tests(client, donor["id"], "serology", "2026-03-02", result="positive", markers=("HBV",))
    as_user("qa1")
    assert _decide(client, donor["id"]).status_code == 409
    assert _decide(client, donor["id"], "donor ineligible").json["eligibility"] == "ineligible"


def test_new_result_reopens_the_decision(client, donor, as_user, session):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    as_user("qa1")
    _decide(client, donor["id"])
    add_tests(client, donor["id"], "serology", "2026-09-01", markers=("HIV",))
    status = client.get(f"/api/v1/donors/{donor['id']}/eligibility").json
    assert status == {"eligibility": "pending", "unmet": [], "signature_id": None}
    listed = client.get(f"/api/v1/signatures?record_type=donors&record_id={donor['id']}").json
    assert [s["content_changed"] for s in listed] == [True]
    assert audit_rows(session, action="donor.eligibility_reopened")[0]["reason"].startswith("a new screening")


def test_only_qa_signs_eligibility(client, donor, session):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    response = _decide(client, donor["id"])
    assert response.status_code == 403 and "qa" in response.json["message"]
    assert session.get(Donor, donor["id"]).eligibility == "pending"


def test_wrong_password_signs_nothing(client, donor, as_user, session):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    as_user("qa1")
    response = _decide(client, donor["id"], password="wrong password")
    assert response.status_code == 401
    assert session.get(Donor, donor["id"]).eligibility == "pending" and session.query(Signature).count() == 0


def test_withdrawn_consent_blocks_eligibility_and_procurement(client, donor, as_user, session):
    add_tests(client, donor["id"], "NAT", "2026-03-02")
    as_user("qa1")
    missing = client.post(f"/api/v1/donors/{donor['id']}/consent-withdrawal", json={})
    assert missing.status_code == 422
    withdrawn = client.post(f"/api/v1/donors/{donor['id']}/consent-withdrawal", json={"reason": "donor's letter"})
    assert withdrawn.status_code == 200 and withdrawn.json["consent_withdrawn_at"]
    refused = _decide(client, donor["id"])
    assert refused.status_code == 409 and "consent was withdrawn" in refused.json["message"]
    as_user("tech1")
    before = count_audit(session)
    procurement = client.post("/api/v1/procurements", json={
        "donor_id": donor["id"], "collected_at": "2026-04-01T10:00:00+02:00", "site": "CHU",
        "quantity": "10", "quantity_unit": "mL", "transport_conditions": "cold"})
    assert procurement.status_code == 409 and "withdrew consent" in procurement.json["message"]
    assert count_audit(session) == before


def test_bad_screening_input_is_422_and_writes_nothing(client, donor, session):
    before = count_audit(session)
    for body in ({"marker": "HIV", "method": "PCR?", "sample_date": "2026-03-02", "result": "negative"},
                 {"marker": "CMV", "method": "NAT", "sample_date": "2026-03-02", "result": "negative"},
                 {"marker": "HIV", "method": "NAT", "sample_date": "yesterday", "result": "negative"}):
        response = client.post(f"/api/v1/donors/{donor['id']}/screening-tests", json=body)
        assert response.status_code == 422, body
    assert session.query(ScreeningTest).count() == 0 and count_audit(session) == before


def test_donor_codes_are_unique_and_never_names(client, donor):
    dup = client.post("/api/v1/donors", json={"code": "asc-d001", "consent_date": "2026-02-20",
                                              "consent_scope": "bank"})
    assert dup.status_code == 409
    name = client.post("/api/v1/donors", json={"code": "Jean Dupont", "consent_date": "2026-02-20",
                                               "consent_scope": "bank"})
    assert name.status_code == 422 and "code" in name.json["message"]
