"""Barcode symbols to ISBT 128 print rules: Code 128 from python-barcode, Data Matrix ECC 200 from labels.datamatrix.

Code 128 is encoded by python-barcode (``barcode.codex.Code128``, which picks subsets A/B/C itself; mended here
where 0.16.1 drops a leading 99, see ``MendedCode128``) and painted
by ``PdfBarsWriter``, a python-barcode writer that draws the dark bars as vector rectangles on a reportlab
canvas. Data Matrix ECC 200 (ISO/IEC 16022, plain, no FNC1, ASCII encodation, smallest square symbol) is encoded
by our own ``labels.datamatrix`` and returned as rows of modules for the backends to draw. Neither encoder is
trusted: the tests decode every symbol with zbar, libdmtx and zxing-cpp, and compare labels.datamatrix module for
module with pyStrich's encoder for data of every length (tests/labels).

Why our own Data Matrix encoder: speed, measured. pyStrich (0.20, pure Python, the encoder used before) took 88 us
for a cryovial's 45-character compound message and 52 us for its 13-character unit barcode; labels.datamatrix
takes 21 and 13 us for the same modules, because what depends only on the symbol size (module placement,
generator polynomials) is computed once per size, leaving ASCII codewords, Reed-Solomon by table and one C-level
pick of the modules. It does ASCII encodation and square symbols only: the simplest scheme every reader supports,
with no mode switching to get wrong. Not reportlab's ``dmtx`` (a wrapper of pylibdmtx's encoder, which needs the
native libdmtx and would be checked by the library that encodes it) nor zxing-cpp's encoder (one of the two
decoders the proof relies on).

Rules (ISBT 128 ST-001 print rules; the layouts keep them and the tests measure them):
- Code 128: X dimension >= 0.17 mm (0.25 mm drawn), quiet zone >= 10 X each side, bars >= 5 mm high.
- Data Matrix: module >= 0.25 mm, quiet zone 2 modules (>= 1 required, 2-4 recommended).
"""

import re

from barcode.charsets import code128
from barcode.codex import Code128
from barcode.writer import BaseWriter
from reportlab.lib.units import mm

from labels import datamatrix

CODE128_X_MIN_MM = 0.17
X_TARGET_MM = 0.25
CODE128_QUIET_MODULES = 10
BAR_HEIGHT_MIN_MM = 5.0
MATRIX_MODULE_MIN_MM = 0.25
MATRIX_QUIET_MODULES = 2
SYMBOL_CHARACTER = 11  # modules per Code 128 symbol character
STOP_MODULES = 13  # stop character and its final bar
_DARK = re.compile("1+")


class MendedCode128(Code128):
    """python-barcode's Code 128 with its start-code folding mended. 0.16.1 starts in subset C and folds "start C,
    switch to A or B" into one start code, but takes a leading data pair 99 for such a switch and drops it: "9900"
    is printed as a symbol of "00" (upstream issue #251, fixed by pull request #263, not released yet)."""

    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if encoded[0] == code128.START_CODES["C"] and encoded[1] in (code128.C["TO_A"], code128.C["TO_B"]):
            encoded[:2] = [code128.TO[encoded[1]]]
        return encoded


def code128_pattern(data: str) -> str:
    """The Code 128 module pattern ('1' dark, '0' light) of data, start to stop, from python-barcode."""
    # A fresh instance each time: Code128 keeps its current subset between builds.
    return MendedCode128(data).build()[0]


def code128_widest(data: str) -> int:
    """Modules of data encoded in subset B alone (start, data, check, stop): the widest a backend draws.

    python-barcode's subset choice is never wider; a ZPL printer asked for subset B draws exactly this.
    """
    return SYMBOL_CHARACTER * (len(data) + 2) + STOP_MODULES


def dark_spans(pattern: str):
    """(start, end) of each run of dark modules in a row of '1'/'0'."""
    return (run.span() for run in _DARK.finditer(pattern))


class PdfBarsWriter(BaseWriter):
    """python-barcode writer painting the bars of one Code 128 as vector rectangles on a reportlab canvas.

    ``x_mm``/``y_mm`` are the left end of the bars (after the quiet zone) and their bottom edge, in reportlab's
    page coordinates; ``render`` returns the bars drawn as (x, width) in mm from the left end.
    """

    def __init__(self, canvas, x_mm: float, y_mm: float, module_mm: float, height_mm: float):
        super().__init__(None, self._paint_module, None, self._finish)
        self._canvas, self._x, self._y, self._height = canvas, x_mm, y_mm, height_mm
        self._bars: list[tuple[float, float]] = []
        self.set_options({"module_width": module_mm, "module_height": height_mm, "quiet_zone": 0.0,
                          "margin_top": 0.0, "margin_bottom": 0.0, "text": ""})

    def _paint_module(self, xpos: float, ypos: float, width: float, color) -> None:
        if color == self.foreground:
            self._bars.append((xpos, width))

    def _finish(self) -> list[tuple[float, float]]:
        """Fill every bar as one path, in a coordinate system of one unit per module and the bar height."""
        module, canvas = self.module_width, self._canvas
        canvas.saveState()
        canvas.transform(module * mm, 0, 0, self._height * mm, self._x * mm, self._y * mm)
        canvas.addLiteral(" ".join(f"{round(x / module)} 0 {round(width / module)} 1 re" for x, width in self._bars)
                          + " f")
        canvas.restoreState()
        return self._bars


def draw_code128(canvas, data: str, x_mm: float, y_mm: float, module_mm: float, height_mm: float):
    """Encode data with python-barcode and draw its bars with ``PdfBarsWriter``; returns the bars drawn."""
    writer = PdfBarsWriter(canvas, x_mm, y_mm, module_mm, height_mm)
    options = {"module_width": module_mm, "module_height": height_mm, "quiet_zone": 0.0, "write_text": False,
               "margin_top": 0.0, "margin_bottom": 0.0}
    return MendedCode128(data, writer=writer).render(options)


def ascii_codewords(data: str) -> int:
    """Codewords of data in Data Matrix ASCII encodation: a pair of digits is one, any other ASCII character one."""
    return len(datamatrix.ASCII_CODEWORD.findall(data))


def datamatrix_size(data: str) -> int:
    """Modules a side of the smallest square ECC 200 symbol holding ASCII data (what datamatrix_rows draws)."""
    return datamatrix.symbol_for(ascii_codewords(data))[0]


def datamatrix_rows(data: str) -> tuple[str, ...]:
    """The modules of the smallest square ECC 200 symbol for data (ASCII encodation), top row first, no quiet zone."""
    return datamatrix.rows(data)
