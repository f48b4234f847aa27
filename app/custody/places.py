"""Where a unit is, as its custody events record it: one value type, formatted and parsed here and nowhere else.

A place is stored as a key in ``custody_events.from_place`` / ``to_place``; the keys are those the bank has always
written (no migration): ``lab``, ``person:<user id>``, ``box:<box id>:<row>:<col>``, ``shipment:<shipment id>``,
``gone``, and for doses ``dose:<dose id>`` (the vials pooled into a dose's syringe), ``ward:<patient id>`` (handed
to the ward for a patient) and ``patient:<patient id>`` (administered). ``str(place)`` is its key and
``parse(key)`` gives the place back.
"""

from dataclasses import dataclass

from sqlalchemy import or_


@dataclass(frozen=True)
class Lab:
    """In the laboratory, not yet in a box (a unit just made)."""

    def __str__(self) -> str:
        return "lab"


@dataclass(frozen=True)
class Person:
    """In the hands of a user (retrieved, thawed, received)."""

    user_id: int

    def __str__(self) -> str:
        return f"person:{self.user_id}"


@dataclass(frozen=True)
class BoxPosition:
    """In a box, at a row and column counted from 1."""

    box_id: int
    row: int
    col: int

    def __str__(self) -> str:
        return f"box:{self.box_id}:{self.row}:{self.col}"


@dataclass(frozen=True)
class InShipment:
    """Travelling in a shipment."""

    shipment_id: int

    def __str__(self) -> str:
        return f"shipment:{self.shipment_id}"


@dataclass(frozen=True)
class InDose:
    """Pooled into a dose's syringe (a thawed vial used for a dose)."""

    dose_id: int

    def __str__(self) -> str:
        return f"dose:{self.dose_id}"


@dataclass(frozen=True)
class Ward:
    """Handed by the pharmacy to the ward, for one patient."""

    patient_id: int

    def __str__(self) -> str:
        return f"ward:{self.patient_id}"


@dataclass(frozen=True)
class InPatient:
    """Administered to a patient."""

    patient_id: int

    def __str__(self) -> str:
        return f"patient:{self.patient_id}"


@dataclass(frozen=True)
class Gone:
    """No longer exists (destroyed)."""

    def __str__(self) -> str:
        return "gone"


Place = Lab | Person | BoxPosition | InShipment | InDose | Ward | InPatient | Gone
LAB, GONE = Lab(), Gone()
_WITH_IDS = {"person": (Person, 1), "box": (BoxPosition, 3), "shipment": (InShipment, 1), "dose": (InDose, 1),
             "ward": (Ward, 1), "patient": (InPatient, 1)}


def _number(part: str, key: str) -> int:
    if not part.isascii() or not part.isdigit():
        raise ValueError(f"{key!r} is not a custody place: {part!r} is not a number")
    return int(part)


def parse(key: str) -> Place:
    """The place a stored key names; ValueError for anything else."""
    if key == str(LAB):
        return LAB
    if key == str(GONE):
        return GONE
    kind, _, rest = key.partition(":")
    if kind not in _WITH_IDS:
        raise ValueError(f"{key!r} is not a custody place")
    place_type, count = _WITH_IDS[kind]
    parts = rest.split(":")
    if len(parts) != count:
        raise ValueError(f"{key!r} is not a custody place: {kind} takes {count} number(s)")
    return place_type(*(_number(part, key) for part in parts))


def parse_optional(key: str | None) -> Place | None:
    """The place of an event's ``from_place``, which is None on a unit's first event."""
    return None if key is None else parse(key)


def in_boxes(column, box_ids) -> object:
    """An SQL condition: the place key in this column is a position of one of these boxes."""
    return or_(*[column.like(f"box:{int(box_id)}:%") for box_id in box_ids])
