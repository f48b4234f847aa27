"""Barcode symbols to ISBT 128 print rules: Code 128 from python-barcode, Data Matrix ECC 200 from pyStrich.

Code 128 is encoded by python-barcode (``barcode.codex.Code128``, which picks subsets A/B/C itself) and painted
by ``PdfBarsWriter``, a python-barcode writer that draws the dark bars as vector rectangles on a reportlab
canvas. Data Matrix ECC 200 (ISO/IEC 16022, plain, no FNC1, ASCII encodation) is encoded by pyStrich, pure
Python, and returned as rows of modules for the backends to draw. Neither encoder is trusted: the tests decode
every symbol with zbar, libdmtx and zxing-cpp (tests/labels).

Why pyStrich (0.20) for Data Matrix: reportlab's own ``dmtx`` module is a wrapper of pylibdmtx's encoder, which
needs the native libdmtx at run time (pylibdmtx's last release is from 2022) and would be checked by the same
library that encodes it; zxing-cpp encodes too, but it is one of the two decoders the proof relies on; pyStrich
is maintained, pure Python, ECC 200, and independent of both decoders. ASCII encodation (``force_byte_mode``) is
used: the simplest scheme every reader supports, with no mode switching to get wrong.

Rules (ISBT 128 ST-001 print rules; the layouts keep them and the tests measure them):
- Code 128: X dimension >= 0.17 mm (0.25 mm drawn), quiet zone >= 10 X each side, bars >= 5 mm high.
- Data Matrix: module >= 0.25 mm, quiet zone 2 modules (>= 1 required, 2-4 recommended).
"""

import re

from barcode.codex import Code128
from barcode.writer import BaseWriter
from pystrich.datamatrix import DataMatrixData, DataMatrixEncoder
from reportlab.lib.units import mm

CODE128_X_MIN_MM = 0.17
X_TARGET_MM = 0.25
CODE128_QUIET_MODULES = 10
BAR_HEIGHT_MIN_MM = 5.0
MATRIX_MODULE_MIN_MM = 0.25
MATRIX_QUIET_MODULES = 2
SYMBOL_CHARACTER = 11  # modules per Code 128 symbol character
STOP_MODULES = 13  # stop character and its final bar
_DARK = re.compile("1+")
_ASCII_CODEWORD = re.compile("[0-9]{2}|.", re.DOTALL)  # left to right, as the encoder pairs digits
_MODULE = bytes.maketrans(b"\x00\x01", b"01")


def code128_pattern(data: str) -> str:
    """The Code 128 module pattern ('1' dark, '0' light) of data, start to stop, from python-barcode."""
    # A fresh instance each time: Code128 keeps its current subset between builds.
    return Code128(data).build()[0]


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
    return Code128(data, writer=writer).render(options)


#: ECC 200 square symbols: (modules a side, data codewords), smallest first
SQUARE_SYMBOLS = tuple(zip((10, 12, 14, 16, 18, 20, 22, 24, 26, 32, 36, 40, 44, 48, 52, 64, 72, 80, 88, 96, 104, 120,
                            132, 144),
                           (3, 5, 8, 12, 18, 22, 30, 36, 44, 62, 86, 114, 144, 174, 204, 280, 368, 456, 576, 696, 816,
                            1050, 1304, 1558), strict=True))


def ascii_codewords(data: str) -> int:
    """Codewords of data in Data Matrix ASCII encodation: a pair of digits is one, any other ASCII character one."""
    return len(_ASCII_CODEWORD.findall(data))


def datamatrix_size(data: str) -> int:
    """Modules a side of the smallest square ECC 200 symbol holding ASCII data (what datamatrix_rows draws)."""
    needed = ascii_codewords(data)
    for side, capacity in SQUARE_SYMBOLS:
        if needed <= capacity:
            return side
    raise ValueError(f"{len(data)} characters do not fit a Data Matrix symbol")


def datamatrix_rows(data: str) -> tuple[str, ...]:
    """The modules of the smallest square ECC 200 symbol for data (ASCII encodation), top row first, no quiet zone."""
    encoder = DataMatrixEncoder(DataMatrixData(data, encoding="ascii"), quiet_zone=0, force_byte_mode=True)
    return tuple(bytes(row).translate(_MODULE).decode("ascii") for row in encoder.init_renderer().matrix)
