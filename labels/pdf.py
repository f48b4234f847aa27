"""Labels as PDF (reportlab): one page per label at the exact size of its stock, symbols as vector shapes.

``render_pdf(labels, stock)`` returns the bytes of one PDF holding every label in order (a batch, such as all
vials of a lot, is one file). Code 128 is drawn by ``labels.symbols.draw_code128`` (python-barcode and our
writer), Data Matrix as runs of dark modules, text in Helvetica; nothing is rasterised. The output is
reproducible: the same labels give the same bytes.
"""

import io
from collections.abc import Iterable
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from labels.content import Label
from labels.geometry import FONTS, FRAME_LINE_MM, Bars, Layout, Matrix, Text
from labels.stock import Stock, check_stock
from labels.symbols import X_TARGET_MM, dark_spans, draw_code128
from labels.templates import layout

MODULE_MM = X_TARGET_MM


def render_pdf(labels: Iterable[Label], stock: Stock, *, title: str = "Labels") -> bytes:
    """One PDF page per label, each page the size of stock."""
    check_stock(stock)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(stock.width_mm * mm, stock.height_mm * mm), invariant=True, pageCompression=0)
    canvas.setTitle(title)
    canvas.setCreator("cellbank labels")
    pages = 0
    for label in labels:
        draw_layout(canvas, layout(label, stock, MODULE_MM))
        canvas.showPage()
        pages += 1
    if not pages:
        canvas.showPage()  # a PDF needs a page; an empty batch gives one blank label
    canvas.save()
    return out.getvalue()


def draw_layout(canvas: Canvas, placed: Layout) -> None:
    """Draw every element of a layout on the current page (y flipped: reportlab counts from the bottom)."""
    height = placed.stock.height_mm
    for element in placed.elements:
        if isinstance(element, Bars):
            draw_code128(canvas, element.data, element.x, height - element.y - element.height, element.module,
                         element.height)
        elif isinstance(element, Matrix):
            _draw_matrix(canvas, element, height)
        else:
            _draw_text(canvas, element, height)


def _draw_matrix(canvas: Canvas, matrix: Matrix, height: float) -> None:
    """The dark modules as one filled path, in a coordinate system of one unit per module from the bottom-left
    corner, so every rectangle is whole numbers (and its text is cached: symbols share most of them)."""
    rows, m = matrix.rows, matrix.module * mm
    size = len(rows)
    canvas.saveState()
    canvas.transform(m, 0, 0, m, matrix.x * mm, (height - matrix.y) * mm - size * m)
    canvas.addLiteral("".join(_run(start, end, size - 1 - row) for row, line in enumerate(rows)
                              for start, end in dark_spans(line)) + "f")
    canvas.restoreState()


@lru_cache(maxsize=65536)
def _run(start: int, end: int, y: int) -> str:
    """The rectangle of the dark modules start to end of the row at height y."""
    return f"{start} {y} {end - start} 1 re "


def _draw_text(canvas: Canvas, text: Text, height: float) -> None:
    canvas.setFont(FONTS[text.bold], text.size)
    canvas.drawString(text.x * mm, (height - text.baseline) * mm, text.text)
    if text.framed:
        inset = FRAME_LINE_MM / 2
        box = text.box.grown(-inset, -inset)
        canvas.setLineWidth(FRAME_LINE_MM * mm)
        canvas.rect(box.x * mm, (height - box.bottom) * mm, box.width * mm, box.height * mm, stroke=1, fill=0)
