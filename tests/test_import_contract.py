"""No import circle anywhere in the project.

The import graph of the project's packages is built with grimp, which also counts imports made
inside functions and under ``TYPE_CHECKING``: an import moved into a function still makes a circle
between two modules, it only hides it from the interpreter. Importing a module also runs its
packages' ``__init__.py`` first, so an import of ``a.b.c`` counts as one of ``a.b`` too (a package
that re-exports from its modules can close a circle). Every strongly connected component of more
than one module is a circle; the test reports the shortest circle through each one, with the
import lines that form it, so the failure says which import to move down a layer.

Layer contracts (which module may import which) are import-linter's job: ``[tool.importlinter]``
in ``pyproject.toml``, run by ``lint-imports`` in ``.ci/run``. This test needs no database.
"""

from collections import deque
from itertools import pairwise

import grimp

ROOT_PACKAGES = ("config", "accounts", "approvals", "citizen_portal")


def project_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*ROOT_PACKAGES, include_external_packages=False, cache_dir=None)


def _edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Who imports whom. Importing ``a.b.c`` first runs ``a/__init__.py`` and ``a/b/__init__.py``,
    so the importer also depends on those packages (unless it lies inside them: a package's own
    modules run while it is being imported), and a package that re-exports from its modules is in
    a circle with any module it reaches that imports one of those modules."""
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            edges[importer].add(imported)
            parts = imported.split(".")
            for i in range(1, len(parts)):
                package = ".".join(parts[:i])
                if package in edges and importer != package and not importer.startswith(package + "."):
                    edges[importer].add(package)
    return edges


def strongly_connected_components(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is a few hundred modules, recursion would do, but a
    deep chain should not be able to hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges.get(succ, ())))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def shortest_cycle(edges: dict[str, set[str]], component: list[str]) -> list[str]:
    """The shortest circle inside one component: a breadth-first search back to each start."""
    members = set(component)
    best: list[str] = []
    for start in component:
        parent: dict[str, str | None] = {start: None}
        queue = deque([start])
        found = None
        while queue and found is None:
            node = queue.popleft()
            for succ in sorted(edges[node] & members):
                if succ == start:
                    found = node
                    break
                if succ not in parent:
                    parent[succ] = node
                    queue.append(succ)
        if found is None:
            continue
        path = [found]
        while parent[path[-1]] is not None:
            path.append(parent[path[-1]])
        path.reverse()
        if not best or len(path) < len(best):
            best = path
    return [*best, best[0]]


def import_cycles(graph: grimp.ImportGraph) -> list[tuple[list[str], list[str]]]:
    """(component, shortest circle) for every component of more than one module."""
    edges = _edges(graph)
    return [
        (component, shortest_cycle(edges, component))
        for component in strongly_connected_components(edges)
        if len(component) > 1
    ]


def describe(graph: grimp.ImportGraph, component: list[str], cycle: list[str]) -> str:
    lines = [f"circle of {len(component)} module(s): {', '.join(component)}", "  shortest: " + " -> ".join(cycle)]
    for importer, imported in pairwise(cycle):
        details = graph.get_import_details(importer=importer, imported=imported)
        for detail in details:
            lines.append(f"    {importer}:{detail['line_number']}: {detail['line_contents']}")
        if not details:  # a module of the package: importing it runs the package's __init__.py first
            for module in sorted(graph.find_modules_directly_imported_by(importer)):
                if module.startswith(imported + "."):
                    for detail in graph.get_import_details(importer=importer, imported=module):
                        lines.append(
                            f"    {importer}:{detail['line_number']}: {detail['line_contents']}"
                            f"  (runs {imported}/__init__.py)"
                        )
    return "\n".join(lines)


def test_the_project_has_no_import_circle():
    graph = project_graph()
    cycles = import_cycles(graph)
    assert not cycles, "import circles (move the shared piece down a layer):\n" + "\n".join(
        describe(graph, component, cycle) for component, cycle in cycles
    )


def test_the_circle_finder_reports_a_deliberate_circle():
    """The check itself: two modules importing each other are one component with a circle of two."""
    graph = project_graph()
    graph.add_import(importer="approvals.cases.clock", imported="approvals.supervision.reports.views")
    graph.add_import(importer="approvals.supervision.reports.views", imported="approvals.cases.clock")
    found = [cycle for _, cycle in import_cycles(graph) if "approvals.cases.clock" in cycle]
    assert found
    assert min(len(cycle) for cycle in found) == 3  # a -> b -> a


def test_a_circle_through_a_package_init_is_reported():
    """``other`` imports ``pkg.sub.a``, which first runs ``pkg/sub/__init__.py``; that re-exports
    from ``pkg.sub.b``, which imports ``other``: a circle although no module imports ``pkg.sub``."""
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.sub", "pkg.sub.a", "pkg.sub.b", "other"):
        graph.add_module(module)
    graph.add_import(importer="other", imported="pkg.sub.a")
    graph.add_import(importer="pkg.sub", imported="pkg.sub.b")
    graph.add_import(importer="pkg.sub.b", imported="other")
    [(component, cycle)] = import_cycles(graph)
    assert component == ["other", "pkg.sub", "pkg.sub.b"]
    assert cycle == ["other", "pkg.sub", "pkg.sub.b", "other"]
