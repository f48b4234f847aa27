"""ISBT 128 identifiers: the MOD 37-2 check character, encode/parse of every data structure, refusal of bad input.

Plain functions, no fixtures: pure code, so each test runs once (not per database backend).
"""

import datetime as dt
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labels.isbt128 import (
    ChainOfIdentity,
    Compound,
    Din,
    Expiration,
    Malformed,
    ProductCode,
    check_character,
    check_value,
    din_with_flag,
    parse,
    parse_chain_of_identity,
    parse_compound,
    parse_din,
    parse_expiration,
    parse_product_code,
    parse_structures,
    type3_flag,
)
from labels.sec import Sec, parse_sec

SETTINGS = settings(database=None, deadline=None)
DIGITS, LETTERS = string.digits, string.ascii_uppercase
ALNUM = DIGITS + LETTERS
ISO_ALPHABET = ALNUM + "*"  # ISO/IEC 7064 MOD 37-2: values 0-36


# --- an independent reference: the ISO/IEC 7064 pure system MOD 37-2, radix 2 --------------------------------
def iso_checksum(characters: str) -> int:
    """Sum of value(c) * 2^(i-1) mod 37, i counting positions from the right (the check character is i = 1)."""
    return sum(ISO_ALPHABET.index(c) * 2 ** i for i, c in enumerate(reversed(characters))) % 37


def reference_check_character(din: str) -> str:
    """The one character that makes the whole string, check character included, have checksum 1."""
    (found,) = [k for k in ISO_ALPHABET if iso_checksum(din + k) == 1]
    return found


# --- strategies --------------------------------------------------------------------------------------------
def chars(alphabet: str, size: int):
    return st.text(st.sampled_from(alphabet), min_size=size, max_size=size)


fins = st.builds(str.__add__, st.sampled_from(LETTERS), chars(ALNUM, 4))
dins = st.builds(lambda fin, year, sequence: fin + year + sequence, fins, chars(DIGITS, 2), chars(DIGITS, 6))
din_structures = dins.flatmap(lambda din: st.one_of(
    st.just(Din(din)), st.just(din_with_flag(din)), st.integers(1, 59).map(lambda n: Din(din, f"{n:02d}"))))
codes = st.builds(str.__add__, st.sampled_from("SABCD"), chars(DIGITS, 4))
second_levels = st.sampled_from("0" + string.ascii_lowercase)
divisions = st.just("00") | st.builds(str.__add__, st.sampled_from(LETTERS), second_levels)
product_codes = st.builds(ProductCode, codes, st.sampled_from(ALNUM + string.ascii_lowercase), divisions)
expirations = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2999, 12, 31, 23, 59)).map(
    lambda at: Expiration(at.replace(second=0, microsecond=0)))
chains = st.builds(ChainOfIdentity, fins, chars(DIGITS, 2), chars(ALNUM, 6))
simples = st.one_of(din_structures, product_codes, expirations, chains)
compounds = st.builds(Compound, st.lists(simples, min_size=1, max_size=6).map(tuple), chars(DIGITS, 3))
secs = st.builds(Sec, chars(LETTERS, 2), chars(ALNUM, 6), dins, codes, divisions, st.none() | st.dates())


# --- the check character -----------------------------------------------------------------------------------
def test_published_example():
    """ST-001's example: DIN G123417654321 has check character A, type-3 flag 70."""
    assert check_character("G123417654321") == "A"
    assert check_value("G123417654321") == 10
    assert type3_flag("G123417654321") == 70
    assert din_with_flag("G123417654321").encode() == "=G12341765432170"
    assert parse("=G12341765432170") == Din("G123417654321", "70")
    assert Din("G123417654321").check_character == "A"
    assert reference_check_character("G123417654321") == "A"


@pytest.mark.parametrize("din", ["A99992600000", "A99992600001", "A99992699999", "W12342500042", "Z0A9Z99123456"])
def test_check_character_matches_the_iso_definition(din):
    """Fixed DINs (the 12-character ones padded with 0) against the reference implementation."""
    din = din.ljust(13, "0")
    assert check_character(din) == reference_check_character(din)
    assert iso_checksum(din + check_character(din)) == 1


@SETTINGS
@given(chars(ALNUM, 13))
def test_check_character_satisfies_the_checksum(din):
    """Any 13 characters of 0-9A-Z: K agrees with the reference, and the string with K has checksum 1."""
    k = check_character(din)
    assert k == reference_check_character(din)
    assert iso_checksum(din + k) == 1
    assert type3_flag(din) == 60 + ISO_ALPHABET.index(k)


@SETTINGS
@given(dins)
def test_every_single_substitution_changes_the_check_character(din):
    k = check_character(din)
    for position in range(13):
        for other in ALNUM.replace(din[position], ""):
            changed = din[:position] + other + din[position + 1:]
            assert check_character(changed) != k, (din, changed)


@SETTINGS
@given(dins)
def test_every_adjacent_transposition_changes_the_check_character(din):
    k = check_character(din)
    for position in range(12):
        if din[position] != din[position + 1]:
            swapped = din[:position] + din[position + 1] + din[position] + din[position + 2:]
            assert check_character(swapped) != k, (din, swapped)


@pytest.mark.parametrize(("din", "message"), [
    ("G12341765432", "expected 13 characters"),
    ("G1234176543210", "expected 13 characters"),
    ("G12341765432*", r"character '\*' at position 13 is not one of 0-9, A-Z"),
    ("g123417654321", "character 'g' at position 1"),
])
def test_check_character_refuses_bad_input(din, message):
    with pytest.raises(Malformed, match=message):
        check_character(din)


# --- round trips -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("strategy", "parser"), [
    (din_structures, parse_din), (product_codes, parse_product_code), (expirations, parse_expiration),
    (chains, parse_chain_of_identity), (compounds, parse_compound),
], ids=["din", "product_code", "expiration", "chain_of_identity", "compound"])
def test_parse_encode_round_trip(strategy, parser):
    @SETTINGS
    @given(strategy)
    def round_trip(structure):
        assert parser(structure.encode()) == structure
        assert parse(structure.encode()) == structure

    round_trip()


@SETTINGS
@given(st.lists(st.one_of(din_structures, product_codes, expirations, chains), min_size=1, max_size=4))
def test_concatenated_structures_parse_back_in_order(structures):
    """What a scanner sends when it reads several symbols of one label together."""
    assert parse_structures("".join(s.encode() for s in structures)) == tuple(structures)


@SETTINGS
@given(compounds)
def test_a_compound_message_gives_its_structures(compound):
    assert parse_structures(compound.encode()) == compound.structures


@pytest.mark.parametrize(("code", "message"), [
    ("", "expected a scanned ISBT 128 string"),
    ("=A99992600012300=<S1234V0", "structure 2 at position 17: product code: expected 8 characters"),
    ("=A99992600012300=+02000=A99992600012300=<S1234V00", "a compound message at position 17 is not allowed"),
    ("=A99992600012300XX", "data identifier 'XX' at position 17"),
])
def test_bad_concatenations_are_refused(code, message):
    with pytest.raises(Malformed, match=re.escape(message)):
        parse_structures(code)


@SETTINGS
@given(secs)
def test_sec_round_trip(sec):
    assert parse_sec(sec.encode()) == sec


def test_encodings():
    """Exact strings for hand-checked values."""
    assert Din("A99992600012" + "3").encode() == "=A999926000123" + "00"
    assert ProductCode("S1234", "V", "Aa").encode() == "=<S1234VAa"
    assert Expiration(dt.datetime(2026, 12, 31, 23, 59)).encode() == "&>0263652359"
    assert Expiration(dt.datetime(2028, 12, 31, 0, 5)).encode() == "&>0283660005"
    assert ChainOfIdentity("A9999", "26", "ABC123").encode() == "&/CHA999926ABC123"
    compound = Compound((din_with_flag("G123417654321"), ProductCode("S1234", "V")))
    assert compound.encode() == "=+02000=G12341765432170=<S1234V00"
    sec = Sec.of("FR", "000123", Din("A99992600012" + "3"), ProductCode("S1234", "V", "B0"),
                 Expiration(dt.datetime(2027, 2, 3, 14, 0)))
    assert sec.encode() == "FR000123A999926000123 A00S12340B020270203"
    assert Sec("FR", "000123", "A999926000123", "S1234", "00", None).encode().endswith(" A00S123400000000000")


def test_din_parts():
    din = parse("=A99992600012385")
    assert (din.fin, din.year, din.sequence, din.check_character, din.flags) == ("A9999", "26", "000123", "P", "85")


# --- refusals ----------------------------------------------------------------------------------------------
SEC = "FR000123A999926000123 A00S123400020270203"
REFUSED = [
    # DIN
    (parse, "=G123417654", r"DIN: expected 13 characters and 2 flag digits after '=', got 10 characters"),
    (parse, "=G1234176543217", "DIN: expected 13 characters and 2 flag digits"),
    (parse, "=G12341765432171", r"DIN: flags 71 do not match check character A \(70\)"),
    (parse, "=G12341765432197", "DIN: flags 97 are not defined"),
    (parse, "=G123417654321AB", "DIN: flags 'AB' are not 2 digits"),
    (parse, "=g12341765432170", "DIN: facility identification number 'g1234'"),
    (parse, "=G12341X65432170", "DIN: year '1X' is not 2 digits"),
    (parse, "=G12341765432X70", "DIN: sequence number '65432X' is not 6 digits"),
    (parse_din, "=<S1234176543200", "DIN: facility identification number '<S123'"),
    (parse_din, "&>0263652359", "DIN: expected data identifier '=', got '&'"),
    # identifiers
    (parse, "=>026365", "unknown data identifier '=>'"),
    (parse, "%G12341765432170", "unknown data identifier '%G'"),
    (parse, "", "expected a scanned ISBT 128 string"),
    # product code
    (parse, "=<E1234V00", "product code: 'E1234' is not one of S, A, B, C, D followed by 4 digits"),
    (parse, "=<S12X4V00", "product code: 'S12X4' is not one of S, A, B, C, D"),
    (parse, "=<S1234-00", "product code: collection type '-' is not one letter or digit"),
    (parse, "=<S1234V0a", "product code: division '0a' is not 00"),
    (parse, "=<S1234V0", r"product code: expected 8 characters \(αooootds\) after '=<', got 7"),
    # expiration
    (parse, "&>0263670000", "expiration: Julian day 367 does not exist in 2026"),
    (parse, "&>0263660000", "expiration: Julian day 366 does not exist in 2026"),
    (parse, "&>0260000000", "expiration: Julian day 000 does not exist in 2026"),
    (parse, "&>0261002400", "expiration: hour 24 is not 00-23"),
    (parse, "&>0261002360", "expiration: minute 60 is not 00-59"),
    (parse, "&>02610023X9", "expiration: '02610023X9' is not 10 digits"),
    (parse, "&>026100235", r"expiration: expected 10 digits \(cyyjjjhhmm\) after '&>', got 9"),
    # chain of identity
    (parse, "&/XXA999926ABC123", "chain of identity: expected 'CH' after '&/', got 'XX'"),
    (parse, "&/CHA999926abc123", "chain of identity: 'abc123' is not 6 letters"),
    (parse, "&/CH9A99926ABC123", "chain of identity: facility identification number '9A999'"),
    (parse, "&/CHA9999X6ABC123", "chain of identity: year 'X6' is not 2 digits"),
    (parse, "&/CHA999926ABC12", "chain of identity: expected 15 characters"),
    # compound
    (parse, "=+03000=G12341765432170=<S1234V00", "compound: header announces 3 data structures, found 2"),
    (parse, "=+01000=G12341765432170=<S1234V00", "compound: header announces 1 data structures, found 2"),
    (parse, "=+01000=+01000=<S1234V00", "compound: a nested compound message at position 8 is not allowed"),
    (parse, "=+02000=G12341765432170=>026365", "compound: data identifier '=>' at position 24 is not allowed"),
    (parse, "=+02000=G12341765432171=<S1234V00", "compound: structure 1 at position 8: DIN: flags 71 do not match"),
    (parse, "=+02000=G12341765432170=<S1234V0", "compound: structure 2 at position 24: product code: expected 8"),
    (parse, "=+2000=<S1234V00", "compound: expected 5 digits"),
    (parse, "=+00000", "compound: holds 0 data structures, not 1 to 99"),
    # SEC
    (parse_sec, SEC.replace(" ", ""), r"SEC: expected donation .* got 40 characters"),
    (parse_sec, SEC.replace(" ", "  "), r"SEC: expected donation .* got 21 \+ 0 \+ 19 characters"),
    (parse_sec, SEC[:-1], r"SEC: expected donation .* got 21 \+ 18 characters"),
    (parse_sec, SEC.replace(" A00", " E00"), "SEC: coding system 'E' is not ISBT 128 \\('A'\\)"),
    (parse_sec, SEC.replace(" A00", " A10"), "SEC: product code must start with '00'"),
    (parse_sec, SEC.replace("S1234000", "S1234100"), "SEC: split number must be '0' followed by the division"),
    (parse_sec, SEC.replace("S1234000", "S12340a0"), "SEC: product code: division 'a0' is not 00"),
    (parse_sec, "fr" + SEC[2:], "SEC: country 'fr' is not 2 letters"),
    (parse_sec, SEC.replace("000123A", "00-123A"), "SEC: establishment code '00-123' is not 6"),
    (parse_sec, SEC.replace("A9999", "99999"), "SEC: DIN: facility identification number '99999'"),
    (parse_sec, SEC.replace("S1234", "T1234"), "SEC: product code: 'T1234' is not one of"),
    (parse_sec, SEC.replace("20270203", "20270230"), "SEC: expiry '20270230' is not a calendar date"),
    (parse_sec, SEC.replace("20270203", "2027-2-3"), "SEC: expiry '2027-2-3' is not 8 digits"),
]


@pytest.mark.parametrize(("parser", "code", "message"), REFUSED, ids=[f"{p.__name__}:{c}" for p, c, _ in REFUSED])
def test_malformed_input_is_refused_with_a_message_naming_the_problem(parser, code, message):
    with pytest.raises(Malformed, match=message):
        parser(code)


def test_malformed_is_a_value_error():
    assert issubclass(Malformed, ValueError)


def test_leap_day_366_is_accepted_in_a_leap_year():
    assert parse("&>0283660000") == Expiration(dt.datetime(2028, 12, 31))


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Din("G123417654321", "71"), r"flags 71 do not match check character A \(70\)"),
    (lambda: Din("G12341765432"), "DIN: expected 13 characters"),
    (lambda: din_with_flag("G1234176543X1"), "DIN: sequence number"),
    (lambda: Expiration(dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)), "naive local time"),
    (lambda: Expiration(dt.datetime(2026, 1, 1, 12, 0, 30)), "is not a whole minute"),
    (lambda: Expiration(dt.datetime(1999, 12, 31)), "year 1999 is outside 2000-2999"),
    (lambda: Expiration(dt.date(2026, 1, 1)), "expected a datetime, got date"),
    (lambda: Compound(()), "holds 0 data structures"),
    (lambda: Compound((Compound((Din("G123417654321"),)),)), "structure 1 is a Compound, not a data structure"),
    (lambda: Compound((Din("G123417654321"),), "0"), "reference '0' is not 3 digits"),
    (lambda: Compound((Din("G123417654321"),) * 100), "holds 100 data structures"),
    (lambda: Sec("FR", "000123", "A999926000123", "S1234", "00", dt.datetime(2027, 1, 1)), "is not a date"),
])
def test_invalid_values_cannot_be_built(build, message):
    with pytest.raises(Malformed, match=message):
        build()
