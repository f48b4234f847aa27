"""Data Matrix ECC 200 (ISO/IEC 16022), square symbols, ASCII encodation: codewords, Reed-Solomon, module placement.

``rows(data)`` returns the modules of the smallest square symbol holding data, top row first ('1' dark);
``encode(data)`` its side and codewords (data, pads and error correction, in placement order); ``cells(side)``
where each codeword's eight bits go, most significant first, as (row, column) of the symbol, top-left origin;
``fixed_dark(side)`` the dark modules that do not depend on the data (finder and timing patterns, and the corner
pattern of the sizes that have one). The placement and the generator polynomials depend only on the size, so
they are computed once per size.
"""

import re
from functools import cache
from itertools import chain
from operator import itemgetter

#: (modules a side, data codewords, error codewords, Reed-Solomon blocks, data region side), smallest first
SYMBOLS = ((10, 3, 5, 1, 8), (12, 5, 7, 1, 10), (14, 8, 10, 1, 12), (16, 12, 12, 1, 14), (18, 18, 14, 1, 16),
           (20, 22, 18, 1, 18), (22, 30, 20, 1, 20), (24, 36, 24, 1, 22), (26, 44, 28, 1, 24), (32, 62, 36, 1, 14),
           (36, 86, 42, 1, 16), (40, 114, 48, 1, 18), (44, 144, 56, 1, 20), (48, 174, 68, 1, 22),
           (52, 204, 84, 2, 24), (64, 280, 112, 2, 14), (72, 368, 144, 4, 16), (80, 456, 192, 4, 18),
           (88, 576, 224, 4, 20), (96, 696, 272, 4, 22), (104, 816, 336, 6, 24), (120, 1050, 408, 6, 18),
           (132, 1304, 496, 8, 20), (144, 1558, 620, 10, 22))
_BY_SIDE = {symbol[0]: symbol for symbol in SYMBOLS}
ASCII_CODEWORD = re.compile("[0-9]{2}|.", re.DOTALL)  # left to right: a pair of digits is one codeword
_CODEWORD = {chr(value): value + 1 for value in range(128)} | {f"{pair:02d}": 130 + pair for pair in range(100)}
PAD = 129
_BITS = [f"{value:08b}" for value in range(256)]


def _powers_of_two() -> list[int]:
    """2^0 .. 2^254 in GF(256) modulo x^8 + x^5 + x^3 + x^2 + 1 (301), the field of ECC 200's Reed-Solomon code."""
    powers = [1]
    for _ in range(254):
        power = powers[-1] << 1
        powers.append(power ^ 0x12D if power & 0x100 else power)
    return powers


_EXP = _powers_of_two()
_LOG = {value: power for power, value in enumerate(_EXP)}


def _randomised_pad(position: int) -> int:
    """The 253-state randomised pad codeword at a 1-based codeword position."""
    pad = PAD + 149 * position % 253 + 1
    return pad if pad <= 254 else pad - 254


_PADS = tuple(_randomised_pad(position) for position in range(1, SYMBOLS[-1][1] + 1))  # index: position - 1


def symbol_for(codewords: int) -> tuple[int, int, int, int, int]:
    """The smallest square symbol holding codewords data codewords."""
    for symbol in SYMBOLS:
        if codewords <= symbol[1]:
            return symbol
    raise ValueError(f"{codewords} codewords do not fit a Data Matrix symbol")


def encode(data: str) -> tuple[int, list[int]]:
    """The side of the smallest square symbol for data (ASCII, 0-127) and its codewords in placement order."""
    if not data.isascii():
        raise ValueError(f"{data!r} is not ASCII")
    words = list(map(_CODEWORD.__getitem__, ASCII_CODEWORD.findall(data)))
    side, capacity, errors, blocks, _ = symbol_for(len(words))
    if len(words) < capacity:
        words += (PAD, *_PADS[len(words) + 1:capacity])
    length = errors // blocks
    table = _generator(length)
    # Block b holds every blocks-th codeword from b; their error codewords are interleaved the same way.
    remainders = [_remainder(words[block::blocks], table, length) for block in range(blocks)]
    words += chain.from_iterable(zip(*remainders, strict=True))
    return side, words


def rows(data: str) -> tuple[str, ...]:
    """The modules of the smallest square symbol for data, top row first, '1' dark, no quiet zone."""
    side, words = encode(data)
    pick, cut = _picker(side)
    return cut("".join(pick("".join(map(_BITS.__getitem__, words)) + "01")))


@cache
def _picker(side: int) -> tuple[itemgetter, itemgetter]:
    """Picks a symbol's modules, row by row, out of its codewords' bits followed by a light and a dark module; and
    cuts the modules into rows."""
    placed = cells(side)
    light, dark, fixed = 8 * len(placed), 8 * len(placed) + 1, fixed_dark(side)
    bit = {cell: 8 * index + order for index, codeword in enumerate(placed) for order, cell in enumerate(codeword)}
    pick = itemgetter(*(bit.get((row, col), dark if (row, col) in fixed else light)
                        for row in range(side) for col in range(side)))
    return pick, itemgetter(*(slice(start, start + side) for start in range(0, side * side, side)))


def _remainder(block: list[int], table: tuple[int, ...], length: int) -> bytes:
    """The error codewords of a block: its remainder modulo the generator, as a shift register in one integer."""
    register, top, mask = 0, 8 * (length - 1), (1 << 8 * length) - 1
    for word in block:
        register = (register << 8 & mask) ^ table[register >> top ^ word]
    return register.to_bytes(length, "big")


@cache
def _generator(length: int) -> tuple[int, ...]:
    """For each feedback byte, its products with the generator's coefficients (roots 2^1 .. 2^length) packed into
    an integer, the coefficient of x^(length-1) in the top byte."""
    poly = [1]  # coefficients, lowest power first
    for root in range(1, length + 1):
        shifted = [0, *poly]
        poly = [high ^ _multiply(low, _EXP[root]) for high, low in zip(shifted, [*poly, 0], strict=True)]
    return tuple(sum(_multiply(feedback, coefficient) << 8 * power for power, coefficient in enumerate(poly[:-1]))
                 for feedback in range(256))


def _multiply(a: int, b: int) -> int:
    return _EXP[(_LOG[a] + _LOG[b]) % 255] if a and b else 0


@cache
def cells(side: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Where the bits of each codeword go in a symbol of side modules (ISO/IEC 16022 Annex F), MSB first."""
    region = _BY_SIDE[side][4]
    return tuple(tuple((row + 1 + 2 * (row // region), col + 1 + 2 * (col // region)) for row, col in codeword)
                 for codeword in _placement(side - 2 * (side // (region + 2))))


@cache
def fixed_dark(side: int) -> frozenset[tuple[int, int]]:
    """The dark modules a symbol of side modules has whatever its data: finder, timing and corner patterns."""
    step = _BY_SIDE[side][4] + 2  # a data region and its finder and timing patterns
    dark = set()
    for row in range(side):
        for col in range(side):
            down, across = row % step, col % step
            if across == 0 or down == step - 1 or (down == 0 and across % 2 == 0) or (across == step - 1 and down % 2):
                dark.add((row, col))
    if not any((side - 2, side - 2) in codeword for codeword in cells(side)):  # the four modules codewords leave
        dark |= {(side - 2, side - 2), (side - 3, side - 3)}
    return frozenset(dark)


def _placement(size: int) -> list[list[tuple[int, int]]]:
    """The "utah" placement of ISO/IEC 16022 Annex F on the size x size mapping matrix, cells of each codeword."""
    placed: list[list[tuple[int, int]]] = []
    taken: set[tuple[int, int]] = set()

    def module(row: int, col: int) -> tuple[int, int]:
        if row < 0:
            row, col = row + size, col + 4 - (size + 4) % 8
        if col < 0:
            row, col = row + 4 - (size + 4) % 8, col + size
        return row, col

    def put(positions) -> None:
        codeword = [module(row, col) for row, col in positions]
        taken.update(codeword)
        placed.append(codeword)

    def utah(row: int, col: int) -> None:
        put([(row - 2, col - 2), (row - 2, col - 1), (row - 1, col - 2), (row - 1, col - 1), (row - 1, col),
             (row, col - 2), (row, col - 1), (row, col)])

    last = size - 1
    corners = {
        1: [(last, 0), (last, 1), (last, 2), (0, last - 1), (0, last), (1, last), (2, last), (3, last)],
        2: [(last - 2, 0), (last - 1, 0), (last, 0), (0, last - 3), (0, last - 2), (0, last - 1), (0, last),
            (1, last)],
        3: [(last - 2, 0), (last - 1, 0), (last, 0), (0, last - 1), (0, last), (1, last), (2, last), (3, last)],
        4: [(last, 0), (last, last), (0, last - 2), (0, last - 1), (0, last), (1, last - 2), (1, last - 1),
            (1, last)],
    }
    row, col = 4, 0
    while row < size or col < size:
        if row == size and col == 0:
            put(corners[1])
        if row == size - 2 and col == 0 and size % 4:
            put(corners[2])
        if row == size - 2 and col == 0 and size % 8 == 4:
            put(corners[3])
        if row == size + 4 and col == 2 and size % 8 == 0:
            put(corners[4])
        while True:  # up and to the right
            if row < size and col >= 0 and (row, col) not in taken:
                utah(row, col)
            row, col = row - 2, col + 2
            if row < 0 or col >= size:
                break
        row, col = row + 1, col + 3
        while True:  # down and to the left
            if row >= 0 and col < size and (row, col) not in taken:
                utah(row, col)
            row, col = row + 2, col - 2
            if row >= size or col < 0:
                break
        row, col = row + 3, col + 1
    return placed
