"""A dose destroyed before its preparation: the vials never thawed go back to stock (their allocation released, not
deleted), a thawed one stays with the dose; bad input changes nothing."""

from sqlalchemy import select

from app.dispensing.models import Dose, DoseAllocation
from app.storage.models import Unit
from tests.dispensing.helpers import allocate, enrolled_patient, order, thaw_allocated
from tests.helpers import audit_rows, count_audit


def _destroy(bank, dose: dict, reason: str = "patient's lumbar puncture cancelled", expect: int = 200,
             login: bool = True) -> dict:
    if login:
        bank.as_user("pharm1")
    return bank.post(f"/api/v1/doses/{dose['id']}/destroy", {"reason": reason}, expect=expect)


def _allocations(session, unit_id: int) -> list[DoseAllocation]:
    session.expire_all()
    return list(session.scalars(select(DoseAllocation).where(DoseAllocation.unit_id == unit_id)
                                .order_by(DoseAllocation.id)))


def test_a_destroyed_allocated_dose_gives_its_frozen_vial_back_to_stock(bank, pharmacy, session):
    first, second = enrolled_patient(bank, "P-001"), enrolled_patient(bank, "P-002")
    dose, other = order(bank, first), order(bank, second)
    vial = pharmacy[0]["id"]
    allocate(bank, dose, unit_ids=[vial])
    assert "cannot be allocated" in allocate(bank, other, unit_ids=[vial], expect=409)["message"]

    gone = _destroy(bank, dose)
    assert gone["state"] == "destroyed" and gone["end_reason"] == "patient's lumbar puncture cancelled"
    [released] = _allocations(session, vial)
    assert released.dose_id == dose["id"] and released.released_at is not None
    assert released.release_reason == "patient's lumbar puncture cancelled"
    [entry] = audit_rows(session, action="dose.vials_released")
    assert entry["entity_type"] == "dose_allocations" and entry["entity_id"] == str(released.id)
    assert entry["changes"]["released_at"][0] is None and entry["changes"]["released_at"][1] is not None

    assert [a["unit_id"] for a in allocate(bank, other, unit_ids=[vial])] == [vial]
    kept, given = _allocations(session, vial)
    assert (kept.dose_id, kept.released_at is not None) == (dose["id"], True)  # the history stays
    assert (given.dose_id, given.released_at) == (other["id"], None)
    bank.as_user("qa1")
    traced = bank.client.get(f"/api/v1/trace?from=unit:{vial}&direction=forward").json
    doses = {key for key in (node["key"] for node in traced["nodes"]) if key.startswith("dose:")}
    assert doses == {f"dose:{other['id']}"}  # the destroyed dose took nothing from the vial


def test_a_thawed_vial_stays_with_its_destroyed_dose(bank, pharmacy, session):
    dose = order(bank, enrolled_patient(bank))
    allocations = allocate(bank, dose)
    thaw_allocated(bank, allocations)
    _destroy(bank, dose)
    [held] = _allocations(session, allocations[0]["unit_id"])
    assert held.released_at is None and session.get(Unit, held.unit_id).state == "thawed"
    assert audit_rows(session, action="dose.vials_released") == []


def test_a_destroy_without_a_reason_changes_nothing(bank, pharmacy, session):
    dose = order(bank, enrolled_patient(bank))
    vial = allocate(bank, dose)[0]["unit_id"]  # pharm1 logged in
    entries = count_audit(session)
    refused = _destroy(bank, dose, reason="   ", expect=422, login=False)
    assert "reason" in refused["errors"]["json"]
    session.expire_all()
    assert session.get(Dose, dose["id"]).state == "allocated"
    assert [a.released_at for a in _allocations(session, vial)] == [None] and count_audit(session) == entries


def test_a_technician_destroys_an_allocated_dose_from_the_preparation_page(bank, pharmacy, session):
    dose = order(bank, enrolled_patient(bank))
    vial = allocate(bank, dose)[0]["unit_id"]
    bank.as_user("tech1")
    page = bank.client.get(f"/pharmacy/prepare?code={dose['barcode']}").get_data(as_text=True)
    assert f'action="/doses/{dose["id"]}/destroy"' in page and "go back to stock" in page
    entries = count_audit(session)
    refused = bank.client.post(f"/doses/{dose['id']}/destroy", data={"reason": ""})
    assert refused.status_code == 422 and count_audit(session) == entries
    done = bank.client.post(f"/doses/{dose['id']}/destroy", data={"reason": "order cancelled by the ward"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/pharmacy/prepare")
    assert f"Dose {dose['barcode']} destroyed." in bank.client.get("/pharmacy/prepare").get_data(as_text=True)
    [released] = _allocations(session, vial)
    assert released.release_reason == "order cancelled by the ward" and released.released_by_id is not None
