"""No import cycles among the package's modules (STYLE: small modules named after what they
hold, and no cycles between them).

The graph is read with `ast` by the layering test's import reader, so every import counts
wherever it sits: inside a function (a lazy import only postpones the cycle) and under
`if TYPE_CHECKING:` (the modules still depend on each other). `from a import b` counts as
importing `a` (its `__init__` runs first) and also `a.b` when b is a module.
"""

from __future__ import annotations

from pathlib import Path

from test_layering import PACKAGE_DIR, _module_name, _plant, imported_names

Edges = dict[str, dict[str, tuple[str, int]]]  # module -> imported module -> (file, line)


def import_graph(package_dir: Path) -> Edges:
    """Which of the package's modules each module imports, with where it first does."""
    root = package_dir.parent
    modules = {_module_name(path, root): path for path in sorted(package_dir.rglob("*.py"))}
    graph: Edges = {m: {} for m in modules}
    for module, path in modules.items():
        for line, name in imported_names(path, root):
            # A name inside a module (a class, a function) is an import of that module.
            target = name
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                graph[module].setdefault(target, (str(path.relative_to(root)), line))
    return graph


def strongly_connected(graph: Edges) -> list[list[str]]:
    """Tarjan's strongly connected components (iteratively: no recursion limit to meet),
    each sorted; only those of more than one module, which are the cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
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
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def describe(graph: Edges, cycle: list[str]) -> str:
    """A cycle and the imports that close it, each with where it is written."""
    members = set(cycle)
    lines = [f"cycle of {len(cycle)}: {' '.join(cycle)}"]
    for module in cycle:
        for target, (file, line) in sorted(graph[module].items()):
            if target in members:
                lines.append(f"  {file}:{line} {module} imports {target}")
    return "\n".join(lines)


def cycles_in(package_dir: Path) -> tuple[Edges, list[list[str]]]:
    graph = import_graph(package_dir)
    return graph, strongly_connected(graph)


def test_the_package_has_no_import_cycles():
    graph, cycles = cycles_in(PACKAGE_DIR)
    assert not cycles, f"{len(cycles)} import cycles:\n" + "\n".join(
        describe(graph, c) for c in cycles)


def test_the_graph_holds_the_lazy_and_type_checking_imports():
    """Read as the checker reads it, the real package has edges only a lazy import or a
    TYPE_CHECKING block makes (so a cycle through them would be seen)."""
    graph = import_graph(PACKAGE_DIR)
    # The opener imports the case window inside the function that shows it.
    assert "casework.ui.case_window.window" in graph["casework.ui.case_window.opener"]
    # The page context names the services only for type checking.
    assert "casework.services" in graph["casework.ui.page_context"]
    assert len(graph) > 100 and "casework.synthetic.care.records" in graph


def test_the_checker_names_planted_cycles(tmp_path):
    package = _plant(tmp_path, {
        "__init__.py": "",
        # An ordinary cycle of three, one link a relative import.
        "first.py": "from casework import second\n",
        "second.py": "from casework.third import thing\n",
        "third.py": "from .first import other\n",
        # A cycle only a lazy import closes.
        "eager.py": "from casework.lazy import later\n",
        "lazy.py": "def later():\n    from casework.eager import now\n    return now\n",
        # A cycle only a TYPE_CHECKING import closes.
        "typed.py": ("from typing import TYPE_CHECKING\n"
                     "if TYPE_CHECKING:\n    from casework.hinted import Hint\n"),
        "hinted.py": "import casework.typed\n",
        # A package whose __init__ imports a module that imports the package back.
        "pages/__init__.py": "from casework.pages.caseload import CaseloadPage\n",
        "pages/caseload.py": "from casework.pages import PageContext\n",
        # No cycles: a chain, and a module imported through its package.
        "chain_a.py": "from casework import chain_b\n",
        "chain_b.py": "import casework.widgets.banner\n",
        "widgets/__init__.py": "",
        "widgets/banner.py": "from casework.widgets import heading\n",
        "widgets/heading.py": "from PySide6.QtWidgets import QLabel\n",
    })

    graph, cycles = cycles_in(package)

    assert cycles == [
        ["casework.eager", "casework.lazy"],
        ["casework.first", "casework.second", "casework.third"],
        ["casework.hinted", "casework.typed"],
        ["casework.pages", "casework.pages.caseload"],
    ]
    text = describe(graph, ["casework.eager", "casework.lazy"])
    assert "casework/lazy.py:2 casework.lazy imports casework.eager" in text
    assert "casework/eager.py:1 casework.eager imports casework.lazy" in text


def test_the_graph_counts_a_from_import_as_the_package_and_the_module(tmp_path):
    package = _plant(tmp_path, {
        "__init__.py": "",
        "ui/__init__.py": "",
        "ui/widgets/__init__.py": "",
        "ui/widgets/banner.py": "",
        "ui/widgets/heading.py": "",
        "ui/page.py": ("from casework.ui.widgets import banner, Tone\n"
                       "from .widgets.heading import heading\n"),
    })

    graph = import_graph(package)

    assert set(graph["casework.ui.page"]) == {
        "casework.ui.widgets", "casework.ui.widgets.banner", "casework.ui.widgets.heading"}
    assert strongly_connected(graph) == []


def test_components_come_out_whole_on_a_long_ring_and_a_figure_of_eight():
    ring = {f"m{i}": {f"m{(i + 1) % 500}": ("f", 1)} for i in range(500)}
    assert strongly_connected(ring) == [sorted(ring)]

    at = ("f", 1)
    eight = {"a": {"b": at}, "b": {"a": at, "c": at}, "c": {"d": at}, "d": {"b": at}, "e": {"a": at}}
    assert strongly_connected(eight) == [["a", "b", "c", "d"]]
