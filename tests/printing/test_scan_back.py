"""Labels printed through the app read back with two decoders each, and every text read resolves through
POST /api/v1/scan to exactly the object the label was printed for, or is refused: never to another object."""

import pytest
from sqlalchemy import select

import audit
from app.lots.models import Lot
from labels.stock import STOCKS
from tests.helpers import count_audit
from tests.labels.scanning import rasterise
from tests.labels.zplrender import as_scanned
from tests.printing.helpers import print_job, set_expiry
from tests.printing.reading import DECODERS, bag_texts, concatenated, read, vial_texts
from tests.storage.helpers import boxes

pytestmark = DECODERS


def scan(bank, code: str):
    return bank.client.post("/api/v1/scan", json={"code": code})


def resolves_to(bank, code: str, kind: str, record_id: int) -> None:
    found = scan(bank, code)
    assert found.status_code == 200, (code, found.json)
    assert (found.json["type"], found.json["id"]) == (kind, record_id), (code, found.json)


def refused(bank, code: str) -> None:
    found = scan(bank, code)
    assert found.status_code == 422 and "one DIN and one product code" in found.json["message"], (code, found.json)


def test_printed_vials_read_back_and_scan_to_their_units(bank, vials, drug_product):
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    pdf = print_job(bank, "unit", [unit["id"] for unit in vials]).data
    texts = set()
    for dpi in (300, 600):
        pages = rasterise(pdf, dpi)
        assert len(pages) == len(vials)
        for page, unit in zip(pages, vials, strict=True):
            assert read(page, matrix=True) == vial_texts(lot, unit), f"{unit['barcode']} at {dpi} dpi"
            texts |= {(text, unit["id"]) for text in vial_texts(lot, unit)}
    assert len(texts) == 2 * len(vials)
    for text, unit_id in texts:
        resolves_to(bank, text, "unit", unit_id)


def test_a_printed_lot_label_reads_back_and_only_din_with_product_code_names_the_lot(bank, vials, drug_product):
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    pdf = print_job(bank, "lot", [lot["id"]]).data
    for dpi in (300, 600):
        [page] = rasterise(pdf, dpi)
        assert read(page, matrix=False) == bag_texts(lot, "00")
    resolves_to(bank, concatenated(lot, "00"), "lot", lot["id"])
    for alone in bag_texts(lot, "00"):  # one symbol of the bag alone names no single object
        refused(bank, alone)


def test_a_printed_box_label_reads_back_and_scans_to_its_box(bank, vials, tank):
    box = boxes(tank)[0]
    bank.post(f"/api/v1/units/{vials[0]['id']}/store", {"box_id": box["id"]}, expect=200)
    pdf = print_job(bank, "box", [box["id"]]).data
    for dpi in (300, 600):
        [page] = rasterise(pdf, dpi)
        assert read(page, matrix=False) == [box["barcode"]]
    resolves_to(bank, box["barcode"], "box", box["id"])


def test_two_lots_of_one_donation_and_product_code_each_scan_to_their_own(bank, vials, drug_product):
    """A second drug product of the same MCB shares DIN and product code: its divisions differ from the first lot's
    and its units', so every label still names one object."""
    bank.as_user("tech1")
    second = bank.post(f"/api/v1/lots/{bank.lots['mcb']['id']}/children", {"number": "DP-0002", "kind": "drug_product",
                                                                           "product_code": "S1004", "passage": 4})
    set_expiry(bank, second["id"])
    more = bank.post(f"/api/v1/lots/{second['id']}/units", {"count": 2, "container_type": "cryovial",
                                                            "volume_ml": "1.5", "cells": 25_000_000})
    first = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    second = bank.client.get(f"/api/v1/lots/{second['id']}").json
    assert (first["division"], second["division"]) == ("00", "E0")  # the first lot's vials hold A0 to D0
    assert [u["division"] for u in more] == ["F0", "G0"]
    for lot, units in ((first, vials), (second, more)):
        pdf = print_job(bank, "unit", [u["id"] for u in units]).data
        for page, unit in zip(rasterise(pdf, 300), units, strict=True):
            texts = read(page, matrix=True)
            assert texts == vial_texts(lot, unit)
            for text in texts:
                resolves_to(bank, text, "unit", unit["id"])
        [page] = rasterise(print_job(bank, "lot", [lot["id"]]).data, 300)
        assert read(page, matrix=False) == bag_texts(lot, lot["division"])
        resolves_to(bank, concatenated(lot, lot["division"]), "lot", lot["id"])


@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_zpl_labels_render_read_back_and_scan_to_their_records(bank, vials, drug_product, zpl_renderer, dpi):
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    zpl = print_job(bank, "unit", [u["id"] for u in vials], output="zpl", dpi=dpi).data
    images = zpl_renderer.render(zpl, STOCKS["cryovial"], dpi)
    assert len(images) == len(vials)
    for image, unit in zip(images, vials, strict=True):
        texts = read(as_scanned(image, dpi)[0], matrix=True)
        assert texts == vial_texts(lot, unit), f"{unit['barcode']} at {dpi} dpi"
        for text in texts:
            resolves_to(bank, text, "unit", unit["id"])
    [image] = zpl_renderer.render(print_job(bank, "lot", [lot["id"]], output="zpl", dpi=dpi).data, STOCKS["bag"], dpi)
    assert read(as_scanned(image, dpi)[0], matrix=False) == bag_texts(lot, "00")


def test_a_label_that_would_not_scan_back_is_not_printed(bank, vials, drug_product, session):
    """A lot recorded before divisions were allocated shares DIN, product code and division 00 with another: the
    scan refuses the shared code, and neither lot's bag label prints."""
    original = session.get(Lot, drug_product["id"])
    with audit.action(session, "test.legacy_lot", "a lot recorded before divisions were allocated"):
        session.add(Lot(number="DP-LEGACY", kind="drug_product", din=original.din, product_code="S1004",
                        division="00", state="in_process", expires_at=original.expires_at))
    session.commit()
    lot = bank.client.get(f"/api/v1/lots/{drug_product['id']}").json
    shared = scan(bank, concatenated(lot, "00"))
    assert shared.status_code == 422 and "more than one object" in shared.json["message"]
    entries = count_audit(session)
    refusal = print_job(bank, "lot", [lot["id"]], expect=409)
    assert "would not scan back" in refusal.json["message"]
    assert count_audit(session) == entries
    legacy = session.scalar(select(Lot.id).where(Lot.number == "DP-LEGACY"))
    assert "would not scan back" in print_job(bank, "lot", [legacy], expect=409).json["message"]
