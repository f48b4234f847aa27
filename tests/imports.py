"""The import graph between the packages of app/, read from the source with ast, and its cycles."""

import ast
from pathlib import Path


def _imported(node: ast.AST, module: list[str], is_package: bool) -> list[str]:
    """The dotted names an import statement brings in (a from-import: the module and module.name)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module if is_package else module[:-1]
        base = base[:len(base) - (node.level - 1)]
        name = ".".join([*base, *([node.module] if node.module else [])])
    else:
        name = node.module or ""
    return [name, *(f"{name}.{alias.name}" for alias in node.names)]


def package_graph(root: Path, name: str = "app") -> dict[str, dict[str, str]]:
    """{package: {package it imports: "file:line; …"}} for the packages directly under root (directories of
    Python modules, with or without __init__.py)."""
    packages = {path.name for path in root.iterdir() if path.is_dir() and any(path.glob("*.py"))}
    graph: dict[str, dict[str, list[str]]] = {package: {} for package in packages}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] not in packages:
            continue  # the root's own modules (the app factory) put the packages together: not a feature
        module = [name, *relative.with_suffix("").parts]
        is_package = path.name == "__init__.py"
        if is_package:
            module = module[:-1]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for dotted in _imported(node, module, is_package):
                parts = dotted.split(".")
                if len(parts) > 1 and parts[0] == name and parts[1] in packages and parts[1] != relative.parts[0]:
                    graph[relative.parts[0]].setdefault(parts[1], []).append(f"{relative}:{node.lineno}")
    return {package: {other: "; ".join(sorted(set(where))) for other, where in imports.items()}
            for package, imports in graph.items()}


def _components(graph: dict) -> list[set[str]]:
    """Strongly connected components (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycles(graph: dict) -> list[list[str]]:
    """Each tangle of packages that import each other round in a circle, as a sorted list of its packages."""
    return sorted(sorted(component) for component in _components(graph) if len(component) > 1)


def edges_within(graph: dict, tangle: list[str]) -> list[str]:
    """The imports that tie a tangle together, in words: "a → b (file:line; …)"."""
    return [f"{a} → {b} ({graph[a][b]})" for a in tangle for b in tangle if b in graph[a]]
