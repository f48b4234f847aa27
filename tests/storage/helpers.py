"""Storage test helpers: the box shape of the shared tank, its boxes, and a tank filled with 1,000 units."""

from sqlalchemy import select

BOX = {"rows": 3, "columns": 3}


def boxes(tank: dict) -> list[dict]:
    """The tank's boxes (as the API returns the tank), rack by rack."""
    return [box for rack in tank["children"] for box in rack["children"]]


def fill_tank(app, actor_id: int, lot_ids: tuple[int, int]) -> dict:
    """Room B with tank LN2-B (2 racks × 5 boxes of 10 × 10) holding 500 units of each lot, and an empty LN2-C;
    built and committed through the operations (the tanks as the test set-up, the units acting as actor_id).
    Returns the two tanks' ids."""
    import audit
    from app.auth.models import User
    from app.core.transaction import unit_of_work
    from app.extensions import db
    from app.lots.operations import get_lot
    from app.storage import locations, operations
    from app.storage.models import StorageLocation

    big_box = {"rows": 10, "columns": 10}
    with app.app_context():
        actor = db.session.get(User, actor_id)
        with unit_of_work():
            audit.set_actor(db.session, None, "test-setup")
            site = locations.create_location(None, "site", "Site B")
            room = locations.create_location(site, "room", "Room B")
            source = locations.create_tank(room, "LN2-B", 2, 5, big_box, unit_type="ln2_vapour")
            target = locations.create_tank(room, "LN2-C", 1, 1, big_box, unit_type="ln2_vapour")
            audit.set_actor(db.session, actor.id, actor.username, actor.roles)
            made = []
            for lot_id in lot_ids:
                made += operations.create_units(get_lot(lot_id), actor, 500, "cryovial", 1, 1000)
            box_ids = db.session.scalars(select(StorageLocation.id).where(StorageLocation.kind == "box",
                                                                          StorageLocation.name.like("LN2-B%"))).all()
            for index, unit in enumerate(made):
                operations.store(unit, locations.get_location(box_ids[index // 100]), actor)
        return {"source": source.id, "target": target.id}
