"""Demo storage: an LN2 tank with racks and boxes, the released lot's vials placed in it."""

from decimal import Decimal

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.lots.models import Lot
from app.storage import locations, operations
from app.storage.models import StorageLocation

BOX = {"rows": 9, "columns": 9, "row_labels": "ABCDEFGHI"}


def load_storage(technician: User) -> None:
    site = locations.create_location(None, "site", "CHU Rennes")
    room = locations.create_location(site, "room", "Cell therapy unit, cryostorage room")
    tank = locations.create_tank(room, "LN2-01", 2, 3, BOX, unit_type="ln2_vapour", min_temp_c=Decimal(-196),
                                 max_temp_c=Decimal(-150))
    locations.create_tank(room, "LN2-02 (backup)", 1, 2, BOX, unit_type="ln2_vapour", min_temp_c=Decimal(-196),
                          max_temp_c=Decimal(-150))
    first_box = db.session.scalar(select(StorageLocation).where(
        StorageLocation.kind == "box", StorageLocation.name == f"{tank.name} R1 box 1"))
    released = db.session.scalar(select(Lot).where(Lot.number == "DP-26-0001"))
    for unit in operations.create_units(released, technician, 10, "cryovial", Decimal("1.5"), 25_000_000,
                                        qc_samples=2):
        operations.store(unit, first_box, technician)
