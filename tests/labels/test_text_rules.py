"""What is printed eye-readable, read back from the PDF by pdfium: DIN with its boxed check character, no flags,
no check character in any barcode, the SEC line on tissue containers only, the dose label's statements."""

import pytest

from labels import isbt128
from labels.content import INTENDED_ROUTE, TRIAL_USE
from labels.geometry import Bars, Matrix, Text
from labels.pdf import render_pdf
from labels.templates import layout
from tests.labels import samples
from tests.labels.scanning import pdf_text

WITH_DIN = ["cryovial", "bag", "tissue bag", "dose"]


def text_of(name) -> str:
    label, stock = samples.EVERY_TEMPLATE[name]
    (page,) = pdf_text(render_pdf([label], stock))
    return page


@pytest.mark.parametrize("name", WITH_DIN)
def test_the_din_is_printed_with_its_check_character_boxed_beside_it_and_no_flags(name):
    label, stock = samples.EVERY_TEMPLATE[name]
    din = label.din
    printed = text_of(name)
    assert "A9999 26 000001" in printed
    assert din.flags == "68"
    assert din.din + din.flags not in printed.replace(" ", "") and "26 000001 68" not in printed
    texts = layout(label, stock).of_kind(Text)
    (din_text,) = [t for t in texts if t.text == "A9999 26 000001"]
    (boxed,) = [t for t in texts if t.framed]
    assert boxed.text == din.check_character == "8"
    assert boxed.baseline == din_text.baseline and boxed.x > din_text.x + din_text.width


def test_flags_are_never_printed_whatever_they_are():
    for din in (samples.Din("A999926000001"), samples.Din("A999926000001", "07"), samples.DIN):
        (page,) = pdf_text(render_pdf([samples.cryovial(din=din)], samples.STOCKS["cryovial"]))
        assert f"000001{din.flags}" not in page.replace(" ", "")


@pytest.mark.parametrize("name", WITH_DIN)
def test_no_barcode_carries_a_check_character(name):
    """Each ISBT 128 symbol is exactly its structures (DIN with its two flag digits, no check character): parsed
    and encoded again it gives the same text, and its DIN is the label's with its flags."""
    label, stock = samples.EVERY_TEMPLATE[name]
    for din in samples.din_for_each_check_character():
        changes = {"din": din}
        if getattr(label, "tissue", False):
            changes["sec"] = samples.bag(din, tissue=True).sec
        relabelled = type(label)(**{**label.__dict__, **changes})
        symbols = [s for s in layout(relabelled, stock).elements if isinstance(s, Bars | Matrix)]
        for symbol in symbols:
            if symbol.data[0] in "=&":
                structure = isbt128.parse(symbol.data)
                assert structure.encode() == symbol.data
                parts = structure.structures if isinstance(structure, isbt128.Compound) else (structure,)
                assert all(p == din for p in parts if isinstance(p, isbt128.Din))
        assert any(din.encode() in s.data for s in symbols)


def test_the_sec_line_is_printed_on_tissue_containers_only():
    tissue = samples.bag(tissue=True)
    assert "SEC " + tissue.sec.encode() in text_of("tissue bag")
    assert tissue.sec.encode() == "FRRNS001A999926000001 A00S100100020261231"
    for name in ("bag", "cryovial", "dose", "box", "patient"):
        assert "SEC" not in text_of(name), name


def test_the_dose_label_says_what_the_protocol_requires():
    printed = text_of("dose")
    for expected in ("MS-ASC-001-004", "Dose 2", "A9999 26 000001", "S1004V div A0",
                     "EXP after thaw 2026-12-31 23:59", INTENDED_ROUTE, TRIAL_USE, "DS-26-0001-01"):
        assert expected in printed, expected


def test_the_cryovial_box_and_patient_labels_print_their_facts():
    cryovial = text_of("cryovial")
    for expected in ("S1004V div A0", "EXP 2026-12-31 23:59", "LOT DP-26-0001"):
        assert expected in cryovial
    box = text_of("box")
    for expected in ("BX-BCDF1234", "Rennes / Cryo room / LN2-01 / Rack 3 / Box 12", "Lot DP-26-0002: 4 vials"):
        assert expected in box
    assert "PT-7K2M9QXW" in text_of("patient") and "MS-ASC-001-004" in text_of("patient")


def test_every_isbt_128_data_identifier_is_printed_in_some_symbol():
    printed = [symbol.data for label, stock in samples.EVERY_TEMPLATE.values()
               for symbol in layout(label, stock).elements if isinstance(symbol, Bars | Matrix)]
    for identifier in ("=A", "=<", "&>", "=+", "&/"):
        assert any(identifier in data for data in printed), identifier
