"""Long id lists in pieces: each IN list stays well under SQLite's 32,766 bound variables (PostgreSQL: 65,535)."""

from sqlalchemy import Select

from app.extensions import db

CHUNK = 5000


def in_chunks(ids) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start:start + CHUNK] for start in range(0, len(ordered), CHUNK)]


def rows(query: Select, column, ids) -> list:
    """The rows of the query whose column is one of the ids, a few thousand ids per query."""
    found = []
    for chunk in in_chunks(ids):
        found += db.session.execute(query.where(column.in_(chunk))).all()
    return found
