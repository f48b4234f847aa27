"""Recalls: QA stops everything descending from a donor, procurement, lot or material lot, and accounts for it."""

from . import receivers  # noqa: F401  (connects recalls to storage's and dispensing's signals)
