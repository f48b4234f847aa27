"""A custody place is one value type (app/custody/places.py): the keys stored in custody events are formatted and
parsed there and nowhere else, and they are the strings the bank has always stored."""

import ast
from pathlib import Path

import pytest

from app.custody import places
from app.custody.places import GONE, LAB, BoxPosition, InShipment, Person

ROOT = Path(__file__).resolve().parent.parent.parent
PLACES = ROOT / "app" / "custody" / "places.py"
#: what a place key is or begins with; a string like these anywhere else builds or reads a key by hand
KEYS, PREFIXES = ("lab", "gone"), ("box:", "person:", "shipment:")
STORED = {"lab": LAB, "gone": GONE, "person:7": Person(7), "box:12:3:4": BoxPosition(12, 3, 4),
          "shipment:5": InShipment(5)}


@pytest.mark.parametrize("key", sorted(STORED))
def test_each_stored_key_is_read_and_written_back_unchanged(key):
    assert places.parse(key) == STORED[key]
    assert str(places.parse(key)) == key


@pytest.mark.parametrize("key", ["", "box", "box:1:2", "box:1:2:3:4", "box:a:1:1", "person:", "person:-1",
                                 "person:1:2", "shipment:x", "room:1", "Lab", "lab ", "box:1:2:３"])
def test_anything_else_is_not_a_place(key):
    with pytest.raises(ValueError, match="not a custody place"):
        places.parse(key)


def test_a_custody_event_goes_to_a_place_not_to_a_string():
    from app.custody.operations import record

    with pytest.raises(TypeError, match="app.custody.places"):
        record(object(), "stored", "box:1:1:1", None)


def _keys_built_by_hand(path: Path) -> list[str]:
    """Strings and f-strings of a module that are, or begin like, a place key."""
    tree = ast.parse(path.read_text(), str(path))
    parts = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            text = node.value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            text = node.values[0].value
        else:
            continue
        if text in KEYS or text.startswith(PREFIXES):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_place_key_is_built_or_parsed_outside_the_places_module():
    """Keys were built by f-strings in eight places and parsed with startswith, split and LIKE in two more."""
    sources = [path for folder in ("app", "bench") for path in sorted((ROOT / folder).rglob("*.py"))]
    found = [line for path in sources if path != PLACES for line in _keys_built_by_hand(path)]
    assert _keys_built_by_hand(PLACES), "the scan finds the keys where they are built"
    assert not found, "place keys built or read by hand:\n" + "\n".join(found)
