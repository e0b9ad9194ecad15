"""`rolegraph.api` is the one door: the CLI and the web app reach the stages only through it.

An import-linter rule written as an ``ast`` walk: every import of the ``rolegraph`` package in
``cli.py`` and in ``web/`` (type-only imports included) names ``api``, ``errors``, ``formats``,
``text`` (the ``plural`` helper) or ``__version__``; the web app also imports its own modules.
``api`` itself stays cheap to import: it re-exports what the CLI and the web use from the stages
and imports each on first use.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rolegraph
from rolegraph import api

PACKAGE = Path(rolegraph.__file__).parent
DOORS = {"rolegraph.api", "rolegraph.errors", "rolegraph.formats", "rolegraph.text"}
FROM_ROOT = {"__version__", "api", "errors", "formats", "text"}  # `from rolegraph import X`


def package_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module or ``rolegraph:name``) for every import of the rolegraph package in ``path``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "rolegraph"]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import"
            if node.module == "rolegraph":
                found += [(node.lineno, f"rolegraph:{alias.name}") for alias in node.names]
            elif node.module is not None and node.module.split(".")[0] == "rolegraph":
                found.append((node.lineno, node.module))
    return found


def outside_the_door(path: Path, own: str | None = None) -> list[str]:
    wrong = []
    for line, module in package_imports(path):
        allowed = (
            module in DOORS
            or (module.startswith("rolegraph:") and module.partition(":")[2] in FROM_ROOT)
            or (
                own is not None and (module == own or module.startswith(own + ".") or module == f"rolegraph:{own[10:]}")
            )
        )
        if not allowed:
            wrong.append(f"{path.name}:{line}: {module}")
    return wrong


def test_the_cli_imports_only_the_api_errors_and_formats() -> None:
    assert package_imports(PACKAGE / "cli.py")  # the walk sees the imports inside command bodies
    assert outside_the_door(PACKAGE / "cli.py") == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "web").glob("*.py")), ids=lambda p: p.name)
def test_the_web_app_imports_only_the_api_errors_formats_and_itself(path: Path) -> None:
    assert outside_the_door(path, own="rolegraph.web") == []


def test_the_rule_catches_a_stage_import(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "from rolegraph import api, query\nimport rolegraph.ask.store\n"
        "def f():\n    from rolegraph.roles.distance import DistanceConfig\n    from rolegraph.web.app import serve\n",
        encoding="utf-8",
    )
    shown = [line.split(": ", 1)[1] for line in outside_the_door(source)]
    assert shown == ["rolegraph:query", "rolegraph.ask.store", "rolegraph.roles.distance", "rolegraph.web.app"]


def test_every_reexport_resolves_to_its_stage() -> None:
    for name, module in api._REEXPORTS.items():
        assert getattr(api, name) is getattr(__import__(module, fromlist=[name]), name)
    for name in api.__all__:
        assert getattr(api, name) is not None
    with pytest.raises(AttributeError, match="no_such_name"):
        api.no_such_name  # noqa: B018


def test_importing_the_api_loads_no_stage() -> None:
    code = "import sys, rolegraph.api; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    heavy = {"pyoxigraph", "networkx", "numpy", "pyshacl", "starlette", "click"}
    stages = ("rolegraph.ask", "rolegraph.roles", "rolegraph.graph.rdf", "rolegraph.publish", "rolegraph.web")
    assert loaded & heavy == set()
    assert sorted(m for m in loaded if m in stages or m.startswith(tuple(s + "." for s in stages))) == []


# The floors of docs/architecture.md: each group of modules may import only the groups named here
# (and itself). A module in no group fails the test, so a new module gets a floor in the doc first.
BASE = ("text", "formats", "errors", "resources")  # imported from every floor
LAYERS: dict[str, frozenset[str]] = {
    "base": frozenset({"base"}),
    "pages": frozenset({"base", "pages"}),
    "graph": frozenset({"base", "pages", "graph"}),
    "ask": frozenset({"base", "pages", "graph", "ask"}),
    "roles": frozenset({"base", "pages", "graph", "ask", "roles"}),
    "align": frozenset({"base", "pages", "graph", "ask", "roles", "align"}),
    "publish": frozenset({"base", "pages", "graph", "ask", "roles", "align", "publish"}),
    "api": frozenset({"base", "pages", "graph", "ask", "roles", "align", "publish", "api"}),
    "web": frozenset({"base", "api", "web"}),  # narrowed further by the one-door tests
    "front": frozenset({"base", "api", "front"}),  # cli, __main__: narrowed further by the one-door tests
}
#: imports allowed to point up, each only where it is named: type-only (under ``if TYPE_CHECKING:``):
#: ``ValidationFailed`` carries a ``Report``; inside a function: ``api.serve`` starts the web app
TYPE_ONLY_UP = {("rolegraph.errors", "rolegraph.graph.validate")}
LAZY_UP = {("rolegraph.api", "web")}


#: the first name after ``rolegraph.`` -> its floor (``graphio`` is the old path of ``graph.io``, kept for the README)
FLOOR_OF = dict.fromkeys(BASE, "base") | {
    **{name: name for name in ("pages", "graph", "ask", "roles", "align", "publish", "api", "web")},
    "graphio": "graph",
    "cli": "front",
    "__main__": "front",
}


def group_of(module: str) -> str | None:
    """The floor of a module named ``rolegraph.x.y`` (or ``rolegraph:name``, a name imported from the root)."""
    if module.startswith("rolegraph:"):
        name = module.partition(":")[2]
        return "base" if name == "__version__" else group_of(f"rolegraph.{name}")
    parts = module.split(".")[1:]
    if not parts or parts == ["__init__"]:
        return "base"
    return FLOOR_OF.get(parts[0])


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)


def import_lines_under(tree: ast.Module, kind: str) -> set[int]:
    """Lines of the imports inside ``if TYPE_CHECKING:`` (kind "type") or inside a function (kind "lazy")."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (kind == "type" and isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING") or (
            kind == "lazy" and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ):
            lines |= {inner.lineno for inner in ast.walk(node) if isinstance(inner, ast.ImportFrom | ast.Import)}
    return lines


def layer_breaks(path: Path, name: str) -> list[str]:
    """Every import in ``path`` (module ``name``) of a floor its own floor may not import."""
    own = group_of(name)
    if own is None:
        return [f"{name}: on no floor of docs/architecture.md"]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only, lazy = import_lines_under(tree, "type"), import_lines_under(tree, "lazy")
    wrong = []
    for line, module in package_imports(path):
        target = group_of(module)
        if target is not None and target in LAYERS[own]:
            continue
        if (line in type_only and (name, module) in TYPE_ONLY_UP) or (line in lazy and (name, target) in LAZY_UP):
            continue
        wrong.append(f"{name}:{line}: {module} ({own} may not import {target})")
    return wrong


def test_every_module_imports_only_its_floor_and_below() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 30
    wrong = [line for path in modules for line in layer_breaks(path, module_name(path))]
    assert wrong == []


def test_the_layer_rule_catches_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nfrom rolegraph.pages.model import Page\nfrom rolegraph import __version__\n"
        "def f():\n    from rolegraph.roles.distance import RoleGraph\n    from rolegraph import api\n"
        "if TYPE_CHECKING:\n    from rolegraph.ask.store import QueryStore\n",
        encoding="utf-8",
    )
    assert layer_breaks(source, "rolegraph.graph.rdf") == [
        "rolegraph.graph.rdf:5: rolegraph.roles.distance (graph may not import roles)",
        "rolegraph.graph.rdf:6: rolegraph:api (graph may not import api)",
        "rolegraph.graph.rdf:8: rolegraph.ask.store (graph may not import ask)",
    ]
    assert layer_breaks(source, "rolegraph.publish.export") == [
        "rolegraph.publish.export:6: rolegraph:api (publish may not import api)"
    ]
    assert layer_breaks(source, "rolegraph.newstage") == ["rolegraph.newstage: on no floor of docs/architecture.md"]


def test_the_named_exceptions_hold_only_where_named(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nfrom rolegraph.web.limits import DEFAULT_TIMEOUT\n"
        "def serve():\n    from rolegraph.web.app import serve\n"
        "if TYPE_CHECKING:\n    from rolegraph.graph.validate import Report\n",
        encoding="utf-8",
    )
    assert layer_breaks(source, "rolegraph.api") == ["rolegraph.api:2: rolegraph.web.limits (api may not import web)"]
    assert layer_breaks(source, "rolegraph.errors") == [
        "rolegraph.errors:2: rolegraph.web.limits (base may not import web)",
        "rolegraph.errors:4: rolegraph.web.app (base may not import web)",
    ]
