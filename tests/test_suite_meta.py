"""The test suite's own promises: docs/guarantees.md and bench/mutate.py name tests that exist, and no test asserts
a time (only tests/helpers.py's hang bound)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

from tests.helpers import ROOT

NODE_ID = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def _missing(ids: list[tuple[str, str]]) -> list[str]:
    missing = []
    for file, name in ids:
        path = ROOT / file
        if not path.is_file() or (name and name not in _test_names(path)):
            missing.append(f"{file}::{name}" if name else file)
    return missing


def test_every_test_named_in_the_guarantees_exists() -> None:
    doc = (ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| ") and not line.startswith("| Promise")]
    assert len(rows) >= 20
    for row in rows:  # every promise names at least one test
        assert NODE_ID.search(row), row
    assert _missing([i for row in rows for i in NODE_ID.findall(row)]) == []


def test_every_test_named_by_the_mutation_check_exists() -> None:
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "bench" / "mutate.py")
    assert spec is not None and spec.loader is not None
    mutate = importlib.util.module_from_spec(spec)
    sys.modules["mutate"] = mutate  # dataclasses look their module up there
    try:
        spec.loader.exec_module(mutate)
    finally:
        del sys.modules["mutate"]
    ids = [(test.partition("::")[0], test.partition("::")[2]) for m in mutate.MUTATIONS for test in m.tests]
    assert len(mutate.MUTATIONS) >= 15
    assert _missing(ids) == []


def test_no_test_measures_time() -> None:
    """Speed is bench/run's; a test may only bound a hang (tests/helpers.py's no_hang)."""
    clocks = re.compile(r"\b(perf_counter|process_time|time\.time|timeit)\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "test_suite_meta.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if clocks.search(line)
    ]
    assert offenders == []


def test_no_test_module_imports_another() -> None:
    """What two test modules share lives in tests/helpers.py (functions) or a conftest.py (fixtures)."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            if any(re.search(r"(^|\.)(test_\w+|conftest)$", name) for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
