"""The shipment list, filtered: one query for the API and the page."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .models import Shipment


def filtered_shipments(query: dict):
    """Shipments newest first, with their items, narrowed to received or in transit."""
    statement = select(Shipment).options(selectinload(Shipment.items)).order_by(Shipment.id.desc())
    if query.get("received") is not None:
        statement = statement.where(Shipment.received_at.is_not(None) if query["received"]
                                    else Shipment.received_at.is_(None))
    return statement
