"""The house's floors (docs/architecture.md): a package imports only from
itself or from lower floors, and no two modules import each other, directly
or round a longer circle.

Every ``import`` and ``from ... import`` is read with :mod:`ast`, including
those inside functions: a lazy import still ties the two modules together.
Each failure names the file and line of the import to move.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Ground floor first. Packages on one floor may not import each other.
FLOORS: list[set[str]] = [
    {"core"},
    {"commissioning"},
    {"accounts"},
    {"ehc", "roles"},
    {"enquiries", "improvement", "governance"},
    {"reports"},
    {"api"},
    {"portal"},
    {"config"},
]
FLOOR_OF = {package: number for number, floor in enumerate(FLOORS) for package in floor}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: str  # its file, relative to the repository
    line: int
    target: str  # the imported module, dotted, as far as it is ours

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _our_modules() -> dict[str, Path]:
    modules = {}
    for package in FLOOR_OF:
        directory = ROOT / package
        if directory.is_dir():
            for path in directory.rglob("*.py"):
                modules[_module_name(path)] = path
    return modules


MODULES = _our_modules()


def _resolve(name: str) -> str | None:
    """The longest prefix of ``name`` that is one of our modules."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def _imports_of(module: str, path: Path) -> list[Import]:
    return _imports_in(
        module,
        path.read_text(encoding="utf-8"),
        path=str(path.relative_to(ROOT)),
        is_package=path.name == "__init__.py",
    )


def _imports_in(module: str, source: str, *, path: str, is_package: bool) -> list[Import]:
    tree = ast.parse(source, filename=path)
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # ``from ehc import models`` imports the module ehc.models.
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            names = [n for n in submodules if _resolve(n) == n] or [base]
        for name in names:
            target = _resolve(name)
            if target and target != module:
                found.append(Import(module, path, node.lineno, target))
    return found


IMPORTS = [imp for module, path in sorted(MODULES.items()) for imp in _imports_of(module, path)]


def _package(module: str) -> str:
    return module.split(".")[0]


def test_the_floors_are_all_known():
    """A new top-level package must be given its floor here and in the docs."""
    packages = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"
    }
    unplaced = packages - set(FLOOR_OF) - {"bench", "scripts"}
    assert not unplaced, f"give these packages a floor in FLOORS: {sorted(unplaced)}"


def test_imports_go_only_down_or_within_a_package():
    wrong = []
    for imp in IMPORTS:
        here, there = _package(imp.module), _package(imp.target)
        if here == there:
            continue
        if FLOOR_OF[there] > FLOOR_OF[here]:
            wrong.append(f"{imp}  (up: {there} is above {here})")
        elif FLOOR_OF[there] == FLOOR_OF[here]:
            wrong.append(f"{imp}  (sideways: {there} is beside {here})")
    assert not wrong, "imports against the floors:\n" + "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_modules():
    edges: dict[str, set[str]] = {}
    for imp in IMPORTS:
        # A package's __init__ re-exporting its own modules is not a cycle of
        # behaviour; everything else is.
        if MODULES[imp.module].name == "__init__.py" and imp.target.startswith(imp.module + "."):
            continue
        edges.setdefault(imp.module, set()).add(imp.target)
    circles = _cycles(edges)
    lines = []
    for circle in circles:
        members = set(circle)
        ties = [str(imp) for imp in IMPORTS if imp.module in members and imp.target in members]
        lines.append(" <-> ".join(circle) + "\n    " + "\n    ".join(ties))
    assert not circles, "import cycles:\n" + "\n".join(lines)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from ehc.models import Child\n", ["ehc.models"]),
        ("def f():\n    from reports import services\n", ["reports.services"]),
        ("import roles.models\n", ["roles.models"]),
    ],
)
def test_the_reader_sees_module_level_and_lazy_imports(source, expected):
    """The check itself can fail: a lazy import inside a function is read."""
    found = _imports_in("core.probe", source, path="core/probe.py", is_package=False)
    assert [imp.target for imp in found] == expected


def test_an_upward_import_is_named_with_its_line():
    found = _imports_in(
        "commissioning.probe",
        "import datetime\n\ndef f():\n    from ehc.models import Child\n",
        path="commissioning/probe.py",
        is_package=False,
    )
    assert [str(imp) for imp in found] == [
        "commissioning/probe.py:4: commissioning.probe imports ehc.models"
    ]
    assert FLOOR_OF["ehc"] > FLOOR_OF["commissioning"]


def test_the_cycle_finder_finds_a_circle_of_three():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(edges) == [["a", "b", "c"]]
