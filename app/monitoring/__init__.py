"""Temperature monitoring: readings of storage units, excursions, and the flags they put on stored units."""

from . import receivers  # noqa: F401  (connects monitoring to storage's signals)
