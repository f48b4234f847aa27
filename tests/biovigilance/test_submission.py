"""A case's assessment (edited with a reason, audited), its signed submission (once), and the notification PDF."""

from app.biovigilance.models import BiovigilanceCase
from tests.biovigilance.helpers import ASSESSMENT, administered, record, written
from tests.helpers import PASSWORD, audit_rows
from tests.labels.scanning import pdf_text


def _case(bank, drug_product) -> tuple[dict, dict]:
    patient, dose = administered(bank)
    event = record(bank, patient, [dose["id"]], seriousness="life-threatening")
    return event["case"], dose


def _edit(bank, case: dict, expect: int = 200, user: str = "qa1", **body) -> dict:
    bank.as_user(user)
    response = bank.client.patch(f"/api/v1/biovigilance-cases/{case['id']}", json=body)
    assert response.status_code == expect, response.json
    return response.json


def _submit(bank, case: dict, password: str = PASSWORD, user: str = "qa1"):
    bank.as_user(user)
    return bank.client.post(f"/api/v1/biovigilance-cases/{case['id']}/submit", json={"password": password})


def test_the_case_is_completed_with_a_reason_then_submitted_signed_once(bank, drug_product, pharmacy, session):
    case, _ = _case(bank, drug_product)
    refused = _submit(bank, case)
    assert refused.status_code == 409 and refused.json["message"] == (
        f"biovigilance case {case['report_id']} cannot be submitted: it lacks the type of reaction or event, "
        "imputability, expectedness, cause, corrective actions")
    assert _edit(bank, case, 422, **ASSESSMENT)["errors"] == {"json": {"reason": ["Missing data for required field."]}}
    edited = _edit(bank, case, **ASSESSMENT, reason="assessment after the CSF results")
    assert edited["missing"] == [] and edited["imputability"] == "likely"
    [entry] = audit_rows(session, action="biovigilance.case_edited")
    assert entry["reason"] == "assessment after the CSF results"
    assert _submit(bank, case, password="wrong password!").status_code == 401
    assert session.get(BiovigilanceCase, case["id"]).state == "open"
    submitted = _submit(bank, case, user="clin1")
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["state"] == "submitted" and submitted.json["submitted_at"]
    [signature] = submitted.json["signatures"]
    assert signature["meaning"] == "biovigilance notification submitted" and not signature["content_changed"]
    before = written(session)
    again = _submit(bank, case)
    assert again.status_code == 409 and "was submitted" in again.json["message"]
    late = _edit(bank, case, 409, cause="another cause", reason="second thoughts")
    assert "cannot be edited" in late["message"]
    assert written(session) == before


def test_only_qa_and_clinicians_manage_cases(bank, drug_product, pharmacy):
    case, _ = _case(bank, drug_product)
    assert _edit(bank, case, 403, user="tech1", cause="x cause", reason="a reason")
    assert _submit(bank, case, user="pharm1").status_code == 403


def test_the_pdf_holds_the_report_id_the_din_and_the_due_date(bank, drug_product, pharmacy):
    case, dose = _case(bank, drug_product)
    _edit(bank, case, **ASSESSMENT, reason="assessment after the CSF results")
    response = bank.client.get(f"/api/v1/biovigilance-cases/{case['id']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(pdf_text(response.data)).split())
    assert f"Biovigilance case {case['report_id']}" in text and drug_product["din"] in text
    assert f"{case['due_on']} (7 days from awareness)" in text and dose["barcode"] in text
    assert "SUSAR report" in text and "unexpected" in text and "A9999" in text and "P-001" in text
    assert "The notification is complete." in text
