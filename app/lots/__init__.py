"""Lots and their genealogy: tissue lots from procurements, derived lots, process steps and deviations."""
