"""Monitoring fixtures: units stored in the shared tank (tests/conftest.py)."""

import pytest

from tests.storage.helpers import boxes


@pytest.fixture
def stored(bank, units, tank):
    """The first three units stored in positions A1, A2 of the first box and A1 of the last one; the fourth in hand."""
    places = [(boxes(tank)[0], "A1"), (boxes(tank)[0], "A2"), (boxes(tank)[-1], "A1")]
    for unit, (box, position) in zip(units, places, strict=False):
        bank.post(f"/api/v1/units/{unit['id']}/store", {"box_id": box["id"], "position": position}, expect=200)
    return units
