"""A decision is signed only through the operation that checks its rules; the generic endpoint signs attestations."""

import pytest

from app.signatures.models import Signature
from app.signatures.operations import signable_types
from tests.dispensing.helpers import enrolled_patient, order
from tests.helpers import PASSWORD, count_audit
from tests.monitoring.helpers import reading
from tests.printing.helpers import new_template
from tests.storage.helpers import boxes


@pytest.fixture
def every_signable(bank, drug_product, units, tank, make_user):
    """One record of each signable type, none of them fit for its decision; qa1 logged in."""
    make_user("clin1", roles=["clinician"])
    patient = enrolled_patient(bank)
    checklist_id = bank.client.get(f"/api/v1/patients/{patient['id']}/eligibility").json["checklist"]["id"]
    dose = order(bank, patient)
    event = bank.post(f"/api/v1/patients/{patient['id']}/adverse-events", {
        "kind": "event", "occurred_on": "2026-11-30", "description": "fall on the ward", "seriousness": "disability",
        "outcome": "serious sequelae"})
    bank.as_user("tech1")
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    reading(bank, tank, "-130")
    reading(bank, tank, "-188")
    excursion = bank.client.get("/api/v1/excursions").json["items"][0]
    deviation = bank.post(f"/api/v1/lots/{drug_product['id']}/deviations", {"description": "incubator door ajar"})
    records = {"lots": drug_product["id"], "donors": bank.donor["id"], "material_lots": bank.material["id"],
               "deviations": deviation["id"], "excursion_flags": excursion["flags"][0]["id"],
               "users": _user_id(bank, "tech1"), "label_template_versions": new_template(bank, "cryovial")["id"],
               "eligibility_checklists": checklist_id, "doses": dose["id"],
               "biovigilance_cases": event["case"]["id"]}
    bank.as_user("qa1")
    recall = bank.post("/api/v1/recalls", {"target": f"lot:{drug_product['id']}", "reason": "sterility failure",
                                            "password": PASSWORD})
    records["recalls"] = recall["recall"]["id"]
    bank.excursion_id, bank.patient_id = excursion["id"], patient["id"]
    return records


def _user_id(bank, username: str) -> int:
    bank.as_user("admin1")
    return next(u["id"] for u in bank.client.get("/api/v1/users").json["items"] if u["username"] == username)


def _sign(client, record_type: str, record_id: int, meaning: str):
    return client.post("/api/v1/signatures", json={"record_type": record_type, "record_id": record_id,
                                                   "meaning": meaning, "password": PASSWORD})


def test_every_decision_is_refused_by_the_generic_endpoint_naming_its_operation(bank, every_signable, session):
    assert set(every_signable) == set(signable_types()), "a signable type has no record in this test"
    decisions = [(table, meaning, how) for table, model in signable_types().items()
                 for meaning, how in model.__decisions__.items()]
    assert len(decisions) == 15
    signatures, entries = session.query(Signature).count(), count_audit(session)
    for table, meaning, how in decisions:
        response = _sign(bank.client, table, every_signable[table], meaning)
        assert response.status_code == 409, (table, meaning, response.json)
        route = how.format(id=every_signable[table], excursion_id=bank.excursion_id, patient_id=bank.patient_id)
        assert response.json["message"] == (f"{meaning!r} records a decision on this {table} record: it is signed only "
                                            f"through {route}, which checks the decision's rules")
    assert session.query(Signature).count() == signatures and count_audit(session) == entries


def test_a_release_signature_cannot_be_put_on_a_lot_that_fails_release(bank, drug_product, session):
    bank.as_user("qa1")
    forged = _sign(bank.client, "lots", drug_product["id"], "released for clinical use")
    assert forged.status_code == 409
    assert f"POST /api/v1/lots/{drug_product['id']}/release" in forged.json["message"]
    status = bank.client.get(f"/api/v1/lots/{drug_product['id']}/release").json
    assert status["state"] == "quarantine" and status["signatures"] == [] and status["blockers"]


def test_attestations_and_decisions_never_overlap():
    for table, model in signable_types().items():
        assert not set(model.__attestations__) & set(model.__decisions__), table


def test_an_attestation_is_still_signed_through_the_generic_endpoint(bank, every_signable, session):
    response = _sign(bank.client, "users", every_signable["users"], "access reviewed")
    assert response.status_code == 201 and response.json["printed_name"] == "Qa1 Tester"


def test_nobody_signs_an_approval_or_review_of_their_own_account(client, make_user, login, session):
    own = make_user("qa9", roles=["qa"])
    login("qa9")
    entries = count_audit(session)
    for meaning in ("access approved", "access reviewed"):
        response = _sign(client, "users", own, meaning)
        assert response.status_code == 409 and "their own account" in response.json["message"]
    assert session.query(Signature).count() == 0 and count_audit(session) == entries
