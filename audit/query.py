"""Reading the trail for people: filter, page, and unpack each entry's hashed payload."""

import datetime as dt
from dataclasses import dataclass

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .canonical import utc_iso
from .schema import audit_log


@dataclass(frozen=True)
class Filters:
    entity_type: str | None = None
    entity_id: str | None = None
    actor_username: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _conditions(filters: Filters) -> list:
    c = audit_log.c
    conditions = []
    for column, value in ((c.entity_type, filters.entity_type), (c.entity_id, filters.entity_id),
                          (c.actor_username, filters.actor_username), (c.action, filters.action)):
        if value:
            conditions.append(column == value)
    if filters.since:
        conditions.append(c.recorded_at >= utc_iso(filters.since))
    if filters.until:
        conditions.append(c.recorded_at < utc_iso(filters.until))
    return conditions


def entries(session: Session, filters: Filters, offset: int = 0, limit: int = 50) -> tuple[list[dict], int]:
    """Entries matching the filters, newest first, and how many match in all."""
    conditions = _conditions(filters)
    total = session.execute(select(func.count()).select_from(audit_log).where(*conditions)).scalar_one()
    rows = session.execute(
        select(audit_log.c.payload, audit_log.c.prev_hash, audit_log.c.entry_hash)
        .where(*conditions).order_by(audit_log.c.seq.desc()).offset(offset).limit(limit)
    ).all()
    return [{**orjson.loads(r.payload), "prev_hash": r.prev_hash, "entry_hash": r.entry_hash} for r in rows], total
