"""Our Data Matrix encoder (labels.datamatrix) module for module against pyStrich's, and read back by libdmtx and
zxing-cpp, for random ASCII data of every length up to the largest symbol a label prints (and beyond)."""

import random
import string

import pytest
import zxingcpp
from PIL import Image
from pystrich.datamatrix import DataMatrixData, DataMatrixEncoder

from labels.content import IDENTIFIER_MAX
from labels.datamatrix import SYMBOLS, rows
from labels.symbols import datamatrix_size
from tests.labels import samples
from tests.labels.scanning import dmtx, needs_dmtx

LABEL_SIDE = 26  # the largest symbol on a label: a dose's compound message with chain of identity, a long identifier
LABEL_CAPACITY = dict((side, capacity) for side, capacity, *_ in SYMBOLS)[LABEL_SIDE]
ASCII = "".join(map(chr, range(128)))
PIXELS = 4  # per module, for the decoders
DATA_MATRIX = zxingcpp.BarcodeFormat.DataMatrix


def pystrich_rows(data: str) -> tuple[str, ...]:
    """pyStrich's modules for data in ASCII encodation (``force_byte_mode``), as labels.symbols drew them before."""
    encoder = DataMatrixEncoder(DataMatrixData(data, encoding="ascii"), quiet_zone=0, force_byte_mode=True)
    return tuple("".join(map(str, row)) for row in encoder.init_renderer().matrix)


def random_data(rng: random.Random, characters: int) -> str:
    """characters of ASCII, about half of them digits (so that digit pairs, one codeword each, are common)."""
    return "".join(rng.choice(string.digits if rng.random() < 0.5 else ASCII) for _ in range(characters))


def test_the_label_side_is_the_largest_symbol_a_label_prints():
    assert datamatrix_size(samples.dose().compound.encode()) == LABEL_SIDE
    assert datamatrix_size("!" * IDENTIFIER_MAX) == LABEL_SIDE


def test_every_length_up_to_a_two_block_symbol_matches_pystrich():
    rng = random.Random(200)
    for characters in range(1, 2 * SYMBOLS[14][1] + 1):  # up to 52 x 52 (204 codewords, two Reed-Solomon blocks)
        for data in (random_data(rng, characters), "".join(rng.choice(ASCII) for _ in range(characters))):
            assert rows(data) == pystrich_rows(data), f"{data!r} ({characters} characters)"


@pytest.mark.parametrize("side, capacity", [(side, capacity) for side, capacity, *_ in SYMBOLS])
def test_every_size_full_and_one_short_matches_pystrich(side, capacity):
    rng = random.Random(side)
    for codewords in (capacity - 1, capacity):
        data = "".join(rng.choice(string.ascii_letters) for _ in range(codewords))
        assert datamatrix_size(data) == side
        assert rows(data) == pystrich_rows(data), f"{codewords} codewords in {side} x {side}"


def test_data_beyond_the_largest_symbol_is_refused():
    with pytest.raises(ValueError, match="do not fit"):
        rows("x" * (SYMBOLS[-1][1] + 1))
    with pytest.raises(ValueError, match="not ASCII"):
        rows("é")


def image_of(modules: tuple[str, ...]) -> Image.Image:
    """The symbol in black on white, PIXELS a module, in a quiet zone of 4 modules."""
    lines = ["0000" + row + "0000" for row in modules]
    lines = ["0" * len(lines[0])] * 4 + lines + ["0" * len(lines[0])] * 4
    image = Image.new("L", (len(lines), len(lines)))
    image.putdata([0 if module == "1" else 255 for line in lines for module in line])
    return image.resize((len(lines) * PIXELS, len(lines) * PIXELS), Image.NEAREST)


@needs_dmtx
def test_every_length_up_to_the_label_side_reads_back_with_libdmtx_and_zxing_cpp():
    rng = random.Random(26)
    printable = "".join(map(chr, range(0x20, 0x7F)))
    for characters in range(1, 2 * LABEL_CAPACITY + 1):
        data = "".join(rng.choice(string.digits if rng.random() < 0.5 else printable) for _ in range(characters))
        if datamatrix_size(data) > LABEL_SIDE:
            continue
        image = image_of(rows(data))
        readings = {"libdmtx": dmtx(image),
                    "zxing-cpp": [found.text for found in zxingcpp.read_barcodes(image, formats=DATA_MATRIX)]}
        assert readings == {"libdmtx": [data], "zxing-cpp": [data]}, f"{data!r} ({characters} characters)"
