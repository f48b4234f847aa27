"""Advance widths of ZPL font 0 for printable ASCII, so a ZPL line is set no wider than the PDF reserves for it.

Font 0 is the printer's scalable bold condensed font; these widths (per 1000 dots of character width, space to
tilde) were measured from the font Zebrash renders font 0 with, which draws the hyphen as wide as a dash.
"""

FIRST = 0x20
ADVANCE = (
    250, 333, 333, 500, 500, 833, 667, 250, 333, 333, 500, 500, 333, 800, 333, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 500, 500, 500, 500,
    833, 556, 556, 556, 611, 500, 500, 611, 611, 278, 444, 556, 500, 778, 611, 611,
    556, 611, 611, 556, 500, 611, 556, 833, 556, 556, 500, 333, 250, 333, 500, 500,
    333, 500, 500, 444, 500, 500, 278, 500, 500, 278, 278, 444, 278, 778, 500, 500,
    500, 500, 333, 444, 278, 500, 444, 667, 444, 444, 389, 274, 250, 274, 500,
)


def font0_width(text: str, width_dots: int) -> float:
    """Width in dots of printable ASCII text in font 0 at character width width_dots."""
    return sum(ADVANCE[ord(character) - FIRST] for character in text) * width_dots / 1000
