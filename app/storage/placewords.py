"""Custody places in words, for pages and printed reports alike."""

from app.auth.models import User
from app.core.lookup import by_id
from app.custody import places

from .models import StorageLocation


def named_by(places_seen, actor_ids=()) -> tuple[dict, dict]:
    """The boxes and the users these places (and actors) name, by id, in one query each."""
    seen = [place for place in places_seen if place is not None]
    box_ids = {p.box_id for p in seen if isinstance(p, places.BoxPosition)}
    user_ids = {p.user_id for p in seen if isinstance(p, places.Person)} | set(actor_ids)
    return by_id(StorageLocation, box_ids), by_id(User, user_ids)


def in_words(place: places.Place | None, boxes: dict, users: dict) -> str:
    """Where a custody place is, in words a person reads."""
    match place:
        case None:
            return "—"
        case places.BoxPosition(box_id, row, col) if box_id in boxes:
            box = boxes[box_id]
            return f"{box.name}, {box.position_label(row, col)}"
        case places.Person(user_id):
            user = users.get(user_id)
            return f"in the hands of {user.full_name if user else f'user {user_id}'}"
        case places.InShipment(shipment_id):
            return f"shipment {shipment_id}"
        case places.InDose(dose_id):
            return f"pooled into dose {dose_id}"
        case places.Ward(patient_id):
            return f"on the ward, for patient {patient_id}"
        case places.InPatient(patient_id):
            return f"administered to patient {patient_id}"
        case places.Lab():
            return "the laboratory"
        case places.Gone():
            return "gone (no longer exists)"
    return str(place)
