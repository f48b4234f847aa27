"""Label data validates itself: bad input is refused with LabelError naming the field, before anything is drawn."""

import datetime as dt

import pytest

from labels.content import (
    BagLabel,
    BoxLabel,
    CryovialLabel,
    DoseLabel,
    LabelError,
    PatientLabel,
    eye_readable_din,
)
from labels.isbt128 import Din, Expiration, ProductCode
from labels.pdf import render_pdf
from labels.sec import Sec
from labels.stock import STOCKS, Stock
from labels.templates import layout
from labels.zpl import render_zpl
from tests.labels import samples


@pytest.mark.parametrize("barcode", ["", "992", "has space", "tilde~", "back`quote", "é", "tab\t", "x" * 41, None, 7])
def test_an_identifier_outside_the_printable_set_is_refused(barcode):
    for make in (samples.box, samples.patient, samples.dose, lambda b: samples.cryovial(unit=b)):
        with pytest.raises(LabelError, match=r"barcode: .* is not 4 to 40 printable ASCII characters without space"):
            make(barcode)


def test_every_other_printable_character_is_accepted_in_an_identifier():
    assert len(samples.IDENTIFIER_ALPHABET) == 92  # 0x21-0x7D without the backquote
    for start in range(0, 92, 40):
        samples.box(samples.IDENTIFIER_ALPHABET[start:start + 40])


@pytest.mark.parametrize("text, why", [("", "1 to 80"), (" padded", "starts or ends with a space"),
                                       ("line\nbreak", "printable ASCII"), ("Réservé", "printable ASCII"),
                                       ("x" * 81, "1 to 80")])
def test_printed_text_must_be_printable_ascii(text, why):
    with pytest.raises(LabelError, match=why):
        CryovialLabel(samples.DIN, samples.PRODUCT, samples.EXPIRY, "U-0001", text)
    with pytest.raises(LabelError, match=f"location: .*{why}"):
        BoxLabel("BX-1", text, ("one",))


def test_isbt_128_fields_take_their_structures_not_strings():
    with pytest.raises(LabelError, match="DIN: expected Din, got str"):
        CryovialLabel("A999926000001", samples.PRODUCT, samples.EXPIRY, "U-0001", "L1")
    with pytest.raises(LabelError, match="product code: expected ProductCode, got str"):
        BagLabel(samples.DIN, "S1004", samples.EXPIRY, "L1", "d")
    with pytest.raises(LabelError, match="expiration: expected Expiration, got datetime"):
        DoseLabel("D-0001", "T1", 1, samples.DIN, samples.PRODUCT, dt.datetime(2026, 1, 1), "d")


def test_a_tissue_container_needs_its_sec_and_a_drug_product_refuses_one():
    sec = samples.bag(tissue=True).sec
    with pytest.raises(LabelError, match="SEC: a tissue .procurement. container label needs its SEC"):
        BagLabel(samples.DIN, samples.TISSUE, samples.EXPIRY, "T1", "Adipose tissue", tissue=True)
    with pytest.raises(LabelError, match="SEC: applies to procured tissue only, not to the drug product"):
        BagLabel(samples.DIN, samples.TISSUE, samples.EXPIRY, "T1", "Adipose tissue", sec=sec)


def test_the_sec_must_name_the_labels_own_din_product_and_expiry():
    other_din = Din("A999926000002")
    wrong = [Sec.of("FR", "RNS001", other_din, samples.TISSUE, samples.EXPIRY),
             Sec.of("FR", "RNS001", samples.DIN, ProductCode("S1001", "T", "A0"), samples.EXPIRY),
             Sec.of("FR", "RNS001", samples.DIN, samples.TISSUE, Expiration(dt.datetime(2027, 1, 1)))]
    for sec in wrong:
        with pytest.raises(LabelError, match="does not name this label's DIN, product code, division and expiry"):
            BagLabel(samples.DIN, samples.TISSUE, samples.EXPIRY, "T1", "Adipose tissue", True, sec)


@pytest.mark.parametrize("number", [0, 100, True, 1.0, "2"])
def test_a_dose_number_is_a_whole_number_from_1_to_99(number):
    with pytest.raises(LabelError, match="dose number: .* is not a whole number from 1 to 99"):
        DoseLabel("D-0001", "T1", number, samples.DIN, samples.PRODUCT, samples.EXPIRY, "d")


@pytest.mark.parametrize("lines", [(), ("a", "b", "c", "d")])
def test_box_contents_are_one_to_three_lines(lines):
    with pytest.raises(LabelError, match="contents: expected 1 to 3 lines"):
        BoxLabel("BX-1", "Room", lines)


@pytest.mark.parametrize("width, height, margin, why", [(0, 10, 0, "outside 5-250 mm"), (300, 10, 0, "outside"),
                                                        (30, 10, 3, "margin"), (30, 10, -1, "margin"),
                                                        (float("nan"), 10, 0, "not a number"),
                                                        ("30", 10, 0, "not a number")])
def test_a_stock_of_impossible_size_is_refused(width, height, margin, why):
    with pytest.raises(LabelError, match=why):
        Stock("odd", width, height, margin)


def test_labels_are_frozen_and_only_templates_render():
    label = samples.patient()
    with pytest.raises(AttributeError):
        label.barcode = "PT-OTHER"
    with pytest.raises(LabelError, match="no label template for str"):
        layout("PT-1", STOCKS["patient"])
    with pytest.raises(LabelError, match="stock: expected Stock, got tuple"):
        render_pdf([label], (80, 25))
    with pytest.raises(LabelError, match="no label template for Din"):
        render_zpl([samples.DIN], STOCKS["patient"])


def test_the_eye_readable_din_groups_fin_year_and_sequence():
    assert eye_readable_din(Din("G123417654321")) == "G1234 17 654321"
    assert Din("G123417654321").check_character == "A"
    assert PatientLabel("P-0001", "T1").trial_code == "T1"
