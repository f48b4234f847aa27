"""Loading a record by id, or refusing with 404 in words."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db

from .errors import NotFound
from .validators import MAX_ID


def get_or_404(model, record_id: int, label: str):
    """The record of this model with this id; NotFound names what was missing."""
    record = db.session.get(model, record_id) if 1 <= record_id <= MAX_ID else None
    if record is None:
        raise NotFound(_("no %(label)s with id %(record_id)s", label=label, record_id=record_id))
    return record


def by_id(model, ids) -> dict:
    """The records of this model with these ids, by id, in one query (none for no ids)."""
    ids = set(ids)
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
