"""Labels as ZPL II for Zebra printers: the same layouts as the PDF, in printer dots.

``render_zpl(labels, stock, dpi)`` returns ASCII bytes: one ``^XA … ^XZ`` format per label, ``^PW``/``^LL`` from
the stock at the print head's resolution (203, 300 or 600 dpi). Symbols are drawn by the printer:
- Code 128: ``^BY`` module width, ``^BC`` mode N with start code ``>:`` (subset B), so the symbol is exactly
  the subset-B width the layout reserves. In mode N the printer reads ``>`` as an invocation code, ``^`` as a
  command and ``~`` as a control command, so field data writes them as the invocation codes ``>0``, ``><``
  and ``>=``, which encode ``>``, ``^`` and ``~``.
- Data Matrix: ``^BX`` quality 200 (ECC 200) at the module size and symbol size of the PDF, escape character
  set to ``` ` ``` (never in the data: see labels.content), the data written with ``^FH`` hex escapes
  (``_5E`` ``^``, ``_7E`` ``~``, ``_5F`` ``_``); hex processing happens before escape processing.
- Text: font 0 at the PDF text's cap height, ``^FT`` at the same baseline, ``^FH`` escaped, its character width
  narrowed (from labels.font0's advance widths) until the line is no wider than the PDF's; the boxed check
  character's frame is a ``^GB``.
The X dimension and Data Matrix module are the whole number of dots nearest above 0.25 mm (2, 3 or 6 dots).
"""

import math
from collections.abc import Iterable

from labels.content import Label, LabelError
from labels.font0 import font0_width
from labels.geometry import FRAME_LINE_MM, Bars, Layout, Matrix, Text
from labels.stock import MM_PER_INCH, Stock, check_dpi, check_stock, to_dots
from labels.symbols import X_TARGET_MM
from labels.templates import layout

MATRIX_ESCAPE = "`"
FONT0_CAP_HEIGHT = 0.75  # cap height of font 0 per dot of character height
FONT0_MIN_DOTS = 10  # font 0 is not drawn smaller
HELVETICA_CAP_HEIGHT = 0.718  # per point of size
_BARS = str.maketrans({">": ">0", "^": "><", "~": ">="})
_HEX = str.maketrans({"_": "_5F", "^": "_5E", "~": "_7E"})


def module_dots(dpi: int) -> int:
    """The X dimension and Data Matrix module in dots: the fewest whole dots of at least 0.25 mm."""
    return math.ceil(X_TARGET_MM * dpi / MM_PER_INCH - 1e-9)


def module_mm(dpi: int) -> float:
    """The module the printer really draws at dpi, in mm."""
    return module_dots(dpi) * MM_PER_INCH / dpi


def bars_data(data: str) -> str:
    """Field data of a ``^BC`` in mode N: start code B, then data with ``>``, ``^`` and ``~`` as invocation codes."""
    return ">:" + data.translate(_BARS)


def hex_escaped(text: str) -> str:
    """Field data for ``^FH_``: ``_``, ``^`` and ``~`` as hex escapes, everything else as is (printable ASCII)."""
    return text.translate(_HEX)


def render_zpl(labels: Iterable[Label], stock: Stock, dpi: int = 203) -> bytes:
    """One ZPL format per label, sized to stock at dpi."""
    check_stock(stock)
    check_dpi(dpi)
    width, height = stock.dots(dpi)
    formats = []
    for label in labels:
        placed = layout(label, stock, module_mm(dpi))
        fields = "".join(_field(element, dpi) for element in placed.elements)
        formats.append(f"^XA^CI0^PW{width}^LL{height}^LH0,0{fields}^XZ\n")
    return "".join(formats).encode("ascii")


def _field(element, dpi: int) -> str:
    def dots(value: float) -> int:
        return to_dots(value, dpi)

    if isinstance(element, Bars):
        return (f"^FO{dots(element.x)},{dots(element.y)}^BY{module_dots(dpi)}"
                f"^BCN,{dots(element.height)},N,N,N,N^FD{bars_data(element.data)}^FS")
    if isinstance(element, Matrix):
        size = element.size
        return (f"^FO{dots(element.x)},{dots(element.y)}^BXN,{module_dots(dpi)},200,{size},{size},6,{MATRIX_ESCAPE}"
                f"^FH_^FD{hex_escaped(element.data)}^FS")
    return _text(element, dpi)


def _text(text: Text, dpi: int) -> str:
    height = max(FONT0_MIN_DOTS, round(text.size / 72 * dpi * HELVETICA_CAP_HEIGHT / FONT0_CAP_HEIGHT))
    room = text.width * dpi / MM_PER_INCH  # the width the layout measured in Helvetica, in dots
    width = min(height, math.floor(room / font0_width(text.text, 1)))
    if width < FONT0_MIN_DOTS:
        raise LabelError(f"text {text.text!r} is too long for its place at {dpi} dpi")
    field = (f"^FT{to_dots(text.x, dpi)},{to_dots(text.baseline, dpi)}^A0N,{height},{width}"
             f"^FH_^FD{hex_escaped(text.text)}^FS")
    if text.framed:
        box, line = text.box, max(1, to_dots(FRAME_LINE_MM, dpi))
        field += (f"^FO{to_dots(box.x, dpi)},{to_dots(box.y, dpi)}"
                  f"^GB{to_dots(box.width, dpi)},{to_dots(box.height, dpi)},{line}^FS")
    return field


def layout_for(label: Label, stock: Stock, dpi: int) -> Layout:
    """The layout a ZPL label is drawn from at dpi (what the geometry tests measure)."""
    check_dpi(dpi)
    return layout(label, stock, module_mm(dpi))
