"""Labels as PDF (reportlab): one page per label at the exact size of its stock, symbols as vector shapes.

``render_pdf(labels, stock)`` returns the bytes of one PDF holding every label in order (a batch, such as all
vials of a lot, is one file). Code 128 is drawn by ``labels.symbols.draw_code128`` (python-barcode and our
writer), Data Matrix as runs of dark modules, text in Helvetica; nothing is rasterised. The output is
reproducible: the same labels give the same bytes.
"""

import io
from collections.abc import Iterable
from functools import cache
from operator import getitem

from reportlab.lib.rl_accel import escapePDF, fp_str
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
    texts = []
    for element in placed.elements:
        if isinstance(element, Bars):
            draw_code128(canvas, element.data, element.x, height - element.y - element.height, element.module,
                         element.height)
        elif isinstance(element, Matrix):
            _draw_matrix(canvas, element, height)
        else:
            texts.append(element)
    if texts:
        _draw_texts(canvas, texts, height)


def _draw_matrix(canvas: Canvas, matrix: Matrix, height: float) -> None:
    """The dark modules as one filled path, in a coordinate system of one unit per module from the bottom-left
    corner, so every rectangle is whole numbers (written as saveState, transform and restoreState would)."""
    rows, m = matrix.rows, matrix.module * mm
    corner = fp_str(m, 0, 0, m, matrix.x * mm, (height - matrix.y) * mm - len(rows) * m)
    canvas.addLiteral(f"q\n{corner} cm\n{_matrix_path(rows)}f\nQ")


def _matrix_path(rows: tuple[str, ...]) -> str:
    """The rectangles of the dark modules, read as bytes of eight modules (row after row, light-padded at the end)
    each looked up at its place: symbols of a size share most of them, so few are ever formatted."""
    side = len(rows)
    count = -(-side * side // 8)
    modules = int("".join(rows), 2) << 8 * count - side * side
    return "".join(map(getitem, _places(side), modules.to_bytes(count, "big")))


class _ByteRuns(dict):
    """The path text of each byte of modules met at one place of a symbol (at most 256 texts), formatted the first
    time it is met; start is the place's first module counted row by row, and a run reaching the end of a row goes
    on at the start of the next."""

    def __init__(self, start: int, side: int):
        super().__init__()
        self.start, self.side = start, side

    def __missing__(self, byte: int) -> str:
        text = self[byte] = "".join(self._rectangles(byte))
        return text

    def _rectangles(self, byte: int):
        side = self.side
        for begin, end in dark_spans(f"{byte:08b}"):
            begin, end = self.start + begin, self.start + end
            while begin < end:
                row, col = divmod(begin, side)
                stop = min(end, begin + side - col)
                yield f"{col} {side - 1 - row} {stop - begin} 1 re "
                begin = stop


@cache
def _places(side: int) -> tuple[_ByteRuns, ...]:
    """The byte places of a symbol of side modules."""
    return tuple(_ByteRuns(start, side) for start in range(0, side * side, 8))


def _draw_texts(canvas: Canvas, texts: list[Text], height: float) -> None:
    """Every line in one text object written here, as reportlab would write it but in less than half the time of its
    drawString (measured): the font set when it changes, each line placed by its text matrix; then the frames."""
    document, font, operators = canvas._doc, None, ["BT"]  # the document names the fonts, as for reportlab's own text
    for text in texts:
        if (text.bold, text.size) != font:
            font = text.bold, text.size
            operators.append(f"{document.getInternalFontName(FONTS[text.bold])} {fp_str(text.size)} Tf")
        # Printable ASCII (labels.content) is the same bytes in the standard fonts' WinAnsiEncoding.
        line = escapePDF(text.text.encode("ascii"))
        operators.append(f"1 0 0 1 {fp_str(text.x * mm, (height - text.baseline) * mm)} Tm ({line}) Tj")
    operators.append("ET")
    canvas.addLiteral(" ".join(operators))
    for text in texts:
        if text.framed:
            inset = FRAME_LINE_MM / 2
            box = text.box.grown(-inset, -inset)
            canvas.setLineWidth(FRAME_LINE_MM * mm)
            canvas.rect(box.x * mm, (height - box.bottom) * mm, box.width * mm, box.height * mm, stroke=1, fill=0)
