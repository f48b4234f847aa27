"""Exact unit conversion within a dimension; units of different dimensions are never compared."""

from decimal import Decimal

#: factor to the first unit of each group
_GROUPS = (
    {"%": Decimal(1)},
    {"cells": Decimal(1), "10^3 cells": Decimal(10) ** 3, "10^6 cells": Decimal(10) ** 6,
     "10^9 cells": Decimal(10) ** 9},
    {"cells/mL": Decimal(1), "10^6 cells/mL": Decimal(10) ** 6},
    {"EU/mL": Decimal(1)},
    {"mL": Decimal(1), "L": Decimal(1000), "µL": Decimal("0.001")},
    {"population doublings": Decimal(1)},
)
UNITS = tuple(unit for group in _GROUPS for unit in group)


class UnitMismatch(ValueError):
    """A value cannot be expressed in the wanted unit."""


def convert(value: Decimal, unit: str, to: str) -> Decimal:
    """Express value (in unit) in unit `to`, exactly."""
    if unit == to:
        return value
    for group in _GROUPS:
        if unit in group and to in group:
            return value * group[unit] / group[to]
    raise UnitMismatch(f"a value in {unit!r} cannot be compared with a criterion in {to!r}")
