"""The whole path of a dose: order, FEFO allocation, thaw, preparation, two-scan signed dispense, administration."""

from app.custody.models import CustodyEvent
from app.signatures.models import Signature
from app.storage.models import Unit
from tests.dispensing.helpers import PRESCRIBED, dispense, enrolled_patient, order, prepared_dose
from tests.helpers import audit_rows, count_audit


def test_the_allocation_suggests_first_expiry_first_out(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = order(bank, patient)
    assert dose["state"] == "ordered" and dose["barcode"].startswith("DS-")
    suggestion = bank.as_user("pharm1").client.get(f"/api/v1/doses/{dose['id']}/allocate").json
    assert suggestion["unit_ids"] == [pharmacy[0]["id"]]  # one vial of 25 million cells holds the 20 prescribed


def test_the_whole_path(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dose["state"] == "prepared" and dose["post_thaw_cells"] == PRESCRIBED and dose["viability_pct"] == "86.5"
    vial = session.get(Unit, pharmacy[0]["id"])
    syringe = session.get(Unit, dose["syringe_unit_id"])
    assert vial.state == "prepared" and syringe.container_type == "syringe" and syringe.barcode == dose["barcode"]
    assert dose["expires_at"] is not None

    response = dispense(bank, dose, patient)
    assert response.status_code == 200, response.json
    assert response.json["state"] == "dispensed" and response.json["dispense_signature_id"]
    signature = session.get(Signature, response.json["dispense_signature_id"])
    assert signature.meaning == "dose dispensed to the ward" and signature.printed_name == "Pharm1 Tester"
    events = session.query(CustodyEvent).filter_by(unit_id=syringe.id).order_by(CustodyEvent.sequence).all()
    assert [(e.event_type, e.to_place) for e in events] == [("created", events[0].to_place),
                                                            ("dispensed", f"ward:{patient['id']}")]
    vial_events = session.query(CustodyEvent).filter_by(unit_id=vial.id).order_by(CustodyEvent.sequence).all()
    assert vial_events[-1].event_type == "pooled" and vial_events[-1].to_place == f"dose:{dose['id']}"

    bank.as_user("clin1")
    given = bank.post(f"/api/v1/doses/{dose['id']}/administer", {"route": "intrathecal"}, expect=200)
    assert given["state"] == "administered" and given["route"] == "intrathecal" and given["administered_at"]
    last = session.query(CustodyEvent).filter_by(unit_id=syringe.id).order_by(CustodyEvent.sequence.desc()).first()
    assert last.event_type == "administered" and last.to_place == f"patient:{patient['id']}"
    assert [d["state"] for d in bank.client.get(f"/api/v1/patients/{patient['id']}/doses").json] == ["administered"]
    assert bank.client.get("/api/v1/doses?state=administered").json["items"][0]["id"] == dose["id"]
    assert audit_rows(session, action="dose.dispensed") and count_audit(session) > 0


def test_a_dispensed_dose_may_come_back_and_be_destroyed(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    bank.as_user("clin1")
    back = bank.post(f"/api/v1/doses/{dose['id']}/return", {"reason": "lumbar puncture postponed"}, expect=200)
    assert back["state"] == "returned" and back["end_reason"] == "lumbar puncture postponed"
    bank.as_user("pharm1")
    gone = bank.post(f"/api/v1/doses/{dose['id']}/destroy", {"reason": "expired after return"}, expect=200)
    assert gone["state"] == "destroyed"
    assert session.get(Unit, dose["syringe_unit_id"]).state == "destroyed"
    again = order(bank, patient)  # a destroyed dose no longer counts for its number
    assert again["dose_number"] == 1 and again["id"] != dose["id"]
