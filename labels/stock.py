"""Label stock (the physical label a template is printed on) and printer resolutions.

A ``Stock`` is a name, a width and a height in millimetres and a margin the printer may not reach; every
template lays itself out on the stock it is given and refuses one too small (``LabelError``). ``STOCKS`` holds
the default stock of each template; ``DPI`` the Zebra print-head resolutions ZPL is rendered for.
"""

import math
from dataclasses import dataclass

from labels.content import LabelError

DPI = (203, 300, 600)
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Stock:
    """A label stock: its size and the margin kept clear at each edge, in millimetres."""

    name: str
    width_mm: float
    height_mm: float
    margin_mm: float = 1.0

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise LabelError(f"stock: name {self.name!r} is empty")
        for what in ("width_mm", "height_mm", "margin_mm"):
            value = getattr(self, what)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise LabelError(f"stock {self.name}: {what} {value!r} is not a number")
        if not (5 <= self.width_mm <= 250 and 5 <= self.height_mm <= 250):
            raise LabelError(f"stock {self.name}: {self.width_mm} x {self.height_mm} mm is outside 5-250 mm")
        if not 0 <= self.margin_mm < min(self.width_mm, self.height_mm) / 4:
            raise LabelError(f"stock {self.name}: margin {self.margin_mm} mm is negative or too large")

    def dots(self, dpi: int) -> tuple[int, int]:
        """Width and height in printer dots at dpi (for ``^PW`` and ``^LL``)."""
        return to_dots(self.width_mm, dpi), to_dots(self.height_mm, dpi)


def check_stock(stock) -> None:
    """Refuse anything that is not a Stock."""
    if not isinstance(stock, Stock):
        raise LabelError(f"stock: expected Stock, got {type(stock).__name__}")


def check_dpi(dpi: int) -> None:
    """Refuse a print-head resolution Zebra does not make."""
    if dpi not in DPI:
        raise LabelError(f"printer resolution {dpi!r} dpi is not one of {', '.join(map(str, DPI))}")


def to_dots(mm: float, dpi: int) -> int:
    """Millimetres to the nearest whole printer dot."""
    return round(mm * dpi / MM_PER_INCH)


STOCKS = {
    "cryovial": Stock("cryovial 32 x 13 mm", 32, 13, 0.8),
    "bag": Stock("bag 100 x 100 mm", 100, 100, 2.0),
    "box": Stock("box 76 x 25 mm", 76, 25, 1.0),
    "dose": Stock("syringe 70 x 40 mm", 70, 40, 1.0),
    "patient": Stock("wristband 80 x 25 mm", 80, 25, 1.0),
}
