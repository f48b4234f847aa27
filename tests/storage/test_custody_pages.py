"""Dispatch, receipt and thaw pages through HTTP; refusals answer their status and change nothing."""

from app.shipments.models import Shipment
from app.storage.models import Unit


def test_dispatch_and_receive_through_the_pages(bank, released_units, session):
    codes = "\n".join(u["barcode"] for u in released_units[:2])
    sent = bank.client.post("/shipments", data={"destination": "CHU pharmacy", "shipper": "DS-7", "codes": codes})
    assert sent.status_code == 302
    shipment = session.query(Shipment).one()
    page = bank.client.get(f"/shipments/{shipment.id}").data.decode()
    assert "In transit" in page and "DP-0001-A0" in page
    bank.as_user("tech2")
    partial = bank.client.post(f"/shipments/{shipment.id}", data={"codes": released_units[0]["barcode"]})
    assert partial.status_code == 409 and b"missing: DP-0001-B0" in partial.data
    assert session.get(Unit, released_units[0]["id"]).state == "in_transit"
    done = bank.client.post(f"/shipments/{shipment.id}", data={"codes": codes})
    assert done.status_code == 302
    assert "Received" in bank.client.get(f"/shipments/{shipment.id}").data.decode()


def test_unknown_code_on_the_dispatch_page_is_404_and_nothing_sent(bank, released_units, session):
    response = bank.client.post("/shipments", data={"destination": "CHU pharmacy", "shipper": "DS-7",
                                                    "codes": "DP-0001-A0\nNO-SUCH-VIAL"})
    assert response.status_code == 404 and b"NO-SUCH-VIAL" in response.data
    assert session.query(Shipment).count() == 0


def test_thaw_page_retrieves_and_thaws(bank, drug_product, units, tank, session):
    from tests.storage.helpers import boxes

    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    asked = bank.client.post("/thaw", data={"code": units[0]["barcode"]})
    assert asked.status_code == 200 and b"Confirm the thaw" in asked.data and b"DP-0001" in asked.data
    assert b'id="thaw-use-before"' in asked.data
    assert session.get(Unit, units[0]["id"]).state == "in_storage"  # nothing happens before the confirmation
    refused = bank.client.post("/thaw", data={"code": units[0]["barcode"], "confirmed": "yes"})
    assert refused.status_code == 409 and b"only QC samples" in refused.data
    assert session.get(Unit, units[0]["id"]).box_id is not None
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2").release(drug_product["id"])
    bank.as_user("tech1")
    done = bank.client.post("/thaw", data={"code": units[0]["barcode"], "confirmed": "yes"})
    assert done.status_code == 302
    session.expire_all()
    unit = session.get(Unit, units[0]["id"])
    assert unit.state == "thawed" and unit.box_id is None
