"""QA closes excursion flags with a signed assessment; a flagged unit is refused what needs it unflagged."""

import datetime as dt
from decimal import Decimal

import pytest

from app.core.errors import RuleViolation
from app.extensions import db
from app.monitoring.models import Excursion, ExcursionFlag
from app.monitoring.operations import require_unflagged
from app.storage.models import Unit
from tests.helpers import PASSWORD, audit_rows, count_audit
from tests.monitoring.helpers import counts, excursions, reading


@pytest.fixture
def ended(bank, stored, tank):
    """An excursion that flagged the three stored units, then ended; tech1 logged in."""
    reading(bank, tank, "-130")
    reading(bank, tank, "-188")
    return excursions(bank)[0]


def _close(bank, flag_id: int, password: str = PASSWORD, expect: int = 200):
    response = bank.client.post(f"/api/v1/excursion-flags/{flag_id}/close",
                                json={"password": password, "assessment": "LN2 vapour phase kept cells below -130 °C; "
                                                                         "no impact on viability expected"})
    assert response.status_code == expect, response.json
    return response.json


def test_qa_closes_a_flag_with_a_signed_assessment(bank, ended, session):
    flag = ended["flags"][0]
    closed = _close(bank.as_user("qa1"), flag["id"])
    assert closed["closed_at"] and closed["assessment"].startswith("LN2 vapour") and closed["closure_signature_id"]
    [signature] = bank.client.get(f"/api/v1/signatures?record_type=excursion_flags&record_id={flag['id']}").json
    assert (signature["id"], signature["meaning"]) == (closed["closure_signature_id"], "excursion assessed")
    assert signature["printed_name"] == "Qa1 Tester" and signature["content_changed"] is False
    assert [e["action"] for e in audit_rows(session, entity_type="excursion_flags", entity_id=str(flag["id"]))] == [
        "excursion.flag", "excursion_flag.close", "excursion_flag.close_signed"]
    assert bank.client.get("/api/v1/excursion-flags?open=true").json["total"] == 2
    again = _close(bank, flag["id"], expect=409)
    assert f"excursion flag {flag['id']} was already closed" in again["message"]


def test_wrong_password_or_a_technician_closes_nothing(bank, ended, session):
    flag_id = ended["flags"][0]["id"]
    before = count_audit(session)
    assert _close(bank, flag_id, expect=403)["message"] == "this needs the role qa"
    assert count_audit(session) == before
    assert _close(bank.as_user("qa1"), flag_id, password="not the password", expect=401)["code"] == 401
    session.expire_all()
    flag = session.get(ExcursionFlag, flag_id)
    assert flag.closed_at is None and flag.assessment is None and flag.closure_signature_id is None
    assert [e["action"] for e in audit_rows(session, entity_type="excursion_flags")] == ["excursion.flag"] * 3


def test_flags_of_an_excursion_going_on_are_not_closed(bank, stored, tank, session):
    reading(bank, tank, "-130")
    flag_id = excursions(bank.as_user("qa1"))[0]["flags"][0]["id"]
    before = count_audit(session)
    refused = _close(bank, flag_id, expect=409)
    excursion_id = excursions(bank)[0]["id"]
    assert refused["message"] == f"excursion {excursion_id} is still going on: its flags are assessed once it ends"
    assert count_audit(session) == before and session.get(ExcursionFlag, flag_id).closed_at is None


def test_an_assessed_excursion_is_not_changed_by_a_late_reading(bank, ended, tank, session):
    _close(bank.as_user("qa1"), ended["flags"][0]["id"])
    bank.as_user("tech1")
    before, audit_before = counts(session), count_audit(session)
    late = bank.client.post("/api/v1/temperature-readings", json={
        "storage_unit_id": tank["id"], "measured_at": _inside(ended), "value_c": "-100"})
    assert late.status_code == 409
    assert f"excursion {ended['id']} of LN2-1 was already assessed by QA" in late.json["message"]
    assert counts(session) == before and count_audit(session) == audit_before
    assert session.get(Excursion, ended["id"]).highest_c == Decimal("-130.0")
    within = bank.post("/api/v1/temperature-readings", {"storage_unit_id": tank["id"], "value_c": "-130",
                                                        "measured_at": _inside(ended, 1)})
    assert within["in_range"] is False  # inside the assessed span and extremes: recorded, nothing changes


def _inside(excursion: dict, microseconds: int = 0) -> str:
    """A moment in the middle of an ended excursion."""
    start, end = (dt.datetime.fromisoformat(excursion[key]) for key in ("started_at", "ended_at"))
    return (start + (end - start) / 2 + dt.timedelta(microseconds=microseconds)).isoformat()

def test_a_flagged_unit_is_refused_until_qa_assesses_it(app, bank, ended, session):
    unit_id = ended["flags"][0]["unit_id"]
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        with pytest.raises(RuleViolation) as refused:
            require_unflagged(unit, "thaw")
        assert refused.value.status == 409
        assert refused.value.message.startswith(f"unit {unit.barcode} is flagged by excursion {ended['id']} (LN2-1, ")
        assert "-130.0 to -130.0 °C, range -196.0 to -150.0 °C): thaw is not allowed until QA assesses it" \
            in refused.value.message
        db.session.remove()
    _close(bank.as_user("qa1"), ended["flags"][0]["id"])
    with app.app_context():
        require_unflagged(db.session.get(Unit, unit_id), "thaw")
        db.session.remove()


def test_qa_assesses_a_whole_excursion_through_the_api(bank, ended, session):
    url = f"/api/v1/excursions/{ended['id']}/assess"
    body = {"password": PASSWORD, "assessment": "vapour phase stayed below -130 °C; no impact expected"}
    before = count_audit(session), counts(session)
    assert bank.client.post(url, json=body).status_code == 403  # tech1
    assert (count_audit(session), counts(session)) == before
    qa = bank.as_user("qa1")
    before = count_audit(session), counts(session)
    wrong = qa.client.post(url, json={**body, "password": "wrong password"})
    assert wrong.status_code == 401 and counts(session) == before[1]
    assert [e["action"] for e in audit_rows(session)][before[0]:] == ["auth.signature_failed"]
    assessed = qa.client.post(url, json=body)
    assert assessed.status_code == 200, assessed.json
    assert [f["closed_at"] is not None for f in assessed.json["flags"]] == [True] * 3
    assert len({f["closure_signature_id"] for f in assessed.json["flags"]}) == 3
    again = qa.client.post(url, json=body)
    assert again.status_code == 409
    assert again.json["message"] == f"excursion {ended['id']} has no open flag left to assess"


def test_an_excursion_going_on_is_not_assessed_as_a_whole(bank, stored, tank, session):
    reading(bank, tank, "-125")
    excursion = excursions(bank)[0]
    qa = bank.as_user("qa1")
    before = count_audit(session)
    response = qa.client.post(f"/api/v1/excursions/{excursion['id']}/assess",
                              json={"password": PASSWORD, "assessment": "too early"})
    assert response.status_code == 409 and "is still going on" in response.json["message"]
    assert count_audit(session) == before and all(f["closed_at"] is None for f in excursions(bank)[0]["flags"])
