"""What a label layout is made of: placed symbols and text in millimetres, with their boxes and keep-out zones.

Coordinates are millimetres from the top-left corner of the label, y downwards (as a printer feeds it); the PDF
backend flips them. A ``Layout`` checks on construction that every element lies in the printable area, that no
two elements overlap and that nothing enters a symbol's quiet zone; a layout that breaks this raises
``LabelError``, so a stock too small for its template is refused instead of printed badly.
"""

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from labels.content import LabelError
from labels.stock import Stock
from labels.symbols import CODE128_QUIET_MODULES, MATRIX_QUIET_MODULES, code128_widest, datamatrix_rows

PT = 25.4 / 72  # millimetres per point
CLEARANCE_MM = 0.5  # kept free above and below bars, and between text lines and anything else
FONTS = {False: "Helvetica", True: "Helvetica-Bold"}
# Extent of the printable ASCII glyphs of Helvetica and Helvetica-Bold per point of size ('$' and '|' reach
# furthest; the fonts' own ascent and descent leave descenders such as 'p' outside).
ASCENT, DESCENT = 0.78, 0.23


class cached:
    """functools.cached_property without the lock Python 3.11 takes on each first read (a label computes twenty)."""

    def __init__(self, compute):
        self.compute, self.name, self.__doc__ = compute, compute.__name__, compute.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in mm, top-left origin."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def grown(self, dx: float, dy: float) -> "Rect":
        """This rectangle grown by dx left and right and dy above and below."""
        return Rect(self.x - dx, self.y - dy, self.width + 2 * dx, self.height + 2 * dy)

    def overlaps(self, other: "Rect") -> bool:
        """Whether the two rectangles share any area (touching edges do not count)."""
        eps = 1e-9  # here and in within the edges are summed, not read from the properties: a layout checks each pair
        return (self.x < other.x + other.width - eps and other.x < self.x + self.width - eps
                and self.y < other.y + other.height - eps and other.y < self.y + self.height - eps)

    def within(self, other: "Rect") -> bool:
        """Whether this rectangle lies inside other."""
        eps = 1e-9
        return (self.x >= other.x - eps and self.y >= other.y - eps
                and self.x + self.width <= other.x + other.width + eps
                and self.y + self.height <= other.y + other.height + eps)


@dataclass(frozen=True)
class Bars:
    """A Code 128 symbol: data, the left end of its bars, module X, bar height; the width reserved is the widest
    encoding (subset B) so every backend's symbol fits it."""

    data: str
    x: float
    y: float
    module: float
    height: float

    @cached
    def box(self) -> Rect:
        return Rect(self.x, self.y, code128_widest(self.data) * self.module, self.height)

    @cached
    def keep_out(self) -> Rect:
        return self.box.grown(CODE128_QUIET_MODULES * self.module, CLEARANCE_MM)


@dataclass(frozen=True)
class Matrix:
    """A Data Matrix symbol: data, top-left corner, module size, modules a side (``size``)."""

    data: str
    x: float
    y: float
    module: float
    size: int

    @property
    def rows(self) -> tuple[str, ...]:
        """The modules, top row first ('1' dark): encoded when a backend draws them."""
        rows = datamatrix_rows(self.data)
        if len(rows) != self.size:
            raise LabelError(f"Data Matrix of {self.data!r} came out {len(rows)} modules a side, not {self.size}")
        return rows

    @cached
    def box(self) -> Rect:
        return Rect(self.x, self.y, self.size * self.module, self.size * self.module)

    @cached
    def keep_out(self) -> Rect:
        quiet = MATRIX_QUIET_MODULES * self.module
        return self.box.grown(quiet, quiet)


@dataclass(frozen=True)
class Text:
    """One line of text: left end of its baseline, size in points, bold or not, and an optional frame drawn
    around it (the boxed check character)."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool = False
    framed: bool = False

    @cached
    def width(self) -> float:
        return text_width(self.text, self.size, self.bold)

    @cached
    def glyphs(self) -> Rect:
        """The box of the glyphs: the tallest and deepest printable ASCII glyph, start to end of the string."""
        ascent, descent = ASCENT * self.size * PT, DESCENT * self.size * PT
        return Rect(self.x, self.baseline - ascent, self.width, ascent + descent)

    @cached
    def box(self) -> Rect:
        return self.glyphs.grown(FRAME_PAD_MM, FRAME_PAD_MM) if self.framed else self.glyphs

    @property
    def keep_out(self) -> Rect:
        return self.box


FRAME_PAD_MM = 0.35
FRAME_LINE_MM = 0.18
Element = Bars | Matrix | Text


@lru_cache(maxsize=4096)  # a batch repeats most lines (lot, DIN, product, expiry) label after label
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in mm of text set in Helvetica (bold or not) at size points."""
    return stringWidth(text, FONTS[bold], size) * PT


@dataclass(frozen=True)
class Layout:
    """A label's elements on its stock, checked on construction."""

    stock: Stock
    elements: tuple[Element, ...]

    def __post_init__(self):
        object.__setattr__(self, "elements", tuple(self.elements))
        label = Rect(0, 0, self.stock.width_mm, self.stock.height_mm)
        printable = label.grown(-self.stock.margin_mm, -self.stock.margin_mm)
        boxes = [element.box for element in self.elements]
        zones = [element.keep_out for element in self.elements]
        for element, box, zone in zip(self.elements, boxes, zones, strict=True):
            if not box.within(printable):
                raise LabelError(f"{describe(element)} does not fit the printable area of stock {self.stock.name}")
            if not zone.within(label):
                raise LabelError(f"the quiet zone of {describe(element)} leaves stock {self.stock.name}")
        for first, (zone, box) in enumerate(zip(zones, boxes, strict=True)):
            for second in range(first + 1, len(boxes)):
                if zone.overlaps(boxes[second]) or zones[second].overlaps(box):
                    raise LabelError(f"{describe(self.elements[first])} and {describe(self.elements[second])} "
                                     f"overlap on stock {self.stock.name}")

    def of_kind(self, kind) -> list:
        """The elements of one kind (Bars, Matrix or Text), in order."""
        return [element for element in self.elements if isinstance(element, kind)]


def describe(element: Element) -> str:
    """A short name of an element for error messages."""
    kind = {Bars: "Code 128", Matrix: "Data Matrix", Text: "text"}[type(element)]
    return f"{kind} {element.data if not isinstance(element, Text) else element.text!r}"
