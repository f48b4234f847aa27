"""Monitoring's answers to what storage announces and asks (app/storage/signals.py)."""

from app.storage.signals import flagged_units, unit_leaving, units_placed

from . import operations


@units_placed.connect
def flag_placed_units(actor, units, **kwargs) -> None:
    """Units placed into a storage unit while an excursion goes on there are flagged at once."""
    operations.flag_if_in_excursion(units)


@unit_leaving.connect
def keep_flagged_unit(unit, doing, **kwargs) -> str | None:
    """A unit with an open excursion flag stays until QA assesses it."""
    return operations.flag_refusal(unit, doing)


@flagged_units.connect
def flagged_in_box(box, unit_ids, **kwargs) -> set[int]:
    return operations.flagged_unit_ids(unit_ids)
