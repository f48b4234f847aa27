"""Doses: order, allocation of vials, preparation after thaw, the pharmacist's two-scan dispense, administration."""

from . import labels, receivers  # noqa: F401  (dose and patient labels; dose and patient barcodes in scans)
