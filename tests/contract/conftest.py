"""Contract fixtures: the storage tank and units of tests/storage, shared here."""

from tests.storage.conftest import tank, units  # noqa: F401  (fixtures shared with storage)
