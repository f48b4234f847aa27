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


class ZplRenderer:
    """A Node process rendering ZPL to PNG images; close() ends it."""

    def __init__(self):
        self.process = subprocess.Popen(["node", str(HERE / "render.js")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=HERE)

    def render(self, zpl: bytes, stock: Stock, dpi: int) -> list[Image.Image]:
        """Each label of a ZPL file as a grey image, one pixel per printer dot.

        Zebrash sizes its canvas as millimetres times a whole number of dots per mm, so it gets the next whole
        number above the printer's (8, 12, 24): the canvas then covers the whole ^PW x ^LL label.
        """
        request = {"zpl": zpl.decode("ascii"), "width_mm": stock.width_mm, "height_mm": stock.height_mm,
                   "dpmm": math.ceil(dpi / MM_PER_INCH)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"Zebrash refused the ZPL: {answer['error']}")
        return [Image.open(io.BytesIO(base64.b64decode(png))).convert("L") for png in answer["pngs"]]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
