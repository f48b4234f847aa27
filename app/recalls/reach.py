"""What a recall reaches, from the forward trace: the lots, their units with where each is and what must happen to
it, and the doses made from them."""

from sqlalchemy import select

from app.dispensing.models import ALLOCATED, ORDERED, PREPARED, Dose
from app.donors.models import Donor, Procurement
from app.extensions import db
from app.lots.models import Lot
from app.materials.models import MaterialLot
from app.storage.models import Unit
from app.trace.idlists import one_of, rows
from app.trace.nodes import PLACE_COLUMNS, places_of
from app.trace.walk import FORWARD, walk

from .models import ADMINISTERED, DESTROY, DESTROYED, NOTHING, QUARANTINE, RETURN

#: undispensed doses: from the recall on, nothing may be done with them
UNDISPENSED = (ORDERED, ALLOCATED, PREPARED)
#: unit state -> what must happen to it
ACTIONS = {"in_storage": QUARANTINE, "quarantined": QUARANTINE, "in_transit": RETURN, "dispensed": RETURN,
           "returned": RETURN, "thawed": DESTROY, "prepared": DESTROY, "administered": NOTHING, "destroyed": NOTHING}
#: unit state -> the disposition it already has when the recall reaches it (nothing more can be done)
ENDED = {"administered": ADMINISTERED, "destroyed": DESTROYED}


def target_label(target_type: str, target_id: int) -> str | None:
    """The target in words, or None when there is no such record."""
    query = {"donor": select(Donor.code).where(Donor.id == target_id),
             "procurement": select("DIN " + Procurement.din).where(Procurement.id == target_id),
             "lot": select("lot " + Lot.number).where(Lot.id == target_id),
             "material": select(MaterialLot.name + ", lot " + MaterialLot.supplier_lot)
             .where(MaterialLot.id == target_id)}[target_type]
    label = db.session.scalar(query)
    return None if label is None else (f"donor {label}" if target_type == "donor" else label)


def lot_ids(target_type: str, target_id: int) -> list[int]:
    """Every lot descending from the target (the target itself when it is a lot)."""
    return sorted(walk(target_type, target_id, FORWARD).ids.get("lot", ()))


def lock_lots(ids: list[int]) -> list[Lot]:
    """The lots, their rows locked in id order until the commit (PostgreSQL): recalls and uses of them queue up."""
    return list(db.session.scalars(select(Lot).where(one_of(Lot.id, ids)).order_by(Lot.id).with_for_update()
                                   .execution_options(populate_existing=True))) if ids else []


def units_of(ids: list[int]) -> list:
    """Every unit of these lots (read after they are locked): id, barcode, state and where it is now."""
    found = rows(select(Unit.id, Unit.barcode, Unit.state, *PLACE_COLUMNS), Unit.lot_id, ids)
    where = places_of(found)
    return [(r, where.get(r.id)) for r in sorted(found, key=lambda r: r.id)]


def doses_of(ids: list[int]) -> list:
    """Every dose made from these lots: id, patient, state."""
    return sorted(rows(select(Dose.id, Dose.patient_id, Dose.state), Dose.lot_id, ids), key=lambda r: r.id)

