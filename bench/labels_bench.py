"""Label rendering benchmark: 1,000 complete cryovial labels into one PDF and into one ZPL file, against
python-barcode's own SVGWriter and ImageWriter producing the same 1,000 Code 128 symbols alone.

    python bench/labels_bench.py [--labels N] [--rounds N]

Each measurement runs --rounds times, interleaved; the median and the best round are printed (the machine is
shared: the load average is printed too). Targets are reported as met or NOT met; nothing is asserted.
"""

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import string
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import runinfo  # noqa: E402
from barcode.codex import Code128  # noqa: E402
from barcode.writer import ImageWriter, SVGWriter  # noqa: E402

from labels.content import CryovialLabel  # noqa: E402
from labels.isbt128 import Expiration, ProductCode, din_with_flag  # noqa: E402
from labels.pdf import render_pdf  # noqa: E402
from labels.stock import STOCKS  # noqa: E402
from labels.zpl import render_zpl  # noqa: E402

PDF_TARGET = 500
ZPL_TARGET = 5000
VIALS_PER_LOT = 500
LETTERS = string.ascii_uppercase
DIVISIONS = [f"{a}0" for a in LETTERS] + [f"{a}{b}" for a in LETTERS for b in LETTERS.lower()]


def cryovials(count: int) -> list[CryovialLabel]:
    """count vials of lots of 500, each vial with its own division and unit barcode (as a lot is cryopreserved)."""
    labels = []
    for index in range(count):
        lot, vial = divmod(index, VIALS_PER_LOT)
        number = f"DP-26-{lot + 1:04d}"
        expiry = Expiration(dt.datetime(2027, 1, 1, 12, 0) + dt.timedelta(days=lot))
        labels.append(CryovialLabel(din_with_flag(f"A999926{lot + 1:06d}"), ProductCode("S1004", "V", DIVISIONS[vial]),
                                    expiry, f"{number}-{DIVISIONS[vial]}", number))
    return labels


def svg_symbols(codes: list[str]) -> int:
    """python-barcode's SVGWriter, one Code 128 symbol per code as SVG bytes; returns the bytes produced."""
    return sum(len(Code128(code, writer=SVGWriter()).render({"write_text": False})) for code in codes)


def image_symbols(codes: list[str]) -> int:
    """python-barcode's ImageWriter (Pillow), one Code 128 image per code left in memory; returns the pixels."""
    total = 0
    for code in codes:
        image = Code128(code, writer=ImageWriter()).render({"write_text": False})
        total += image.width * image.height
    return total


def png_symbols(codes: list[str]) -> int:
    """python-barcode's ImageWriter writing each Code 128 as PNG bytes (Barcode.write); returns the bytes."""
    total = 0
    for code in codes:
        out = io.BytesIO()
        Code128(code, writer=ImageWriter()).write(out, {"write_text": False})
        total += out.tell()
    return total


def measure(rounds: int, tasks: dict) -> dict[str, list[float]]:
    """Seconds of each task, rounds times, interleaved so that a busy moment hits all of them."""
    times = {name: [] for name in tasks}
    for round_number in range(1, rounds + 1):
        for name, task in tasks.items():
            start = time.perf_counter()
            size = task()
            times[name].append(time.perf_counter() - start)
            runinfo.progress(f"round {round_number}/{rounds}: {name} {times[name][-1]:.3f} s ({size:,})")
    return times


def verdict(met: bool) -> str:
    """met or NOT met."""
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load_at_start = runinfo.load_average()
    labels = cryovials(args.labels)
    codes = [label.unit_barcode for label in labels]
    stock = STOCKS["cryovial"]
    tasks = {
        "PDF, complete labels": lambda: len(render_pdf(labels, stock)),
        "ZPL 203 dpi, complete labels": lambda: len(render_zpl(labels, stock, 203)),
        "python-barcode SVGWriter, SVG bytes": lambda: svg_symbols(codes),
        "python-barcode ImageWriter, image in memory": lambda: image_symbols(codes),
        "python-barcode ImageWriter, PNG bytes": lambda: png_symbols(codes),
    }
    times = measure(args.rounds, tasks)
    rate = {name: {"median": args.labels / statistics.median(t), "best": args.labels / min(t)}
            for name, t in times.items()}
    versions = ", ".join(f"{name} {version(name)}" for name in ("python-barcode", "reportlab", "pillow"))
    print(f"\nLabel benchmark: {args.labels:,} cryovial labels ({stock.name}: 2 Data Matrix, 5 lines of text) and "
          f"the same {args.labels:,} unit barcodes as Code 128; {args.rounds} rounds; Python "
          f"{platform.python_version()}, {versions}; {os.cpu_count()} CPUs, load average {load_at_start} at "
          f"start, {runinfo.load_average()} at end\n")
    print(f"{'measurement':<46}{'median /s':>12}{'best /s':>12}{'median ms each':>16}")
    for name, r in rate.items():
        print(f"{name:<46}{r['median']:>12,.0f}{r['best']:>12,.0f}{1000 / r['median']:>16.3f}")
    pdf, zpl = rate["PDF, complete labels"], rate["ZPL 203 dpi, complete labels"]
    print()
    print(f"target PDF >= {PDF_TARGET} labels/s: {pdf['median']:,.0f}/s (median): "
          f"{verdict(pdf['median'] >= PDF_TARGET)}")
    print(f"target ZPL >= {ZPL_TARGET:,} labels/s: {zpl['median']:,.0f}/s (median): "
          f"{verdict(zpl['median'] >= ZPL_TARGET)}")
    for name, baseline in rate.items():
        if name.startswith("python-barcode"):
            ratio = pdf["median"] / baseline["median"]
            print(f"target PDF complete label faster than {name.removeprefix('python-barcode ')} per Code 128: "
                  f"{ratio:.2f}x: {verdict(ratio > 1)}")
    print("\nPDF: labels.pdf.render_pdf of every label into one document (layout, labels.datamatrix encoding, "
          "vector drawing,\n  reportlab output); ZPL: labels.zpl.render_zpl into one file (the printer encodes the "
          "symbols); python-barcode:\n  Code128(code, writer).render({'write_text': False}) per unit barcode (SVG "
          "bytes, or a Pillow image left in memory),\n  or .write(BytesIO, ...) for PNG bytes. Ratios: PDF labels/s "
          "divided by symbols/s (medians).")


if __name__ == "__main__":
    main()
