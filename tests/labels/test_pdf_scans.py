"""Every PDF label scans back: rasterised by pdfium at 300 and 600 dpi, each symbol read by two independent decoders
(zbar and zxing-cpp for Code 128, libdmtx and zxing-cpp for Data Matrix) as exactly the data it was printed for."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from labels.content import LabelError
from labels.geometry import Bars, Matrix
from labels.isbt128 import ALPHABET
from labels.pdf import MODULE_MM, render_pdf
from labels.preview import png_preview
from labels.stock import STOCKS
from labels.templates import layout
from tests.labels import samples
from tests.labels.scanning import assert_scans_back, dark_outside, light_ring, needs_dmtx, needs_zbar, rasterise

pytestmark = [needs_zbar, needs_dmtx]
DPIS = (300, 600)
SETTINGS = settings(database=None, deadline=None, max_examples=15)


def scan_all(labels, stock, dpis=DPIS) -> None:
    """Render labels into one PDF and require every symbol of every page to scan back at each dpi."""
    pdf = render_pdf(labels, stock)
    for dpi in dpis:
        pages = rasterise(pdf, dpi)
        assert len(pages) == len(labels)
        for page, label in zip(pages, labels, strict=True):
            assert_scans_back(page, layout(label, stock, MODULE_MM), dpi)


@pytest.mark.parametrize("name", samples.EVERY_TEMPLATE)
def test_every_template_scans_back(name):
    label, stock = samples.EVERY_TEMPLATE[name]
    scan_all([label], stock)


@pytest.mark.parametrize("name", samples.EVERY_TEMPLATE)
def test_nothing_is_printed_in_a_quiet_zone_or_outside_its_element(name):
    label, stock = samples.EVERY_TEMPLATE[name]
    placed = layout(label, stock, MODULE_MM)
    (page,) = rasterise(render_pdf([label], stock), 600)
    for element in placed.elements:
        if isinstance(element, Bars | Matrix):
            assert light_ring(page, element, 600), f"something is printed in the quiet zone of {element.data!r}"
    assert dark_outside(page, [e.box for e in placed.elements], 600) is None


def test_every_check_character_through_cryovial_and_bag_labels():
    dins = samples.din_for_each_check_character()
    assert "".join(din.check_character for din in dins) == ALPHABET
    scan_all([samples.cryovial(din=din) for din in dins], STOCKS["cryovial"], dpis=(300,))
    scan_all([samples.bag(din=din) for din in dins], STOCKS["bag"], dpis=(300,))


@SETTINGS
@given(st.lists(st.builds(samples.cryovial, samples.dins, samples.products, samples.expirations,
                          samples.identifiers), min_size=1, max_size=3))
def test_cryovials_of_any_din_product_division_expiry_and_unit_scan_back(labels):
    scan_all(labels, STOCKS["cryovial"])


@SETTINGS
@given(samples.identifiers, samples.identifiers, samples.identifiers, samples.chains | st.none(), samples.dins)
def test_box_patient_and_dose_identifiers_of_any_printable_character_scan_back(box, patient, dose, chain, din):
    scan_all([samples.box(box)], STOCKS["box"], dpis=(300,))
    scan_all([samples.patient(patient)], STOCKS["patient"], dpis=(300,))
    scan_all([samples.dose(dose, chain, din)], STOCKS["dose"], dpis=(300,))


@pytest.mark.parametrize("identifier", ["9900", "9999", "999900", "99AB", "0099"])
def test_an_identifier_beginning_with_the_pair_99_scans_back_whole(identifier):
    """python-barcode 0.16.1 drops a leading 99 in subset C (its issue #251: "9900" scans as "00"); we print it."""
    scan_all([samples.box(identifier)], STOCKS["box"], dpis=(300,))
    scan_all([samples.patient(identifier)], STOCKS["patient"], dpis=(300,))
    scan_all([samples.dose(identifier)], STOCKS["dose"], dpis=(300,))


def test_a_batch_is_one_pdf_with_a_page_per_label_in_order():
    labels = [samples.cryovial(unit=f"DP-26-0001-{d}0") for d in "ABCDEFGHIJ"]
    scan_all(labels, STOCKS["cryovial"], dpis=(300,))


@pytest.mark.parametrize("name", samples.EVERY_TEMPLATE)
def test_the_png_preview_is_the_pdf_label_and_scans_back(name):
    label, stock = samples.EVERY_TEMPLATE[name]
    png = png_preview(label, stock, 300)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png)).convert("L")
    for pixels, mm in zip(image.size, (stock.width_mm, stock.height_mm), strict=True):
        assert abs(pixels - mm * 300 / 25.4) <= 1
    assert_scans_back(image, layout(label, stock, MODULE_MM), 300)


@pytest.mark.parametrize("dpi", [0, 71, 1201, 300.0, True])
def test_a_preview_resolution_out_of_range_is_refused(dpi):
    with pytest.raises(LabelError, match="preview resolution"):
        png_preview(samples.patient(), STOCKS["patient"], dpi)
