"""The shape of the package: one direction of flow, small rooms, short functions.

Read from the source with ``ast``, so that these hold for every module, imported or not:
the modules of ``portinfo`` import each other without a cycle (imports inside functions
count; those under ``if TYPE_CHECKING:`` do not, since they never run), the registry stays
a thin facade, and no function grows past what a reader takes in at once.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import portinfo

PACKAGE = Path(portinfo.__file__).parent
LONGEST_FUNCTION = 60
"""Lines, from ``def`` to the last line of the body."""
REGISTRY_LINES = 300


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("portinfo", *parts)).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[str]:
    """The portinfo modules that ``node`` imports when it runs."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports(other)
            continue
        if isinstance(child, ast.ImportFrom) and (child.module or "").startswith("portinfo"):
            assert child.module is not None
            yield child.module
            if child.module == "portinfo":  # from portinfo import _x: a module, maybe
                yield from (f"portinfo.{alias.name}" for alias in child.names)
        elif isinstance(child, ast.Import):
            yield from (a.name for a in child.names if a.name.startswith("portinfo"))
        yield from _imports(child)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target in _imports(tree) if target in modules and target != name}
        for name, tree in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph``, as the modules along it, or ``None``."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    assert graph["portinfo._registry"]  # the imports are found at all
    assert "portinfo._resolve" in graph["portinfo._registry"]  # inside a function, too
    cycle = _cycle({name: targets - {"portinfo"} for name, targets in graph.items()})
    assert cycle is None, " -> ".join(cycle or ())


def test_the_registry_is_a_thin_facade() -> None:
    lines = (PACKAGE / "_registry.py").read_text(encoding="utf-8").count("\n")
    assert lines < REGISTRY_LINES


def _functions() -> Iterator[tuple[str, int]]:
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                yield f"{name}.{node.name}", node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("where", ["portinfo._registry.Registry.lookup"])
def test_functions_are_found(where: str) -> None:
    assert where.rpartition(".")[2] in {name.rpartition(".")[2] for name, _ in _functions()}


def test_no_function_is_longer_than_a_screen() -> None:
    long = [f"{name} ({lines} lines)" for name, lines in _functions() if lines > LONGEST_FUNCTION]
    assert not long, long
