"""The graph walk: level by level, one IN query per edge kind and level, never one per node.

A lot genealogy 6 deep from a donor is about 9 levels (donor, procurement, 6 lots, units), so a trace costs a few
dozen queries whatever the number of lots and units it reaches.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from app.core.lookup import get_or_404

from .idlists import rows
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


def _follow(kind: EdgeKind, ids: set[int], forward: bool, reached: Reached) -> set[int]:
    """Add the edges of this kind leaving these ids; the ids they lead to that were not reached before."""
    far = kind.target if forward else kind.source
    new = set()
    for source_id, target_id in _step(kind, ids, forward):
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
    while frontier:
        found: dict[str, set[int]] = defaultdict(set)
        for kind in walked:
            near, far = (kind.source, kind.target) if forward else (kind.target, kind.source)
            if frontier.get(near):
                found[far] |= _follow(kind, frontier[near], forward, reached)
        for node_type, ids in found.items():
            reached.ids[node_type] |= ids
        frontier = {node_type: ids for node_type, ids in found.items() if ids}
    if not forward:
        for kind in (k for k in EDGE_KINDS if k.evidence):
            if reached.ids.get(kind.source):
                reached.ids[kind.target] |= _follow(kind, reached.ids[kind.source], True, reached)
    return reached
