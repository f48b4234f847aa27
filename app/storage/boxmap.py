"""A box as a grid of cells: free, occupied or blocked, and whether the unit in it is flagged by an excursion."""

from sqlalchemy import select

from app.extensions import db

from .locations import blocked_positions, check_position
from .models import StorageLocation, Unit
from .signals import flagged_units


def box_map(box: StorageLocation) -> dict:
    check_position(box, 1, 1)
    units = {(u.row, u.col): u for u in db.session.scalars(select(Unit).where(Unit.box_id == box.id))}
    blocked = blocked_positions(box)
    unit_ids = [u.id for u in units.values()]
    flagged = set().union(*(ids for _, ids in flagged_units.send(box, unit_ids=unit_ids))) if unit_ids else set()
    cells = []
    for row in range(1, box.rows + 1):
        for col in range(1, box.columns + 1):
            unit = units.get((row, col))
            status = "occupied" if unit else "blocked" if (row, col) in blocked else "free"
            cells.append({"row": row, "col": col, "label": box.position_label(row, col), "status": status,
                          "unit_id": unit.id if unit else None, "barcode": unit.barcode if unit else None,
                          "flagged": unit is not None and unit.id in flagged})
    return {"box": box, "cells": cells}
