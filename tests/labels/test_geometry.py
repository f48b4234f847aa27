"""ISBT 128 print rules measured on what is drawn: X dimension, quiet zones, bar height, Data Matrix module and
quiet zone, nothing overlapping, everything on the label; for the PDF and for every printer resolution."""

import io

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from labels.content import LabelError
from labels.geometry import Bars, Matrix, Rect, Text
from labels.pdf import MODULE_MM, render_pdf
from labels.stock import DPI, STOCKS, Stock
from labels.symbols import code128_pattern, datamatrix_rows, datamatrix_size, draw_code128
from labels.templates import layout
from labels.zpl import layout_for, module_dots
from tests.labels import samples
from tests.labels.scanning import pixels, rasterise

BACKENDS = ["pdf", *DPI]


def placed(name, backend):
    label, stock = samples.EVERY_TEMPLATE[name]
    return layout(label, stock, MODULE_MM) if backend == "pdf" else layout_for(label, stock, backend)


def symbol_width(bars: Bars, backend) -> float:
    """What the backend really draws: python-barcode's pattern in the PDF, subset B (11 modules a character,
    start, check and a 13-module stop) on a printer."""
    modules = len(code128_pattern(bars.data)) if backend == "pdf" else 11 * (len(bars.data) + 2) + 13
    return modules * bars.module


def apart(first: Rect, second: Rect) -> bool:
    return first.right <= second.x or second.right <= first.x or first.bottom <= second.y or second.bottom <= first.y


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", samples.EVERY_TEMPLATE)
def test_code128_x_quiet_zone_and_bar_height(name, backend):
    drawn = placed(name, backend)
    width, height = drawn.stock.width_mm, drawn.stock.height_mm
    for bars in drawn.of_kind(Bars):
        assert 0.17 <= bars.module <= 0.26
        assert bars.height >= 5
        quiet = 10 * bars.module
        zone = Rect(bars.x - quiet, bars.y - 0.5, symbol_width(bars, backend) + 2 * quiet, bars.height + 1)
        assert zone.x >= 0 and zone.right <= width and zone.y >= 0 and zone.bottom <= height
        for other in drawn.elements:
            if other is not bars:
                assert apart(zone, other.box), f"{other} is inside the quiet zone of {bars.data!r}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["cryovial", "dose"])
def test_data_matrix_module_and_quiet_zone(name, backend):
    drawn = placed(name, backend)
    matrices = drawn.of_kind(Matrix)
    assert matrices
    for matrix in matrices:
        assert matrix.module >= 0.25
        size = len(matrix.rows)
        assert all(len(row) == size for row in matrix.rows) and size % 2 == 0
        quiet, side = 2 * matrix.module, size * matrix.module
        zone = Rect(matrix.x - quiet, matrix.y - quiet, side + 2 * quiet, side + 2 * quiet)
        assert zone.x >= 0 and zone.y >= 0 and zone.right <= drawn.stock.width_mm
        assert zone.bottom <= drawn.stock.height_mm
        for other in drawn.elements:
            if other is not matrix:
                assert apart(zone, other.box), f"{other} is inside the quiet zone of {matrix.data!r}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", samples.EVERY_TEMPLATE)
def test_elements_lie_in_the_printable_area_and_do_not_overlap(name, backend):
    drawn = placed(name, backend)
    edge = drawn.stock.margin_mm
    for element in drawn.elements:
        box = element.box
        assert box.x >= edge and box.y >= edge, element
        assert box.right <= drawn.stock.width_mm - edge and box.bottom <= drawn.stock.height_mm - edge, element
    for index, first in enumerate(drawn.elements):
        for second in drawn.elements[index + 1:]:
            assert apart(first.box, second.box), (first, second)


@pytest.mark.parametrize("data", ["=A99992600000168", "=<S1004VA0", "&>0263652359", "BX-BCDF1234", "a^b>c"])
def test_our_writer_draws_python_barcodes_modules_as_bars_of_whole_x(data):
    bars = draw_code128(Canvas(io.BytesIO()), data, 10, 10, 0.25, 8)
    pattern = code128_pattern(data)
    expected = [value * 0.25 for run in _runs(pattern) for value in run]
    assert [value for bar in bars for value in bar] == pytest.approx(expected)
    assert len(pattern) <= 11 * (len(data) + 2) + 13  # never wider than the width the layouts reserve


def _runs(pattern: str):
    start = None
    for index, module in enumerate(pattern + "0"):
        if module == "1" and start is None:
            start = index
        elif module == "0" and start is not None:
            yield start, index - start
            start = None


def test_the_printed_pdf_shows_the_x_dimension_and_module_it_promises():
    label, stock = samples.EVERY_TEMPLATE["dose"]
    (page,) = rasterise(render_pdf([label], stock), 600)
    drawn = layout(label, stock, MODULE_MM)
    bars, matrix = drawn.of_kind(Bars)[0], drawn.of_kind(Matrix)[0]
    left, top, right, bottom = pixels(bars.box, 600)
    row = [page.getpixel((x, (top + bottom) // 2)) < 128 for x in range(left - 5, right + 5)]
    dark = [length for value, length in _lengths(row) if value]
    x_px = 0.25 * 600 / 25.4
    assert min(dark) == pytest.approx(x_px, abs=1.2)  # the narrowest bar is one X
    pattern = code128_pattern(bars.data)
    assert sum(dark) == pytest.approx(pattern.count("1") * x_px, rel=0.03)
    left, top, right, bottom = pixels(matrix.box, 600)
    column = [page.getpixel((left + 1, y)) < 128 for y in range(top - 3, bottom + 3)]
    assert sum(length for value, length in _lengths(column) if value) == pytest.approx(bottom - top, abs=2)


def _lengths(values):
    run, count = None, 0
    for value in values + [None]:
        if value == run:
            count += 1
        else:
            if run is not None:
                yield run, count
            run, count = value, 1


def test_printer_modules_are_whole_dots_of_at_least_a_quarter_millimetre():
    for dpi, dots in ((203, 2), (300, 3), (600, 6)):
        assert module_dots(dpi) == dots
        for bars in layout_for(samples.box(), STOCKS["box"], dpi).of_kind(Bars):
            assert bars.module == pytest.approx(dots * 25.4 / dpi) and bars.module >= 0.25


def test_the_pdf_draws_vectors_only():
    for label, stock in samples.EVERY_TEMPLATE.values():
        document = pypdfium2.PdfDocument(render_pdf([label], stock))
        kinds = {obj.type for obj in document[0].get_objects()}
        document.close()
        assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds and pdfium_c.FPDF_PAGEOBJ_PATH in kinds


def test_each_page_is_the_stock_size():
    pdf = render_pdf([samples.cryovial()] * 3, STOCKS["cryovial"])
    document = pypdfium2.PdfDocument(pdf)
    sizes = [tuple(round(side / 72 * 25.4, 3) for side in page.get_size()) for page in document]
    document.close()
    assert sizes == [(32.0, 13.0)] * 3


@pytest.mark.parametrize("stock", [Stock("tiny vial", 20, 10, 0.5), Stock("short bag", 100, 40, 2)])
def test_a_stock_too_small_for_its_template_is_refused(stock):
    label = samples.cryovial() if stock.width_mm < 50 else samples.bag()
    with pytest.raises(LabelError, match=rf"stock {stock.name}"):
        render_pdf([label], stock)


def test_text_too_long_for_its_line_is_refused_by_name():
    label = samples.CryovialLabel(samples.DIN, samples.PRODUCT, samples.EXPIRY, "U-0001", "L" * 40)
    with pytest.raises(LabelError, match=r"lot number 'LOT L{40}' is too long for stock cryovial 32 x 13 mm"):
        layout(label, STOCKS["cryovial"])


def test_text_shrinks_to_fit_down_to_its_floor():
    short = layout(samples.cryovial(), STOCKS["cryovial"]).of_kind(Text)
    longer = layout(samples.CryovialLabel(samples.DIN, samples.PRODUCT, samples.EXPIRY, "U-0001", "DP-2026-000001-X"),
                    STOCKS["cryovial"]).of_kind(Text)
    assert longer[-1].size < short[-1].size and longer[-1].size >= 4


def test_a_unit_barcode_in_code_128_cannot_fit_a_cryovial_label_so_it_is_a_data_matrix():
    """Why the cryovial carries its unit barcode as a second Data Matrix: even at the smallest X, 0.17 mm, a
    13-character unit barcode in Code 128 with its two 10 X quiet zones is wider than the 32 mm label."""
    unit = samples.cryovial().unit_barcode
    assert len(unit) == 13
    width = (len(code128_pattern(unit)) + 2 * 10) * 0.17
    assert width > STOCKS["cryovial"].width_mm
    drawn = layout(samples.cryovial(), STOCKS["cryovial"])
    assert [m.data for m in drawn.of_kind(Matrix)] == [samples.cryovial().compound.encode(), unit]
    assert not drawn.of_kind(Bars)


@settings(database=None, deadline=None, max_examples=200)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=120))
def test_the_layouts_data_matrix_size_is_the_size_the_encoder_draws(data):
    rows = datamatrix_rows(data)
    assert datamatrix_size(data) == len(rows) == len(rows[0])
