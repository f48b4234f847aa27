"""The pages: the patient's events and the form recording one, the case list, a case's assessment and submission."""

import datetime as dt

from sqlalchemy import select

from app.biovigilance.models import BiovigilanceCase
from tests.biovigilance.helpers import ASSESSMENT, DESCRIPTION, administered, days_ago, record, site_today, written
from tests.helpers import PASSWORD


def test_a_clinician_records_a_serious_event_from_the_patient_page(bank, drug_product, pharmacy, session):
    patient, dose = administered(bank)
    page = f"/patients/{patient['id']}"
    html = bank.client.get(page).text
    assert 'id="adverse-event-form"' in html and f'name="dose_ids" value="{dose["id"]}"' in html
    assert "No adverse reaction or event recorded." in html
    url = f"{page}/adverse-events"
    future = (site_today() + dt.timedelta(days=2)).isoformat()
    before = written(session)
    refused = bank.client.post(url, data={"kind": "reaction", "occurred_on": future, "description": DESCRIPTION,
                                          "seriousness": "fatal", "outcome": "death", "dose_ids": str(dose["id"])},
                               headers={"Referer": page})
    assert refused.status_code == 422 and "is in the future" in refused.text and DESCRIPTION in refused.text
    assert written(session) == before
    done = bank.client.post(url, data={"kind": "reaction", "occurred_on": days_ago(0), "description": DESCRIPTION,
                                       "seriousness": "fatal", "outcome": "death", "dose_ids": str(dose["id"])})
    case = session.scalar(select(BiovigilanceCase))
    assert done.status_code == 302 and done.headers["Location"] == f"/biovigilance/{case.id}"
    assert case.due_on == site_today() + dt.timedelta(days=7)
    shown = bank.client.get(f"/biovigilance/{case.id}").text
    for text in (case.report_id, drug_product["din"], case.due_on.isoformat(), dose["barcode"], 'id="submit-form"'):
        assert text in shown, text
    assert case.report_id in bank.client.get(page).text
    assert 'href="/biovigilance"' in shown and case.report_id in bank.client.get("/biovigilance").text


def test_the_case_is_assessed_and_submitted_from_its_page(bank, drug_product, pharmacy, session):
    patient, dose = administered(bank)
    case = record(bank, patient, [dose["id"]])["case"]
    url = f"/biovigilance/{case['id']}"
    bank.as_user("qa1")
    early = bank.client.post(f"{url}/submit", data={"password": PASSWORD}, headers={"Referer": url})
    assert early.status_code == 409 and "cannot be submitted" in early.text
    saved = bank.client.post(f"{url}/edit", data={**ASSESSMENT, "reason": "assessment done"})
    assert saved.status_code == 302
    sent = bank.client.post(f"{url}/submit", data={"password": PASSWORD})
    assert sent.status_code == 302
    html = bank.client.get(url).text
    assert "biovigilance notification submitted" in html and 'id="submit-form"' not in html
    assert session.get(BiovigilanceCase, case["id"]).state == "submitted"


def test_the_case_list_is_for_qa_and_clinicians_and_a_case_is_readable_by_all(bank, drug_product, pharmacy):
    patient, dose = administered(bank)
    case = record(bank, patient, [dose["id"]])["case"]
    bank.as_user("tech1")
    assert bank.client.get("/biovigilance").status_code == 403
    html = bank.client.get(f"/biovigilance/{case['id']}").text
    assert case["report_id"] in html and 'id="case-form"' not in html
    assert 'id="adverse-event-form"' not in bank.client.get(f"/patients/{patient['id']}").text
