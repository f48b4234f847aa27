"""Lay the genealogy DAG out in rows by generation, for drawing as SVG."""

from dataclasses import dataclass

from app.core.terms import term

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 170, 46, 30, 50, 10
#: widths of a 13 px character, bold and regular, generous for system-ui fonts: a box fits its longest label
BOLD_CHAR_W, CHAR_W, PADDING = 8.5, 7.5, 16


@dataclass(frozen=True)
class Box:
    id: int
    number: str
    kind: str
    state: str
    caption: str  #: the second line: kind and state in words
    x: int
    y: int
    current: bool


def layout(lot_id: int, nodes, edges: list[dict]) -> dict:
    """Boxes (one row per generation), parent → child lines, and the drawing's size."""
    parents: dict[int, list[int]] = {n.id: [] for n in nodes}
    for edge in edges:
        parents[edge["child_id"]].append(edge["parent_id"])
    depth: dict[int, int] = {}

    def generation(node_id: int) -> int:
        if node_id not in depth:
            depth[node_id] = 1 + max((generation(p) for p in parents[node_id]), default=-1)
        return depth[node_id]

    box_w = max([BOX_W] + [round(PADDING + max(BOLD_CHAR_W * len(n.number), CHAR_W * len(second_line(n))))
                           for n in nodes])
    rows: dict[int, list] = {}
    for node in nodes:
        rows.setdefault(generation(node.id), []).append(node)
    boxes = {}
    for row, members in rows.items():
        for column, node in enumerate(members):
            boxes[node.id] = Box(node.id, node.number, node.kind, node.state, second_line(node),
                                 MARGIN + column * (box_w + GAP_X), MARGIN + row * (BOX_H + GAP_Y), node.id == lot_id)
    lines = [(boxes[e["parent_id"]].x + box_w // 2, boxes[e["parent_id"]].y + BOX_H,
              boxes[e["child_id"]].x + box_w // 2, boxes[e["child_id"]].y) for e in edges]
    width = MARGIN * 2 + max(len(m) for m in rows.values()) * (box_w + GAP_X) - GAP_X
    height = MARGIN * 2 + len(rows) * (BOX_H + GAP_Y) - GAP_Y
    return {"boxes": list(boxes.values()), "lines": lines, "width": width, "height": height, "box_w": box_w,
            "box_h": BOX_H}


def second_line(node) -> str:
    """The box's second line: the lot's kind and state in the reader's words."""
    return f"{term(node.kind).replace('_', ' ')} · {term(node.state).replace('_', ' ')}"
