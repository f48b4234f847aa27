"""The label templates: where each symbol and line of text of a label goes on its stock.

``layout(label, stock, module_mm)`` returns the checked ``Layout`` of any label of ``labels.content``;
``module_mm`` is the X dimension / Data Matrix module the backend will really draw (0.25 mm in PDF, a whole
number of dots on a Zebra printer), so the same rules are kept at every resolution. Text shrinks to fit its
line down to a floor; past it, or when symbols do not fit, the stock is refused with ``LabelError``.

Cryovial (32 x 13 mm): a 13-character unit barcode in Code 128 at X >= 0.17 mm with its 10 X quiet zones needs
about 34 mm, wider than the vial label, so the unit barcode is a second, small Data Matrix beside the compound
message's; the bag, box, dose and patient labels carry their identifiers in Code 128.
"""

from labels.content import (
    INTENDED_ROUTE,
    TRIAL_USE,
    BagLabel,
    BoxLabel,
    CryovialLabel,
    DoseLabel,
    Label,
    LabelError,
    PatientLabel,
    eye_readable_din,
    eye_readable_expiry,
)
from labels.geometry import ASCENT, CLEARANCE_MM, DESCENT, FRAME_PAD_MM, PT, Bars, Layout, Matrix, Text, text_width
from labels.isbt128 import Din, ProductCode
from labels.stock import Stock, check_stock
from labels.symbols import CODE128_QUIET_MODULES, MATRIX_QUIET_MODULES, X_TARGET_MM, datamatrix_size

LINE_SPACING = ASCENT + DESCENT + 0.12  # baseline to baseline, in font sizes
SHRINK_STEP = 0.25  # points


class Column:
    """Places symbols and lines top to bottom between x = left and x = right, starting at y = top."""

    def __init__(self, stock: Stock, left: float, right: float, top: float, module: float):
        self.stock, self.left, self.right, self.y, self.module = stock, left, right, top, module
        self.elements: list = []

    @property
    def width(self) -> float:
        return self.right - self.left

    def bars(self, data: str, height: float) -> Bars:
        """A Code 128 of data, its quiet zone starting at the left edge of the column."""
        quiet = CODE128_QUIET_MODULES * self.module
        bars = Bars(data, self.left + quiet, self.y + CLEARANCE_MM, self.module, height)
        self.elements.append(bars)
        self.y = bars.box.bottom + CLEARANCE_MM
        return bars

    def line(self, text: str, size: float, what: str, *, bold: bool = False, floor: float | None = None,
             check: str | None = None) -> list[Text]:
        """One line of text, shrunk to the column's width (down to floor); check adds a boxed check character."""
        size = fit(text + (f"  {check}" if check else ""), self.width, size, floor or size, bold, what, self.stock)
        baseline = self.y + ASCENT * size * PT + (FRAME_PAD_MM if check else 0)
        placed = [Text(text, self.left, baseline, size, bold)]
        if check:
            gap = text_width("  ", size, bold)
            placed.append(Text(check, self.left + placed[0].width + gap, baseline, size, bold, framed=True))
        self.elements.extend(placed)
        self.y = baseline + (LINE_SPACING - ASCENT) * size * PT + (FRAME_PAD_MM if check else 0)
        return placed


def fit(text: str, width: float, size: float, floor: float, bold: bool, what: str, stock: Stock) -> float:
    """The largest size from size down to floor at which text is at most width mm wide."""
    while text_width(text, size, bold) > width:
        size -= SHRINK_STEP
        if size < floor - 1e-9:
            raise LabelError(f"{what} {text!r} is too long for stock {stock.name}")
    return size


def product_text(product: ProductCode) -> str:
    """Product code, collection type and division as printed (``S1004V div A0``)."""
    return f"{product.code}{product.collection_type} div {product.division}"


def _din_line(column: Column, din: Din, size: float, floor: float) -> None:
    column.line(eye_readable_din(din), size, "DIN", bold=True, floor=floor, check=din.check_character)


def cryovial(label: CryovialLabel, stock: Stock, module: float) -> Layout:
    """Compound-message Data Matrix left, unit-barcode Data Matrix right, eye-readable text between."""
    quiet, edge = MATRIX_QUIET_MODULES * module, stock.margin_mm
    message = label.compound.encode()
    left_size, right_size = datamatrix_size(message), datamatrix_size(label.unit_barcode)
    left = Matrix(message, edge + quiet, (stock.height_mm - left_size * module) / 2, module, left_size)
    right_x = stock.width_mm - edge - quiet - right_size * module
    right = Matrix(label.unit_barcode, right_x, (stock.height_mm - right_size * module) / 2, module, right_size)
    column = Column(stock, left.keep_out.right + 0.2, right.keep_out.x - 0.2, edge, module)
    _din_line(column, label.din, 6, 4.5)
    column.line(product_text(label.product), 5.5, "product code", floor=4.5)
    column.line("EXP " + eye_readable_expiry(label.expiration), 5.5, "expiry", floor=4.5)
    column.line("LOT " + label.lot_number, 5.5, "lot number", floor=4)
    return Layout(stock, (left, right, *column.elements))


def bag(label: BagLabel, stock: Stock, module: float) -> Layout:
    """Code 128 of DIN, product code and expiration, each above its eye-readable text; lot, description, SEC."""
    edge = stock.margin_mm
    column = Column(stock, edge, stock.width_mm - edge, edge, module)
    column.bars(label.din.encode(), 10)
    _din_line(column, label.din, 11, 8)
    column.bars(label.product.encode(), 10)
    column.line(product_text(label.product), 10, "product code", floor=8)
    column.line(label.description, 10, "description", floor=7)
    column.bars(label.expiration.encode(), 10)
    column.line("EXP " + eye_readable_expiry(label.expiration), 10, "expiry", bold=True, floor=8)
    column.line("LOT " + label.lot_number, 10, "lot number", floor=6)
    if label.tissue:
        column.line("SEC " + label.sec.encode(), 9, "SEC", floor=6)
    return Layout(stock, column.elements)


def box(label: BoxLabel, stock: Stock, module: float) -> Layout:
    """Box barcode across the top, its eye-readable text, the location path and the contents summary."""
    edge = stock.margin_mm
    column = Column(stock, edge, stock.width_mm - edge, edge - CLEARANCE_MM, module)
    column.bars(label.barcode, 7)
    column.line(label.barcode, 7, "box barcode", bold=True, floor=6)
    column.line(label.location, 6.5, "location", floor=5)
    for line in label.contents:
        column.line(line, 6, "contents", floor=4.5)
    return Layout(stock, column.elements)


def dose(label: DoseLabel, stock: Stock, module: float) -> Layout:
    """Compound-message Data Matrix top left, the dose's facts beside it, route and trial use, dose barcode."""
    quiet, edge = MATRIX_QUIET_MODULES * module, stock.margin_mm
    message = label.compound.encode()
    matrix = Matrix(message, edge + quiet, edge + quiet, module, datamatrix_size(message))
    column = Column(stock, matrix.keep_out.right + 0.5, stock.width_mm - edge, edge, module)
    column.line(label.trial_code, 9, "patient trial code", bold=True, floor=6)
    column.line(f"Dose {label.dose_number}", 8, "dose number", bold=True)
    _din_line(column, label.din, 7, 5.5)
    column.line(product_text(label.product), 6.5, "product code", floor=5)
    column.line(label.description, 6.5, "description", floor=5)
    below = Column(stock, edge, stock.width_mm - edge, max(column.y, matrix.keep_out.bottom), module)
    below.line("EXP after thaw " + eye_readable_expiry(label.expiration), 7, "expiry", bold=True, floor=5.5)
    below.line(INTENDED_ROUTE, 7, "route", bold=True, floor=5.5)
    below.line(TRIAL_USE, 6.5, "trial use", floor=5.5)
    below.bars(label.barcode, 6)
    below.line(label.barcode, 6, "dose barcode", floor=5)
    return Layout(stock, (matrix, *column.elements, *below.elements))


def patient(label: PatientLabel, stock: Stock, module: float) -> Layout:
    """The patient's barcode with its eye-readable text, and the trial code in large type."""
    edge = stock.margin_mm
    column = Column(stock, edge, stock.width_mm - edge, edge - CLEARANCE_MM, module)
    column.bars(label.barcode, 8)
    column.line(label.barcode, 7, "patient barcode", floor=5)
    column.line(label.trial_code, 12, "patient trial code", bold=True, floor=8)
    return Layout(stock, column.elements)


TEMPLATES = {CryovialLabel: cryovial, BagLabel: bag, BoxLabel: box, DoseLabel: dose, PatientLabel: patient}


def layout(label: Label, stock: Stock, module_mm: float = X_TARGET_MM) -> Layout:
    """The checked layout of label on stock, symbols drawn at module_mm."""
    template = TEMPLATES.get(type(label))
    if template is None:
        raise LabelError(f"no label template for {type(label).__name__}")
    check_stock(stock)
    return template(label, stock, module_mm)
