"""The graph walk: level by level, one query per edge kind and level, never one per node.

An edge kind from a type to itself (a lot derived into a lot) is followed to its end at once, in one recursive
query, so a genealogy of any depth costs one query: a trace from a donor is about 7 levels (donor, procurement,
lots, vials, doses, syringes, patients), a score of queries whatever the number of lots and units it reaches.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.lookup import get_or_404
from app.extensions import db

from .idlists import one_of, rows
from .registry import EDGE_KINDS, NODE_TYPES, EdgeKind, key

FORWARD, BACKWARD = "forward", "backward"
DIRECTIONS = (FORWARD, BACKWARD)


@dataclass
class Reached:
    """The ids reached, by node type, and the edges between them as (source key, target key, kind)."""

    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    edges: set[tuple[str, str, str]] = field(default_factory=set)


def _step(kind: EdgeKind, ids: set[int], forward: bool) -> list[tuple[int, int]]:
    """The (source id, target id) pairs of this edge kind leaving these ids in the walk's direction."""
    return rows(kind.pairs(), kind.source_column if forward else kind.target_column, ids)


def _closure(kind: EdgeKind, ids: set[int], forward: bool) -> list[tuple[int, int]]:
    """The (source id, target id) pairs of a kind from a type to itself reachable from these ids, to the end."""
    near, far = (0, 1) if forward else (1, 0)
    first = kind.pairs().subquery()
    chain = (select(first.c[0].label("source"), first.c[1].label("target")).where(one_of(first.c[near], ids))
             .cte("chain", recursive=True))
    more = kind.pairs().subquery()
    chain = chain.union(select(more.c[0], more.c[1]).join(chain, more.c[near] == chain.c[far]))
    return db.session.execute(select(chain.c.source, chain.c.target)).all()


def _follow(kind: EdgeKind, ids: set[int], forward: bool, reached: Reached, to_the_end: bool = False) -> set[int]:
    """Add the edges of this kind leaving these ids (and, to_the_end, those leaving where they lead, and so on);
    the ids they lead to that were not reached before."""
    far = kind.target if forward else kind.source
    new = set()
    for source_id, target_id in (_closure(kind, ids, forward) if to_the_end else _step(kind, ids, forward)):
        reached.edges.add((key(kind.source, source_id), key(kind.target, target_id), kind.kind))
        next_id = target_id if forward else source_id
        if next_id not in reached.ids[far]:
            new.add(next_id)
    return new


def walk(start_type: str, start_id: int, direction: str) -> Reached:
    """Every node reachable from the start in the direction, with the edges; evidence too when backward."""
    get_or_404(NODE_TYPES[start_type].model, start_id, start_type)
    forward = direction == FORWARD
    reached = Reached()
    reached.ids[start_type].add(start_id)
    frontier = {start_type: {start_id}}
    walked = [k for k in EDGE_KINDS if not k.evidence]
    closed: dict[str, set[int]] = defaultdict(set)  # ids whose edges to their own type were followed to the end
    while frontier:
        found: dict[str, set[int]] = defaultdict(set)
        for kind in walked:
            near, far = (kind.source, kind.target) if forward else (kind.target, kind.source)
            to_the_end = kind.source == kind.target
            ids = frontier.get(near, set()) - (closed[near] if to_the_end else set())
            if ids:
                new = _follow(kind, ids, forward, reached, to_the_end)
                if to_the_end:
                    closed[near] |= ids | new
                found[far] |= new
        for node_type, ids in found.items():
            reached.ids[node_type] |= ids
        frontier = {node_type: ids for node_type, ids in found.items() if ids}
    if not forward:
        for kind in (k for k in EDGE_KINDS if k.evidence):
            if reached.ids.get(kind.source):
                reached.ids[kind.target] |= _follow(kind, reached.ids[kind.source], True, reached)
    return reached
