"""Queries over the trail shared by the API and the page."""

import audit
from app.extensions import db


def search(query: dict) -> dict:
    """One page of entries matching the filters, newest first."""
    filters = audit.Filters(entity_type=query.get("entity_type"), entity_id=query.get("entity_id"),
                            actor_username=query.get("user"), action=query.get("action"),
                            since=query.get("since"), until=query.get("until"))
    page, per_page = query.get("page", 1), query.get("per_page", 50)
    items, total = audit.entries(db.session, filters, (page - 1) * per_page, per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def verify() -> audit.Verdict:
    return audit.verify(db.session.connection())
