"""Each unit's disposition, recorded once by scan; QA closes the recall, signed, only when every unit is accounted
for; the recall lists every patient who received affected material."""

from app.storage.models import Unit
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.helpers import PASSWORD, audit_rows
from tests.recalls.helpers import open_recall, written


def _dispose(bank, recall_id: int, barcode: str, disposition: str, expect: int = 201, user: str = "tech1", **body):
    bank.as_user(user)
    response = bank.client.post(f"/api/v1/recalls/{recall_id}/dispositions",
                                json={"barcode": barcode, "disposition": disposition, **body})
    assert response.status_code == expect, response.json
    return response.json


def _close(bank, recall_id: int, expect: int = 200):
    bank.as_user("qa1")
    response = bank.client.post(f"/api/v1/recalls/{recall_id}/close",
                                json={"note": "every unit accounted for; CAPA 26-014", "password": PASSWORD})
    assert response.status_code == expect, response.json
    return response.json


def test_every_unit_is_accounted_for_before_qa_closes_the_recall(bank, branching, session):
    b = branching
    recall = open_recall(bank, f"material:{b.hpl['id']}")["recall"]
    refused = _close(bank, recall["id"], expect=409)
    assert refused["message"].startswith(f"recall {recall['number']} cannot be closed: 4 unit(s) not accounted for: ")
    assert sorted(refused["errors"]["open_units"]) == sorted(u["barcode"] for u in (b.u1, b.u2, b.u3, b.u4))
    kept = _dispose(bank, recall["id"], f" {b.u1['barcode']} ", "quarantined", note="kept in its box, labelled")
    assert kept["disposition"] == "quarantined" and kept["disposed_by"] == "Tech1 Tester"
    again = _dispose(bank, recall["id"], b.u1["barcode"], "destroyed", expect=409)
    assert f"unit {b.u1['barcode']} is already accounted for in recall {recall['number']}: quarantined" in \
        again["message"]
    _dispose(bank, recall["id"], b.u2["barcode"], "destroyed")
    session.expire_all()
    assert session.get(Unit, b.u2["id"]).state == "destroyed"
    _dispose(bank, recall["id"], b.u3["barcode"], "returned")
    still = _close(bank, recall["id"], expect=409)
    assert still["errors"]["open_units"] == [b.u4["barcode"]]
    assert _dispose(bank, recall["id"], "NO-SUCH-UNIT", "returned", expect=404)["message"] == \
        "no unit has the barcode 'NO-SUCH-UNIT'"
    _dispose(bank, recall["id"], b.u4["barcode"], "quarantined")
    closed = _close(bank, recall["id"])
    assert closed["state"] == "closed" and [s["meaning"] for s in closed["signatures"]] == ["recall opened",
                                                                                           "recall closed"]
    assert _dispose(bank, recall["id"], b.u4["barcode"], "returned", expect=409)["message"].endswith("is closed")
    assert _close(bank, recall["id"], expect=409)["message"].endswith("is already closed")
    assert len(audit_rows(session, action="recall.disposition")) == 4
    assert len(audit_rows(session, action="recall.close")) == 1


def test_a_unit_outside_the_recall_and_a_refused_disposition_write_nothing(bank, branching, session):
    b = branching
    recall = open_recall(bank, f"donor:{b.donor2['id']}")["recall"]
    bank.as_user("tech1")
    before = written(session)
    outside = _dispose(bank, recall["id"], b.u1["barcode"], "returned", expect=409)
    assert outside["message"] == f"unit {b.u1['barcode']} is not one of recall {recall['number']}'s units"
    _dispose(bank, recall["id"], b.u4["barcode"], "lost", expect=422)
    _dispose(bank, recall["id"], b.u4["barcode"], "returned", expect=403, user="admin1")
    assert written(session) == before


def test_the_recall_lists_every_patient_who_received_affected_material(bank, drug_product, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    bank.as_user("clin1").post(f"/api/v1/doses/{dose['id']}/administer", {"route": "intrathecal"}, expect=200)
    answer = open_recall(bank, f"lot:{drug_product['id']}")
    [received] = answer["patients"]
    assert received["patient"] == "P-001" and received["barcode"] == dose["barcode"] and received["dose_number"] == 1
    assert received["administered_at"] and received["dispensed_at"] and received["blocked"] is False
    assert answer["summary"] == {"lots": 1, "units": 5, "open_units": 4, "blocked_doses": 0, "patients": 1}
    units = {u["unit_id"]: u for u in bank.client.get(f"/api/v1/recalls/{answer['recall']['id']}/units").json["items"]}
    syringe, vial = units[dose["syringe_unit_id"]], units[pharmacy[0]["id"]]
    assert syringe["disposition"] == "administered"
    assert syringe["location"] == f"administered to patient {patient['id']}"
    assert vial["required_action"] == "destroy" and vial["disposition"] is None
    assert units[pharmacy[1]["id"]]["required_action"] == "quarantine in place"
    open_only = bank.client.get(f"/api/v1/recalls/{answer['recall']['id']}/units?open=true").json
    assert open_only["total"] == 4 and dose["syringe_unit_id"] not in {u["unit_id"] for u in open_only["items"]}
