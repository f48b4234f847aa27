"""The lot DAG: ancestors, descendants, and the graph around a lot."""

from sqlalchemy import select

from app.extensions import db

from .models import Lot, LotParent


def _walk(start_ids: set[int], column_from, column_to) -> set[int]:
    seen, frontier = set(), set(start_ids)
    while frontier:
        nxt = set(db.session.scalars(select(column_to).where(column_from.in_(frontier))))
        frontier = nxt - seen
        seen |= nxt
    return seen


def ancestor_ids(lot: Lot) -> set[int]:
    return _walk({lot.id}, LotParent.child_id, LotParent.parent_id)


def descendant_ids(lot: Lot) -> set[int]:
    return _walk({lot.id}, LotParent.parent_id, LotParent.child_id)


def graph(lot: Lot) -> dict:
    """Every ancestor and descendant of the lot, and the parent → child edges between them."""
    ids = ancestor_ids(lot) | descendant_ids(lot) | {lot.id}
    lots = db.session.scalars(select(Lot).where(Lot.id.in_(ids)).order_by(Lot.id)).all()
    edges = db.session.execute(select(LotParent.parent_id, LotParent.child_id).where(
        LotParent.child_id.in_(ids), LotParent.parent_id.in_(ids)).order_by(LotParent.id)).all()
    return {"lot_id": lot.id, "nodes": lots, "edges": [{"parent_id": p, "child_id": c} for p, c in edges]}
