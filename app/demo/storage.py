"""Demo storage: an LN2 tank with racks and boxes, the released lot's vials placed in it during an excursion."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from app.auth.models import User
from app.core.types import utcnow
from app.extensions import db
from app.lots.models import Lot
from app.monitoring.operations import record_reading
from app.storage import locations, operations
from app.storage.models import StorageLocation

BOX = {"rows": 9, "columns": 9, "row_labels": "ABCDEFGHI"}
#: LN2-01 every 10 minutes over the two hours before the load: in range (-196 to -150 °C), then warmer from 60 min ago
READINGS = ("-190.4", "-190.9", "-191.2", "-190.6", "-189.8", "-190.1",
            "-145.0", "-138.0", "-139.4", "-142.7", "-146.1", "-148.8")


def build_tanks() -> StorageLocation:
    """The site, room and tanks, as an administrator configures them; answers LN2-01."""
    site = locations.create_location(None, "site", "CHU Rennes")
    room = locations.create_location(site, "room", "Cell therapy unit, cryostorage room")
    tank = locations.create_tank(room, "LN2-01", 2, 3, BOX, unit_type="ln2_vapour", min_temp_c=Decimal(-196),
                                 max_temp_c=Decimal(-150))
    locations.create_tank(room, "LN2-02 (backup)", 1, 2, BOX, unit_type="ln2_vapour", min_temp_c=Decimal(-196),
                          max_temp_c=Decimal(-150))
    return tank


def load_storage(technician: User, tank: StorageLocation) -> None:
    """The technician's readings of the tank and the released lot's vials stored in its first box."""
    first_box = db.session.scalar(select(StorageLocation).where(
        StorageLocation.kind == "box", StorageLocation.name == f"{tank.name} R1 box 1"))
    released = db.session.scalar(select(Lot).where(Lot.number == "DP-26-0001"))
    # Custody events are stamped when recorded (now): only an excursion still going on when the vials are stored
    # can have them present, so it opens in the past and ends with the reading taken after the placement.
    this_minute = utcnow().replace(second=0, microsecond=0)
    for minutes_ago, value in zip(range(120, 0, -10), READINGS, strict=True):
        record_reading(tank, this_minute - dt.timedelta(minutes=minutes_ago), Decimal(value), technician)
    for unit in operations.create_units(released, technician, 10, "cryovial", Decimal("1.5"), 25_000_000,
                                        qc_samples=2):
        operations.store(unit, first_box, technician)
    record_reading(tank, utcnow(), Decimal("-176.5"), technician)
