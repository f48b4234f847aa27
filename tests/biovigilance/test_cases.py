"""Recording adverse reactions and events; a serious one opens its case with the due date and the traced donations."""

import datetime as dt

import pytest

from tests.biovigilance.helpers import DESCRIPTION, administered, days_ago, record, site_today, written
from tests.dispensing.helpers import order


def test_a_serious_event_opens_a_case_with_the_trace_of_its_dose(bank, drug_product, pharmacy, session):
    patient, dose = administered(bank)
    event = record(bank, patient, [dose["id"]])
    assert event["serious"] and event["dose_ids"] == [dose["id"]]
    case = bank.client.get(f"/api/v1/biovigilance-cases/{event['case']['id']}").json
    assert case["report_id"] == f"BV-{site_today().year}-0001" and case["state"] == "open"
    assert case["due_on"] == (site_today() + dt.timedelta(days=15)).isoformat()
    assert case["dins"] == [drug_product["din"]] and case["establishment_fin"] == "A9999"
    assert [(p["dose_barcode"], p["lot_number"], p["product_code"]) for p in case["products"]] == [
        (dose["barcode"], "DP-0001", drug_product["product_code"])]
    assert case["event"]["description"] == DESCRIPTION and "corrective actions" in case["missing"]
    listed = bank.client.get(f"/api/v1/patients/{patient['id']}/adverse-events").json
    assert [e["case"]["report_id"] for e in listed] == [case["report_id"]]


@pytest.mark.parametrize(("seriousness", "outcome", "days"), [
    ("life-threatening", "recovered", 7), ("fatal", "death", 7), ("hospitalisation", "serious sequelae", 15),
    ("disability", "death", 7)])
def test_the_due_date_is_7_days_when_fatal_or_life_threatening_else_15(bank, drug_product, pharmacy, seriousness,
                                                                        outcome, days):
    patient, dose = administered(bank)
    event = record(bank, patient, [dose["id"]], seriousness=seriousness, outcome=outcome)
    assert event["case"]["due_on"] == (site_today() + dt.timedelta(days=days)).isoformat()
    earlier = record(bank, patient, seriousness=seriousness, outcome=outcome, occurred_on=days_ago(4),
                     aware_on=days_ago(3))
    assert earlier["case"]["due_on"] == (dt.date.fromisoformat(days_ago(3)) + dt.timedelta(days=days)).isoformat()


def test_a_non_serious_event_opens_no_case(bank, drug_product, pharmacy, session):
    patient, dose = administered(bank)
    event = record(bank, patient, [dose["id"]], seriousness="non-serious", outcome="recovered", aware_on=None)
    assert event["case"] is None and event["aware_on"] == site_today().isoformat()
    assert bank.client.get("/api/v1/biovigilance-cases").json["items"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"seriousness": "mild"}, "seriousness"), ({"outcome": "fine"}, "outcome"), ({"description": "  "}, "description"),
    ({"occurred_on": (site_today() + dt.timedelta(days=1)).isoformat()}, "occurred_on"),
    ({"aware_on": days_ago(5)}, "aware_on"), ({"seriousness": "non-serious", "outcome": "death"}, "seriousness"),
    ({"occurred_on": days_ago(1), "aware_on": None}, "occurred_on"),
    ({"kind": "rumour"}, "kind"), ({"dose_ids": [987654]}, "dose_ids")])
def test_bad_input_is_refused_and_nothing_is_written(bank, drug_product, pharmacy, session, body, field):
    patient, dose = administered(bank)
    before = written(session)
    refused = record(bank, patient, expect=422, **{"dose_ids": [dose["id"]], **body})
    assert field in refused["errors"] or field in str(refused["errors"]), refused
    assert written(session) == before


def test_an_event_relates_only_to_an_administered_dose_of_the_patient(bank, drug_product, pharmacy, session):
    patient, dose = administered(bank)
    other = order(bank, patient, 2, override_reason="investigator's decision: early second dose")
    before = written(session)
    refused = record(bank, patient, [other["id"]], expect=409)
    assert refused["message"] == (f"dose {other['barcode']} is ordered: an adverse reaction or event relates to an "
                                  "administered dose")
    assert written(session) == before


def test_only_a_clinician_records_an_event(bank, drug_product, pharmacy):
    patient, dose = administered(bank)
    bank.as_user("qa1")
    answer = bank.client.post(f"/api/v1/patients/{patient['id']}/adverse-events", json={})
    assert answer.status_code == 403
