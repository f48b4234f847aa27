"""QC results: units, evaluation, second-person verification, corrections, specification versions."""

from decimal import Decimal

import pytest

from app.qc.models import QcResult, SpecTest
from app.qc.operations import evaluate
from app.qc.units import UnitMismatch, convert
from tests.bankbuild import DP_TESTS
from tests.helpers import count_audit


def test_units_convert_exactly_or_refuse():
    assert convert(Decimal("55000000"), "cells", "10^6 cells") == Decimal(55)
    assert convert(Decimal("0.5"), "L", "mL") == Decimal(500)
    with pytest.raises(UnitMismatch, match="cannot be compared"):
        convert(Decimal(1), "%", "10^6 cells")


@pytest.mark.parametrize(("lower", "lower_inc", "value", "outcome"), [
    ("95", True, "95", "pass"), ("95", False, "95", "oos"), ("95", True, "94.999999", "oos")])
def test_bounds_inclusive_and_exclusive(lower, lower_inc, value, outcome):
    test = SpecTest(kind="numeric", unit="%", lower=Decimal(lower), lower_inclusive=lower_inc, upper=None,
                    upper_inclusive=True)
    assert evaluate(test, Decimal(value), None) == outcome


def test_value_in_another_unit_is_converted_before_comparing(bank, drug_product):
    result = bank.qc(drug_product["id"], "COUNT", ("250000000", "cells"))
    assert Decimal(result["spec_value"]) == 250 and result["outcome"] == "oos"
    assert result["criterion"] == "≥ 10 and ≤ 200 10^6 cells"


def test_incomparable_unit_is_refused_and_nothing_written(bank, drug_product, session):
    before = count_audit(session)
    response = bank.client.post(f"/api/v1/lots/{drug_product['id']}/qc-results", json={
        "test": "COUNT", "value": "50", "unit": "%", "method": "counter", "instrument": "NC-200",
        "performed_at": "2026-04-20T10:00:00+02:00"})
    assert response.status_code == 422 and "cannot be compared" in response.json["message"]
    assert count_audit(session) == before and session.query(QcResult).count() == 0


def test_unknown_test_code_is_422(bank, drug_product):
    body = {"test": "MYCO", "text_value": "not detected", "method": "PCR", "instrument": "x",
            "performed_at": "2026-04-20T10:00:00+02:00"}
    response = bank.client.post(f"/api/v1/lots/{drug_product['id']}/qc-results", json=body)
    assert response.status_code == 422 and "MYCO is not part of the specification" in response.json["message"]


def test_verification_by_the_performer_is_refused(bank, drug_product, session):
    result = bank.qc(drug_product["id"], "CD73")
    before = count_audit(session)
    response = bank.client.post(f"/api/v1/qc-results/{result['id']}/verify")
    assert response.status_code == 409 and "someone other than the person who performed" in response.json["message"]
    assert count_audit(session) == before
    assert session.get(QcResult, result["id"]).verified_by_id is None


def test_correction_supersedes_never_overwrites(bank, drug_product, session):
    first = bank.qc(drug_product["id"], "VIAB", ("59", "%"))
    no_reason = bank.client.post(f"/api/v1/qc-results/{first['id']}/correct", json={
        "value": "95", "unit": "%", "method": "7-AAD", "instrument": "Navios EX",
        "performed_at": "2026-04-20T10:00:00+02:00"})
    assert no_reason.status_code == 422
    corrected = bank.post(f"/api/v1/qc-results/{first['id']}/correct", {
        "value": "95", "unit": "%", "method": "7-AAD", "instrument": "Navios EX",
        "performed_at": "2026-04-20T10:00:00+02:00", "reason": "transcription error: 59 typed for 95"})
    assert corrected["supersedes_id"] == first["id"] and corrected["outcome"] == "pass"
    old = session.get(QcResult, first["id"])
    assert old.value == Decimal(59) and old.superseded_by_id == corrected["id"]
    again = bank.client.post(f"/api/v1/qc-results/{first['id']}/correct", json={
        "value": "96", "unit": "%", "method": "7-AAD", "instrument": "x", "performed_at": "2026-04-20T10:00:00+02:00",
        "reason": "again"})
    assert again.status_code == 409 and "already superseded" in again.json["message"]
    bank.as_user("tech2")
    stale = bank.client.post(f"/api/v1/qc-results/{first['id']}/verify")
    assert stale.status_code == 409 and "superseded" in stale.json["message"]


def test_lot_is_judged_against_the_version_it_was_tested_under(bank, drug_product):
    bank.qc(drug_product["id"], "CD73")
    stricter = [dict(t, lower="99") if t["code"] == "CD73" else t for t in DP_TESTS]
    bank.as_user("qa1").post("/api/v1/specifications", {"lot_kind": "drug_product", "name": "ASC DP release v2",
                                                        "tests": stricter})
    versions = bank.client.get("/api/v1/specifications").json["items"]
    assert [(s["version"], s["current"]) for s in versions] == [(1, False), (2, True)]
    bank.as_user("tech1")
    second = bank.qc(drug_product["id"], "CD73", ("98.5", "%"))
    assert second["outcome"] == "pass" and second["criterion"].startswith("≥ 95")
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    assert lot["specification_id"] == versions[0]["id"]


def test_specification_needs_bounds_and_qa(bank):
    bad = bank.client.post("/api/v1/specifications", json={"lot_kind": "drug_product", "name": "x",
                                                           "tests": [{"code": "A", "name": "a", "kind": "numeric"}]})
    assert bad.status_code == 403
    bank.as_user("qa1")
    bad = bank.client.post("/api/v1/specifications", json={"lot_kind": "drug_product", "name": "bad spec",
                                                           "tests": [{"code": "A", "name": "a", "kind": "numeric",
                                                                      "unit": "%"}]})
    assert bad.status_code == 422 and "needs a unit and a lower or upper bound" in bad.json["message"]
