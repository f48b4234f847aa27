"""The recall pages: opened from a lot's, donor's or material's page, every unit and patient shown, dispositions by
scan and the signed closure, refused forms drawn again with what was typed."""

from app.recalls.models import Recall
from tests.helpers import PASSWORD
from tests.recalls.helpers import REASON, open_recall


def _recall_url(recall: dict) -> str:
    return f"/recalls/{recall['id']}"


def test_qa_finds_the_recall_link_on_the_records_it_can_recall(bank, branching):
    b = branching
    bank.as_user("qa1")
    for page, target in ((f"/lots/{b.dp1['id']}", f"lot:{b.dp1['id']}"), (f"/donors/{b.donor1['id']}",
                                                                           f"donor:{b.donor1['id']}"),
                         (f"/procurements/{b.procurement1['id']}", f"procurement:{b.procurement1['id']}"),
                         ("/materials", f"material:{b.hpl['id']}")):
        html = bank.client.get(page).get_data(as_text=True)
        assert f'href="/recalls/new?target={target}"' in html.replace("%3A", ":"), page
    form = bank.client.get(f"/recalls/new?target=lot:{b.dp1['id']}").get_data(as_text=True)
    assert "Target: <strong>lot DP-0001</strong>" in form
    assert "Open a recall" not in bank.as_user("tech1").client.get(f"/lots/{b.dp1['id']}").get_data(as_text=True)
    assert bank.client.get("/recalls/new").status_code == 403


def test_qa_opens_a_recall_from_the_page_and_a_refused_form_keeps_its_input(bank, branching, session):
    b = branching
    bank.as_user("qa1")
    refused = bank.client.post("/recalls/new", data={"target": "unit:3", "reason": REASON, "password": PASSWORD},
                               headers={"Referer": "/recalls/new"})
    assert refused.status_code == 422 and REASON in refused.get_data(as_text=True)
    assert "must be &lt;type&gt;:&lt;id&gt; with type one of donor, procurement, lot, material" in refused.text
    opened = bank.client.post("/recalls/new", data={"target": f"lot:{b.dp1['id']}", "reason": REASON,
                                                    "password": PASSWORD})
    recall = session.query(Recall).one()
    assert opened.status_code == 302 and opened.headers["Location"] == f"/recalls/{recall.id}"
    html = bank.client.get(f"/recalls/{recall.id}").get_data(as_text=True)
    for text in (recall.number, REASON, b.u1["barcode"], b.u2["barcode"], "quarantine in place",
                 "No patient received affected material.", "recall opened"):
        assert text in html, text
    listing = bank.client.get("/recalls?state=open").get_data(as_text=True)
    assert recall.number in listing and "lot DP-0001" in listing


def test_dispositions_and_closure_from_the_page(bank, branching):
    b = branching
    recall = open_recall(bank, f"lot:{b.dp1['id']}")["recall"]
    url = _recall_url(recall)
    bank.as_user("tech1")
    html = bank.client.get(url).get_data(as_text=True)
    assert 'id="disposition-form"' in html and 'id="close-form"' not in html
    done = bank.client.post(f"{url}/dispositions", data={"barcode": b.u1["barcode"], "disposition": "quarantined"})
    assert done.status_code == 302
    again = bank.client.post(f"{url}/dispositions", data={"barcode": b.u1["barcode"], "disposition": "destroyed",
                                                          "note": "second scan"}, headers={"Referer": url})
    assert again.status_code == 409 and "is already accounted for" in again.text and "second scan" in again.text
    bank.as_user("qa1")
    note = "all units found and handled"
    early = bank.client.post(f"{url}/close", data={"note": note, "password": PASSWORD}, headers={"Referer": url})
    assert early.status_code == 409 and f"1 unit(s) not accounted for: {b.u2['barcode']}" in early.text
    assert note in early.text
    open_only = bank.client.get(f"{url}?open=true").get_data(as_text=True)
    assert b.u2["barcode"] in open_only and f">{b.u1['barcode']}<" not in open_only
    bank.post(f"/api/v1/recalls/{recall['id']}/dispositions", {"barcode": b.u2["barcode"], "disposition": "returned"})
    closed = bank.client.post(f"{url}/close", data={"note": note, "password": PASSWORD})
    assert closed.status_code == 302
    html = bank.client.get(url).get_data(as_text=True)
    assert "recall closed" in html and 'id="disposition-form"' not in html and note in html
