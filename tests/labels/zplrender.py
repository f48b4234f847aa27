"""Rendering ZPL offline as a Zebra printer would print it: Zebrash (npm zpl-renderer-js) under Node.js.

One Node process serves the whole test session (tests/labels/zpl/render.js, a request per line). Without node or
the npm package (``npm ci --prefix tests/labels/zpl``) the ZPL tests skip, saying why.
"""

import base64
import io
import json
import math
import shutil
import subprocess
from pathlib import Path

from PIL import Image

from labels.stock import MM_PER_INCH, Stock

HERE = Path(__file__).resolve().parent / "zpl"
PACKAGE = HERE / "node_modules" / "zpl-renderer-js" / "package.json"


def unavailable() -> str | None:
    """Why ZPL cannot be rendered here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (Debian: apt-get install nodejs)"
    if not PACKAGE.exists():
        return f"zpl-renderer-js is not installed: run npm ci --prefix {HERE}"
    return None


def as_scanned(image: Image.Image, dpi: int) -> tuple[Image.Image, int]:
    """A printed label as an imaging scanner sees it, and that image's resolution: at 203 dpi a 0.25 mm module is
    2 dots, fewer pixels than libdmtx locates a symbol by, so the dots are doubled (each dot stays square and
    black or white: nothing is smoothed or added); 300 and 600 dpi labels are read as printed."""
    if dpi >= 300:
        return image, dpi
    return image.resize((image.width * 2, image.height * 2), Image.Resampling.NEAREST), dpi * 2


class ZplRenderer:
    """A Node process rendering ZPL to PNG images; close() ends it."""

    def __init__(self):
        self.process = subprocess.Popen(["node", str(HERE / "render.js")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=HERE)

    def render(self, zpl: bytes, stock: Stock, dpi: int) -> list[Image.Image]:
        """Each label of a ZPL file as a grey image, one pixel per printer dot.

        Zebrash takes a whole number of dots per mm and centres ^PW on a wider canvas, so the canvas is asked
        for in millimetres that its rounding up turns into exactly the label's ^PW x ^LL dots.
        """
        dpmm = math.ceil(dpi / MM_PER_INCH)
        width, height = stock.dots(dpi)
        request = {"zpl": zpl.decode("ascii"), "width_mm": (width - 0.25) / dpmm, "height_mm": (height - 0.25) / dpmm,
                   "dpmm": dpmm}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"Zebrash refused the ZPL: {answer['error']}")
        return [Image.open(io.BytesIO(base64.b64decode(png))).convert("L") for png in answer["pngs"]]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
