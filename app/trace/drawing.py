"""Lay a trace out for SVG: one column per step from the start, nodes stacked in each, lines along the edges."""

from collections import defaultdict, deque
from dataclasses import dataclass

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 190, 44, 40, 12, 10
#: beyond this many nodes the drawing shows lots and their origins only; the table below lists every node
MOST_DRAWN = 150
LEAVES = ("unit", "qc_result", "signature")


@dataclass(frozen=True)
class Box:
    key: str
    node_type: str
    label: str
    detail: str
    x: int
    y: int
    start: bool


def _distances(start: str, keys: set[str], edges: list[dict]) -> dict[str, int]:
    """Steps from the start along the edges, either way (a trace's edges all lead away from it)."""
    near = defaultdict(set)
    for edge in edges:
        if edge["from"] in keys and edge["to"] in keys:
            near[edge["from"]].add(edge["to"])
            near[edge["to"]].add(edge["from"])
    distance, queue = {start: 0}, deque([start])
    while queue:
        here = queue.popleft()
        for there in sorted(near[here] - distance.keys()):
            distance[there] = distance[here] + 1
            queue.append(there)
    return distance


def _detail(node: dict) -> str:
    return " · ".join(str(node[name]).replace("_", " ") for name in ("kind", "state", "status", "outcome", "meaning")
                      if node.get(name))


def layout(answer: dict) -> dict:
    """Boxes, lines and the drawing's size; ``left_out`` counts the nodes too many to draw."""
    start, nodes = answer["summary"]["from"], answer["nodes"]
    drawn = nodes if len(nodes) <= MOST_DRAWN else [n for n in nodes if n["type"] not in LEAVES or n["key"] == start]
    distance = _distances(start, {n["key"] for n in drawn}, answer["edges"])
    columns: dict[int, list[dict]] = defaultdict(list)
    for node in drawn:
        columns[distance.get(node["key"], 0)].append(node)
    boxes = {}
    for column, members in sorted(columns.items()):
        for row, node in enumerate(members):
            boxes[node["key"]] = Box(node["key"], node["type"], node["label"], _detail(node),
                                     MARGIN + column * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y),
                                     node["key"] == start)
    lines = []
    for edge in answer["edges"]:
        a, b = boxes.get(edge["from"]), boxes.get(edge["to"])
        if a and b:
            left, right = (a, b) if a.x <= b.x else (b, a)
            lines.append((left.x + BOX_W, left.y + BOX_H // 2, right.x, right.y + BOX_H // 2))
    tallest = max((len(m) for m in columns.values()), default=1)
    return {"boxes": list(boxes.values()), "lines": lines, "box_w": BOX_W, "box_h": BOX_H,
            "width": MARGIN * 2 + len(columns) * (BOX_W + GAP_X) - GAP_X,
            "height": MARGIN * 2 + tallest * (BOX_H + GAP_Y) - GAP_Y, "left_out": len(nodes) - len(drawn)}
