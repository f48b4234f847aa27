"""A clinician completes or withdraws a patient from the patient page: the status table's next statuses are the
choices, a withdrawal needs a reason, a final status offers none."""

from app.patients.models import Patient
from tests.dispensing.helpers import enrolled_patient, new_patient
from tests.helpers import count_audit


def _status_form(bank, patient: dict) -> str:
    return bank.client.get(f"/patients/{patient['id']}").get_data(as_text=True)


def test_a_patient_is_withdrawn_with_a_reason_and_then_offers_nothing(bank, expiring, session):
    patient = new_patient(bank)
    bank.as_user("clin1")
    page = _status_form(bank, patient)
    assert 'id="status-change"' in page and '<option value="withdrawn">' in page
    assert '<option value="enrolled">' not in page  # enrolment has its own button, after the signed checklist
    entries = count_audit(session)
    refused = bank.client.post(f"/patients/{patient['id']}/status", data={"status": "withdrawn", "reason": " "})
    assert refused.status_code == 422 and "reason" in refused.get_data(as_text=True)
    assert count_audit(session) == entries
    done = bank.client.post(f"/patients/{patient['id']}/status", data={"status": "withdrawn",
                                                                        "reason": "consent withdrawn at visit"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Patient, patient["id"]).status == "withdrawn"
    assert 'id="status-change"' not in _status_form(bank, patient)
    again = bank.client.post(f"/patients/{patient['id']}/status", data={"status": "completed", "reason": ""})
    assert again.status_code == 422  # not a choice any more


def test_an_enrolled_patient_completes_the_trial(bank, expiring, session):
    patient = enrolled_patient(bank)
    bank.as_user("clin1")
    assert '<option value="completed">' in _status_form(bank, patient)
    assert bank.client.post(f"/patients/{patient['id']}/status", data={"status": "completed"}).status_code == 302
    session.expire_all()
    assert session.get(Patient, patient["id"]).status == "completed"
    bank.as_user("pharm1")
    assert bank.client.post(f"/patients/{patient['id']}/status", data={"status": "withdrawn",
                                                                        "reason": "not mine"}).status_code == 403
