"""Bank pages through HTTP: donor, procurement, lot with genealogy and QC colours, release and rejection."""

from app.lots.models import Lot
from tests.helpers import PASSWORD


def test_donor_and_procurement_pages_show_din_with_boxed_check_character(bank):
    from labels.isbt128 import check_character

    din = bank.procurement["din"]
    donor = bank.client.get(f"/donors/{bank.donor['id']}").data.decode()
    boxed = f'{din}<span class="din-check" title="ISBT 128 check character">{check_character(din)}</span>'
    assert boxed in donor and 'id="eligibility" class="badge good">eligible' in donor
    procurement = bank.client.get(f"/procurements/{bank.procurement['id']}").data.decode()
    assert boxed in procurement and "5.0 °C" in procurement


def test_donor_page_screening_and_eligibility_forms(bank, session):
    url = f"/donors/{bank.donor['id']}"
    added = bank.client.post(f"{url}/screening-tests", data={"marker": "HIV", "method": "serology",
                                                             "sample_date": "2026-09-01", "result": "negative"})
    assert added.status_code == 302
    assert "pending" in bank.client.get(url).data.decode()
    refused = bank.client.post(f"{url}/eligibility/eligible", data={"password": PASSWORD})
    assert refused.status_code == 403
    bank.as_user("qa1")
    signed = bank.client.post(f"{url}/eligibility/eligible", data={"password": PASSWORD})
    assert signed.status_code == 302
    assert 'class="badge good">eligible' in bank.client.get(url).data.decode()


def test_lot_page_draws_genealogy_and_colours_qc(bank, drug_product):
    bank.qc(drug_product["id"], "CD73")
    oos = bank.qc(drug_product["id"], "VIAB", ("50", "%"))
    html = bank.client.get(f"/lots/{drug_product['id']}").data.decode()
    assert html.count("<rect") == 4 and html.count("<line") == 3 and 'class="current"' in html
    assert '<tr class="unverified"' in html and f'<tr class="oos" id="qc-{oos["id"]}"' in html
    assert "Verify CD73" not in html  # the performer cannot verify their own result
    bank.as_user("tech2")
    assert "Verify CD73" in bank.client.get(f"/lots/{drug_product['id']}").data.decode()


def test_release_page_lists_blockers_then_signs(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    deviation = bank.post(f"/api/v1/lots/{drug_product['id']}/deviations", {"description": "label printer jam"})
    bank.as_user("qa2")
    page = bank.client.get(f"/lots/{drug_product['id']}/release").data.decode()
    assert f"deviation {deviation['id']} is open" in page and "Sign release" not in page
    closed = bank.client.post(f"/deviations/{deviation['id']}/close",
                              data={"resolution": "reprinted, no impact", "password": PASSWORD})
    assert closed.status_code == 302
    page = bank.client.get(f"/lots/{drug_product['id']}/release").data.decode()
    assert 'id="ready"' in page and "<dialog" in page
    wrong = bank.client.post(f"/lots/{drug_product['id']}/release", data={"password": "wrong password"})
    assert wrong.status_code == 401 and session.get(Lot, drug_product["id"]).state == "quarantine"
    signed = bank.client.post(f"/lots/{drug_product['id']}/release", data={"password": PASSWORD})
    assert signed.status_code == 302
    page = bank.client.get(f"/lots/{drug_product['id']}/release").data.decode()
    assert ">released<" in page and "released for clinical use" in page and "unchanged since signing" in page


def test_reject_from_the_release_page(bank, drug_product, session):
    bank.as_user("qa1")
    no_reason = bank.client.post(f"/lots/{drug_product['id']}/reject", data={"password": PASSWORD})
    assert no_reason.status_code == 422
    rejected = bank.client.post(f"/lots/{drug_product['id']}/reject",
                                data={"password": PASSWORD, "reason": "sterility failure"})
    assert rejected.status_code == 302
    session.expire_all()
    assert session.get(Lot, drug_product["id"]).state == "rejected"


def test_history_links_only_for_those_who_may_read_the_trail(bank, drug_product):
    pages = (f"/lots/{drug_product['id']}", f"/donors/{bank.donor['id']}")
    for page in pages:  # tech1 is logged in: the audit trail would answer 403
        assert "History of this" not in bank.client.get(page).text
    bank.as_user("qa1")
    for page in pages:
        assert "History of this" in bank.client.get(page).text
