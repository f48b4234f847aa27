"""Label fixtures: the ZPL renderer, one Node process for the session (pure code otherwise: no database)."""

import pytest

from tests.labels.zplrender import ZplRenderer, unavailable


@pytest.fixture(scope="session")
def zpl_renderer():
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    renderer = ZplRenderer()
    yield renderer
    renderer.close()
