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
        "from rolegraph import api, query\nimport rolegraph.store\n"
        "def f():\n    from rolegraph.distance import DistanceConfig\n    from rolegraph.web.app import serve\n",
        encoding="utf-8",
    )
    shown = [line.split(": ", 1)[1] for line in outside_the_door(source)]
    assert shown == ["rolegraph:query", "rolegraph.store", "rolegraph.distance", "rolegraph.web.app"]


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
    stages = {f"rolegraph.{m}" for m in ("store", "query", "distance", "index", "roles", "remote", "rdf", "web")}
    assert loaded & (heavy | stages) == set()
