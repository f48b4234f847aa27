"""A trace as the API answers it: nodes, edges and a summary."""

from collections import Counter

from .registry import NODE_TYPES, key
from .walk import walk


def _summary(start: str, direction: str, nodes: list[dict], edges: list[dict]) -> dict:
    counts = Counter(node["type"] for node in nodes if node["key"] != start)
    by_state = {}
    for node_type in ("lot", "unit"):
        states = Counter(node["state"] for node in nodes if node["type"] == node_type and node["key"] != start)
        if states:
            by_state[node_type] = dict(sorted(states.items()))
    return {"from": start, "direction": direction, "counts": dict(sorted(counts.items())),
            "by_state": by_state, "edges": len(edges),
            "donors": sorted(n["label"] for n in nodes if n["type"] == "donor"),
            "dins": sorted({n["din"] for n in nodes if n["type"] in ("procurement", "lot")})}


def trace(start_type: str, start_id: int, direction: str) -> dict:
    """Everything reachable from <start_type>:<start_id> in the direction, each node with its label and facts."""
    reached = walk(start_type, start_id, direction)
    nodes = []
    for node_type, spec in NODE_TYPES.items():
        loaded = spec.load(reached.ids[node_type]) if reached.ids.get(node_type) else {}
        nodes += [{"key": key(node_type, node_id), "type": node_type, "id": node_id, **facts}
                  for node_id, facts in sorted(loaded.items())]
    edges = [{"from": source, "to": target, "kind": kind} for source, target, kind in sorted(reached.edges)]
    return {"nodes": nodes, "edges": edges,
            "summary": _summary(key(start_type, start_id), direction, nodes, edges)}
