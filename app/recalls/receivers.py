"""Recalls' answers to what storage and dispensing ask before a unit or a dose is used."""

from app.dispensing.signals import units_in_use
from app.storage.signals import unit_leaving

from .blocking import recall_refusal


@unit_leaving.connect
def keep_recalled_unit(unit, doing, **kwargs) -> str | None:
    """A unit blocked by a recall is neither dispatched nor thawed."""
    return recall_refusal([unit], doing)


@units_in_use.connect
def keep_recalled_material(doing, units, dose, lock=True, **kwargs) -> str | None:
    """Vials and doses blocked by a recall are not allocated, prepared or dispensed."""
    return recall_refusal(units, doing, dose, lock)
