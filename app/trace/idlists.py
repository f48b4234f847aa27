"""`column IN (ids)` for thousands of ids with the ids bound as one value: a PostgreSQL array, a SQLite JSON array.

A trace reaches a thousand units at a time; written as an expanding IN list, each id is a bound parameter that
SQLAlchemy coerces and renders and the database parses, which cost more than the query itself. One bound value
also keeps the statement the same whatever the number of ids (SQLAlchemy's compiled cache, the server's plans)
and under SQLite's limit of bound variables.
"""

import orjson
from sqlalchemy import Integer, Select, String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.extensions import db


def one_of(column, ids):
    """The condition that column is one of the ids."""
    ordered = sorted(ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ordered, type_=ARRAY(Integer)))
    values = func.json_each(bindparam(None, orjson.dumps(ordered).decode(), type_=String))
    return column.in_(select(literal_column("value")).select_from(values))


def rows(query: Select, column, ids) -> list:
    """The rows of the query whose column is one of the ids."""
    return db.session.execute(query.where(one_of(column, ids))).all() if ids else []
