"""An id set bound as one value: more ids than SQLite allows bound variables, none, and only those asked for."""

from sqlalchemy import select

from app.extensions import db
from app.lots.models import Lot
from app.trace.idlists import one_of
from tests.helpers import statements_run


def test_an_id_set_is_one_bound_value_whatever_its_size(app, drug_product, session):
    lots = sorted(session.scalars(select(Lot.id)))
    assert len(lots) >= 2
    many = set(range(lots[-1] + 1, lots[-1] + 40_000)) | set(lots[1:])  # more than SQLite's 32,766 variables
    with app.app_context(), statements_run(db.engine) as seen:
        found = sorted(session.scalars(select(Lot.id).where(one_of(Lot.id, many))))
        none = list(session.scalars(select(Lot.id).where(one_of(Lot.id, set()))))
    assert found == lots[1:] and none == []
    assert len(seen) == 2 and all(len(statement) < 300 for statement in seen), seen  # not one placeholder per id
