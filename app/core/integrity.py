"""A unique (or other integrity) constraint the database enforced becomes a 409 naming the rule, never a 500.

Operations check their rules first; the database still has the last word when two requests race, or when a rule
is only declared as a constraint. The error comes from a flush inside the view or from the commit in
app/core/transaction.py; both reach ``handle_integrity_error`` through Flask's error handlers.
"""

import re

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError

from app.extensions import db

from .errors import render_error

#: rules worth saying in the words of the domain; other constraints are named from their table and columns
RULES = {
    "uq_units_box_id": "one unit per box position",
    "uq_procurements_din": "a Donation Identification Number is given once",
    "uq_blocked_positions_box_id": "a box position is blocked once",
    "uq_shipment_items_shipment_id": "a unit travels once in a shipment",
    "uq_lot_parents_child_id": "a lot names each parent once",
    "uq_custody_events_unit_id": "a unit's custody events follow one another",
    "uq_temperature_readings_storage_unit_id": "one reading per storage unit and instant",
    "uq_excursion_flags_excursion_id": "a unit is flagged once per excursion",
    "uq_biovigilance_cases_report_id": "a biovigilance report id is given once: another case took it at the same "
                                       "moment, record the event again",
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def _constraint_name(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    match = _SQLITE_UNIQUE.search(str(error.orig))
    if match is None:
        return None
    columns = [name.split(".") for name in match.group(1).split(", ")]
    table = db.metadata.tables.get(columns[0][0])
    for constraint in table.constraints if table is not None else ():
        if isinstance(constraint, UniqueConstraint) and [c.name for c in constraint.columns] == [c for _, c in columns]:
            return constraint.name
    for column in table.columns if table is not None else ():
        if column.unique and [column.name] == [c for _, c in columns]:
            return f"uq_{table.name}_{column.name}"
    return f"uq_{columns[0][0]}_{'_'.join(c for _, c in columns)}"


def rule_of(error: IntegrityError) -> str:
    """The violated rule in words."""
    name = _constraint_name(error)
    if name is None:
        return "a constraint of the database refused this change"
    for prefix, words in RULES.items():
        if name.startswith(prefix):
            return f"{words} ({name})"
    if name.startswith("uq_"):
        return f"this value is already used and must be unique ({name})"
    return f"the database constraint {name} refused this change"


def handle_integrity_error(error: IntegrityError):
    db.session.rollback()
    rule = rule_of(error)
    return render_error(409, "Conflict", f"refused: {rule}; nothing was recorded", {"rule": [rule]})


def init_app(app) -> None:
    app.register_error_handler(IntegrityError, handle_integrity_error)
