"""Refusals before the dispense: ordering outside the rules, reserving unusable vials, failing post-thaw checks."""

import datetime as dt

import pytest

from app.dispensing.models import Dose, DoseAllocation
from tests.dispensing.helpers import (
    allocate,
    enrolled_patient,
    new_patient,
    order,
    prepare,
    thaw_allocated,
)
from tests.helpers import count_audit


def test_a_patient_in_screening_gets_no_dose(bank, pharmacy, session):
    patient = new_patient(bank)  # clin1 logged in
    entries = count_audit(session)
    refused = order(bank, patient, expect=409, login=False)
    assert refused["message"] == "patient P-001 is screening, not enrolled: no dose can be ordered"
    assert session.query(Dose).count() == 0 and count_audit(session) == entries


def test_outside_its_window_a_dose_needs_the_clinicians_reason(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    late = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    refused = order(bank, patient, planned_date=late, expect=409)
    assert "is outside that window: a clinician's override with a reason is needed" in refused["message"]
    assert session.query(Dose).count() == 0
    dose = order(bank, patient, planned_date=late, override_reason="patient travelling: agreed with the sponsor")
    assert dose["window_override_reason"] == "patient travelling: agreed with the sponsor"


def test_dose_2_waits_for_dose_1_and_a_given_number_is_not_ordered_again(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    assert "comes after dose 1, which is not ordered" in order(bank, patient, 2, expect=409)["message"]


def test_a_reserved_vial_is_not_reserved_again(bank, pharmacy, session):
    first, second = enrolled_patient(bank, "P-001"), enrolled_patient(bank, "P-002")
    one, two = order(bank, first), order(bank, second)
    allocate(bank, one, unit_ids=[pharmacy[0]["id"]])
    refused = allocate(bank, two, unit_ids=[pharmacy[0]["id"]], expect=409)
    assert "cannot be allocated: it must be an unreserved, unflagged cryovial" in refused["message"]
    assert session.query(DoseAllocation).count() == 1 and session.get(Dose, two["id"]).state == "ordered"


@pytest.mark.parametrize(("body", "words"), [
    ({"viability_pct": "64.0"}, "post-thaw viability 64.0 % is below the 70 % the specification requires"),
    ({"post_thaw_cells": 15_000_000}, "15000000 cells are outside ±10 % of the 20000000 prescribed"),
])
def test_a_dose_failing_its_post_thaw_checks_is_not_prepared(bank, pharmacy, session, body, words):
    dose = order(bank, enrolled_patient(bank))
    thaw_allocated(bank, allocate(bank, dose))  # tech1 logged in
    entries = count_audit(session)
    refused = prepare(bank, dose, expect=409, login=False, **body)
    assert words in refused["message"]
    assert session.get(Dose, dose["id"]).state == "allocated" and count_audit(session) == entries


def test_a_vial_not_yet_thawed_is_not_prepared(bank, pharmacy, session):
    dose = order(bank, enrolled_patient(bank))
    allocations = allocate(bank, dose)
    refused = prepare(bank, dose, expect=409)
    assert refused["message"] == (f"vial {pharmacy[0]['barcode']} is in_storage: thaw it before preparing the dose")
    assert len(allocations) == 1 and session.get(Dose, dose["id"]).syringe_unit_id is None
