"""The demo data prints at once: an approved template of each kind, lots with expiries, distinct divisions."""

from app.lots.models import Lot
from app.printing.models import KINDS, TemplateVersion
from app.storage.models import Unit
from tests.helpers import api_login
from tests.labels.scanning import pdf_text


def test_the_demo_bank_prints_its_vials_lots_and_boxes(app, connection, session, client):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    approved = session.query(TemplateVersion).filter_by(state="approved").all()
    assert sorted(v.template.kind for v in approved) == sorted(KINDS)
    lots = {lot.number: lot for lot in session.query(Lot)}
    assert all(lot.expires_at is not None for number, lot in lots.items() if number != "P1-26-0001"
               and number != "MCB-26-0001")
    assert (lots["DP-26-0001"].division, lots["DP-26-0002"].division) == ("00", "A0")
    vials = session.query(Unit).filter_by(lot_id=lots["DP-26-0001"].id, container_type="cryovial").order_by(
        Unit.id).all()
    assert [v.division for v in vials] == ["B0", "C0", "D0", "E0", "F0", "G0", "H0", "I0", "J0", "K0"]
    assert api_login(client, "tech", app.config["DEMO_PASSWORD"]).status_code == 200
    batch = client.post("/api/v1/print-jobs", json={"record_type": "unit", "record_ids": [v.id for v in vials]})
    assert batch.status_code == 201 and len(pdf_text(batch.data)) == 10, batch.json if batch.is_json else ""
    for number in ("T-26-0001", "DP-26-0001", "DP-26-0002"):
        label = client.get(f"/api/v1/lots/{lots[number].id}/label.pdf")
        assert label.status_code == 200, label.json
    tissue = " ".join(pdf_text(client.get(f"/api/v1/lots/{lots['T-26-0001'].id}/label.pdf",
                                          query_string={"reason": "second copy for the shipper"}).data))
    assert "SEC FRDEMO01A999926000001" in tissue.replace("\r\n", " ").replace("\n", " ")
    assert client.get(f"/api/v1/boxes/{vials[0].box_id}/label.pdf").status_code == 200
    coa = client.get(f"/api/v1/lots/{lots['DP-26-0001'].id}/coa.pdf")
    assert coa.status_code == 200 and "Released by Quentin QA" in " ".join(" ".join(pdf_text(coa.data)).split())
