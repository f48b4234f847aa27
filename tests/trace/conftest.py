"""The branching two-donor bank (tests/trace/branching.py) as a fixture."""

import pytest

from tests.trace.branching import build_branching


@pytest.fixture
def branching(bank, tank):
    return build_branching(bank, tank)
