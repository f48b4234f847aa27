"""Opening a recall: QA's signature; in the same transaction every affected lot recalled, every unit and undispensed
dose blocked, all audited; a refused recall writes nothing."""

from app.lots.models import Lot
from app.recalls.models import Recall, RecallUnit
from tests.helpers import PASSWORD, audit_rows
from tests.recalls.helpers import REASON, open_recall, written


def test_a_material_lot_recall_reaches_both_donors_products(bank, branching, session):
    b = branching
    answer = open_recall(bank, f"material:{b.hpl['id']}")
    recall = answer["recall"]
    assert recall["number"] == f"R-{recall['id']:04d}" and recall["state"] == "open"
    assert recall["target"] == f"material:{b.hpl['id']}" and recall["reason"] == REASON
    assert [s["meaning"] for s in recall["signatures"]] == ["recall opened"]
    assert {lot["number"] for lot in answer["lots"]} == {"P1-0001", "MCB-0001", "WCB-0001", "DP-0001", "DP-0002",
                                                         "P1-0002", "DP-0003"}
    assert answer["summary"] == {"lots": 7, "units": 4, "open_units": 4, "blocked_doses": 0, "patients": 0}
    units = bank.client.get(f"/api/v1/recalls/{recall['id']}/units").json["items"]
    assert {u["unit_id"] for u in units} == {b.u1["id"], b.u2["id"], b.u3["id"], b.u4["id"]}
    assert {u["lot"] for u in units} == {"DP-0001", "DP-0002", "DP-0003"}
    in_box = next(u for u in units if u["unit_id"] == b.u1["id"])
    assert in_box["required_action"] == "quarantine in place" and in_box["location"].startswith(b.box["name"])
    session.expire_all()
    states = {lot.number: lot.state for lot in session.query(Lot)}
    assert states["T-0001"] == "in_process" and states["T-0002"] == "in_process"  # upstream of the material
    assert {states[n] for n in ("P1-0001", "MCB-0001", "WCB-0001", "DP-0001", "DP-0002", "P1-0002", "DP-0003")} == {
        "recalled"}
    recalled = audit_rows(session, action="lot.recalled")
    assert len(recalled) == 7 and all(r["reason"].endswith(REASON) for r in recalled)
    assert len(audit_rows(session, action="recall.blocked")) == 7 + 4  # a recall_lots and a recall_units row each


def test_a_donor_recall_stays_with_that_donor(bank, branching, session):
    b = branching
    answer = open_recall(bank, f"donor:{b.donor2['id']}")
    assert {lot["number"] for lot in answer["lots"]} == {"T-0002", "P1-0002", "DP-0003"}
    assert answer["recall"]["target_label"] == "donor ASC-D002"
    session.expire_all()
    assert session.get(Lot, b.dp1["id"]).state == "released"
    by_donation = open_recall(bank, f"procurement:{b.procurement1['id']}")
    assert by_donation["recall"]["target_label"] == f"DIN {b.procurement1['din']}"
    assert {lot["number"] for lot in by_donation["lots"]} == {"T-0001", "P1-0001", "MCB-0001", "WCB-0001", "DP-0001",
                                                              "DP-0002"}
    assert by_donation["summary"]["units"] == 3


def test_a_lot_already_closed_keeps_its_state_and_its_units_are_blocked_too(bank, branching, session):
    b = branching
    bank.as_user("qa1").post(f"/api/v1/lots/{b.dp1['id']}/retire", {"state": "expired", "reason": "date passed"},
                             expect=200)
    answer = open_recall(bank, f"lot:{b.mcb1['id']}")
    assert {(lot["number"], lot["state_before"], lot["state"]) for lot in answer["lots"]} == {
        ("MCB-0001", "in_process", "recalled"), ("DP-0001", "expired", "expired")}
    assert answer["summary"]["units"] == 2


def _refused(bank, session, user: str, body: dict, status: int) -> dict:
    bank.as_user(user)
    before = written(session)
    response = bank.client.post("/api/v1/recalls", json=body)
    assert response.status_code == status, response.json
    assert written(session) == before
    return response.json


def test_refusals_write_nothing(bank, branching, session):
    b = branching
    target = f"lot:{b.dp1['id']}"
    wrong = _refused(bank, session, "qa1", {"target": target, "reason": REASON, "password": "wrong"}, 401)
    assert "password" in wrong["message"]
    _refused(bank, session, "tech1", {"target": target, "reason": REASON, "password": PASSWORD}, 403)
    _refused(bank, session, "qa1", {"target": "lot:999999", "reason": REASON, "password": PASSWORD}, 404)
    bad = _refused(bank, session, "qa1", {"target": "unit:1", "reason": REASON, "password": PASSWORD}, 422)
    assert "target" in bad["errors"]["json"]
    _refused(bank, session, "qa1", {"target": target, "reason": " ", "password": PASSWORD}, 422)
    session.expire_all()
    assert session.get(Lot, b.dp1["id"]).state == "released"
    assert session.query(Recall).count() == 0 and session.query(RecallUnit).count() == 0


def test_the_retire_endpoint_no_longer_recalls(bank, branching):
    refused = bank.as_user("qa1").client.post(f"/api/v1/lots/{branching.dp1['id']}/retire",
                                              json={"state": "recalled", "reason": REASON})
    assert refused.status_code == 422 and "POST /api/v1/recalls" in str(refused.json["errors"])
