"""Queries over the trail shared by the API and the page."""

from sqlalchemy import select

import audit
from app.auth.models import User
from app.extensions import db


def search(query: dict) -> dict:
    """One page of entries matching the filters, newest first."""
    filters = audit.Filters(entity_type=query.get("entity_type"), entity_id=query.get("entity_id"),
                            actor_username=query.get("user"), action=query.get("action"),
                            since=query.get("since"), until=query.get("until"))
    page, per_page = query.get("page", 1), query.get("per_page", 50)
    items, total = audit.entries(db.session, filters, (page - 1) * per_page, per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def choices() -> dict:
    """The filter choice lists: record types and actions present in the trail, users by printed name."""
    log = audit.audit_log.c

    def distinct(column) -> list[str]:
        return [value for value in db.session.scalars(select(column).distinct().order_by(column)) if value]

    names = dict(db.session.execute(select(User.username, User.full_name)).all())
    return {"entity_type": distinct(log.entity_type), "action": distinct(log.action),
            "user": [(username, f"{names.get(username, username)} ({username})")
                     for username in distinct(log.actor_username)]}


def verify() -> audit.Verdict:
    return audit.verify(db.session.connection())
