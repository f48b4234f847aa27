"""Reading labels back as a scanner would: rasterise (pypdfium2), crop a symbol, decode with independent decoders.

Code 128 is read by zbar (pyzbar) and zxing-cpp, Data Matrix by libdmtx (pylibdmtx) and zxing-cpp. zbar and
libdmtx are system libraries (.ci/run installs them): without them the tests that need them skip, saying why.
"""

import warnings

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageChops

from labels.geometry import Bars, Layout, Matrix, Rect

try:
    from pyzbar import pyzbar
except ImportError as error:  # the zbar shared library is missing
    pyzbar, NO_ZBAR = None, f"zbar is not installed (Debian: apt-get install libzbar0): {error}"
else:
    NO_ZBAR = None
try:
    with warnings.catch_warnings():  # pylibdmtx 0.1.10 compares versions with distutils' deprecated class
        warnings.filterwarnings("ignore", "distutils Version classes are deprecated", DeprecationWarning)
        from pylibdmtx import pylibdmtx
except ImportError as error:  # the libdmtx shared library is missing
    pylibdmtx, NO_DMTX = None, f"libdmtx is not installed (Debian: apt-get install libdmtx0b): {error}"
else:
    NO_DMTX = None

needs_zbar = pytest.mark.skipif(NO_ZBAR is not None, reason=NO_ZBAR or "")
needs_dmtx = pytest.mark.skipif(NO_DMTX is not None, reason=NO_DMTX or "")
DARK, LIGHT = 128, 200


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an 8-bit grey image at dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def pdf_text(pdf: bytes) -> list[str]:
    """The text of every page of a PDF, as pdfium extracts it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pixels(rect: Rect, dpi: float) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom) covering rect (mm from the top-left corner) at dpi."""
    scale = dpi / 25.4
    return (round(rect.x * scale), round(rect.y * scale), round(rect.right * scale), round(rect.bottom * scale))


def crop(image: Image.Image, rect: Rect, dpi: float) -> Image.Image:
    """The part of image under rect, on a white margin of 8 pixels (a scanner sees the label around it)."""
    part = image.crop(pixels(rect, dpi))
    framed = Image.new("L", (part.width + 16, part.height + 16), 255)
    framed.paste(part, (8, 8))
    return framed


def zxing(image: Image.Image, matrix: bool, downscale: bool = True) -> list[str]:
    """What zxing-cpp reads in image: Data Matrix symbols or Code 128 symbols (also in downscaled copies of
    image, unless told not to)."""
    wanted = zxingcpp.BarcodeFormat.DataMatrix if matrix else zxingcpp.BarcodeFormat.Code128
    return [result.text for result in zxingcpp.read_barcodes(image, formats=wanted, try_downscale=downscale)]


def zbar(image: Image.Image) -> list[str]:
    """What zbar reads in image as Code 128."""
    found = pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.CODE128])
    return [result.data.decode("ascii") for result in found]


def dmtx(image: Image.Image) -> list[str]:
    """What libdmtx reads in image (one symbol at most: it stops at the first)."""
    return [result.data.decode("ascii") for result in pylibdmtx.decode(image, max_count=1, timeout=5000)]


def read_symbol(image: Image.Image, element, dpi: float) -> dict[str, list[str]]:
    """Each decoder's reading of one placed symbol, cropped with its quiet zone."""
    part = crop(image, element.keep_out, dpi)
    if isinstance(element, Matrix):
        return {"libdmtx": dmtx(part), "zxing-cpp": zxing(part, matrix=True)}
    return {"zbar": zbar(part), "zxing-cpp": zxing(part, matrix=False)}


def assert_scans_back(image: Image.Image, placed: Layout, dpi: float) -> None:
    """Every symbol reads back as exactly its data with both of its decoders, and the whole label holds no
    symbol other than those placed."""
    symbols = [e for e in placed.elements if isinstance(e, Bars | Matrix)]
    for element in symbols:
        readings = read_symbol(image, element, dpi)
        for decoder, texts in readings.items():
            assert texts == [element.data], f"{decoder} read {texts} for {element.data!r} at {dpi} dpi"
    # On the whole label zxing-cpp may report one symbol twice (found from two starting points): the same text
    # is the same object; any text that is not one of the placed symbols' fails. The whole label is read at the
    # scanner's resolution only: zxing-cpp's downscaled copies of a large image leave under 2 pixels per module,
    # where it misread '$0000530(' as ' 00&0z30O' (checksum passing) in the same place as the true reading.
    whole = set(zxing(image, matrix=True, downscale=False) + zxing(image, matrix=False, downscale=False))
    assert whole == {e.data for e in symbols}, f"zxing-cpp read {sorted(whole)} on the whole label at {dpi} dpi"


def dark_outside(image: Image.Image, allowed: list[Rect], dpi: float) -> tuple[int, int, int, int] | None:
    """The bounding box of the dark pixels of image outside every rect of allowed (each grown by a pixel for
    anti-aliasing), or None when there are none."""
    mask = Image.new("L", image.size, 0)
    for rect in allowed:
        left, top, right, bottom = pixels(rect, dpi)
        mask.paste(255, (max(0, left - 1), max(0, top - 1), right + 1, bottom + 1))
    dark = image.point(lambda value: 255 if value < DARK else 0)
    return ImageChops.subtract(dark, mask).getbbox()


def light_ring(image: Image.Image, element, dpi: float) -> bool:
    """Whether the quiet zone of a symbol (its keep-out minus the symbol, a pixel in from each edge) is blank."""
    outer, inner = pixels(element.keep_out, dpi), pixels(element.box, dpi)
    ring = image.crop((outer[0] + 1, outer[1] + 1, outer[2] - 1, outer[3] - 1))
    ring.paste(255, (inner[0] - outer[0] - 2, inner[1] - outer[1] - 2, inner[2] - outer[0], inner[3] - outer[1]))
    return ring.getextrema()[0] >= LIGHT
