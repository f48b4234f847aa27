"""The lot list, filtered: one query for the API and the page."""

from sqlalchemy import select

from .models import Lot


def filtered_lots(query: dict):
    """Lots by id, narrowed by state, kind and the start of their number."""
    statement = select(Lot).order_by(Lot.id)
    if query.get("state"):
        statement = statement.where(Lot.state == query["state"])
    if query.get("kind"):
        statement = statement.where(Lot.kind == query["kind"])
    if query.get("number"):
        statement = statement.where(Lot.number.startswith(query["number"], autoescape=True))
    return statement
