"""`column IN (ids)` for thousands of ids with the ids bound as one value: a PostgreSQL array, a SQLite JSON array.

A trace reaches a thousand units at a time; written as an expanding IN list, each id is a bound parameter that
SQLAlchemy coerces and renders and the database parses, which cost more than the query itself. One bound value
also keeps the statement the same whatever the number of ids (SQLAlchemy's compiled cache, the server's plans)
and under SQLite's limit of bound variables. The PostgreSQL array is bound as its text, '{1,2,3}', and cast by the
server: psycopg dumps a Python list of ints one element at a time, slower than the query. The rows are read
through the session's connection, as plain rows: the ORM's result machinery costs more than the rows themselves.
"""

import orjson
from sqlalchemy import Integer, Select, String, any_, bindparam, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.extensions import db


def one_of(column, ids):
    """The condition that column is one of the ids."""
    ordered = sorted(ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(cast(bindparam(None, "{" + ",".join(map(str, ordered)) + "}", type_=String),
                                   ARRAY(Integer)))
    values = func.json_each(bindparam(None, orjson.dumps(ordered).decode(), type_=String))
    return column.in_(select(literal_column("value")).select_from(values))


def rows(query: Select, column, ids) -> list:
    """The rows of the query whose column is one of the ids."""
    return db.session.connection().execute(query.where(one_of(column, ids))).all() if ids else []
