"""One family of errors, in one module: each class with its exit code, none defined elsewhere."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect

import pytest

from rolegraph import errors
from tests.helpers import ROOT

SRC = ROOT / "src" / "rolegraph"
DOCUMENTED_EXIT_CODES = {errors.EXIT_NONCONFORMING, errors.EXIT_BAD_INPUT, errors.EXIT_REMOTE, errors.EXIT_INTERNAL}
BUILTIN_EXCEPTIONS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
}
ERROR_CLASSES = [
    cls
    for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, BaseException) and cls.__module__ == errors.__name__
]


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _exception_classes_outside_errors() -> list[str]:
    """Every class in src/ whose bases lead to an exception, by name, to a fixed point (nested ones too)."""
    classes = [
        (path, node)
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    ]
    known = set(BUILTIN_EXCEPTIONS) | {"Exception", "BaseException"}
    found: set[tuple[str, str]] = set()
    changed = True
    while changed:
        changed = False
        for path, node in classes:
            if any(_base_name(base) in known for base in node.bases) and node.name not in known:
                known.add(node.name)
                changed = True
            if any(_base_name(base) in known for base in node.bases):
                found.add((str(path.relative_to(ROOT)), node.name))
    return sorted(f"{path}: {name}" for path, name in found if path != "src/rolegraph/errors.py")


def test_every_exception_class_lives_in_errors_py() -> None:
    assert _exception_classes_outside_errors() == []


def test_no_module_holds_an_exception_class_at_run_time() -> None:
    """The same, by importing every module: catches a base imported under another name."""
    stray = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        module = importlib.import_module(".".join(p for p in parts if p != "__init__"))
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and module.__name__ != errors.__name__
            ):
                stray.append(f"{module.__name__}.{name}")
    assert stray == []


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_each_error_class_is_a_rolegraph_error_that_states_its_exit_code(cls: type) -> None:
    assert issubclass(cls, errors.RolegraphError)
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    declared = {
        target.id
        for stmt in body.body
        for target in (
            stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        )
        if isinstance(target, ast.Name)
    }
    assert "exit_code" in declared, f"{cls.__name__} does not state its exit code"
    assert cls.exit_code in DOCUMENTED_EXIT_CODES
    assert cls.__doc__, f"{cls.__name__} does not say what it means"


def test_a_hint_follows_the_message() -> None:
    error = errors.QueryError("expected x, found y", hint="do z")
    assert (error.message, error.hint, str(error)) == ("expected x, found y", "do z", "expected x, found y (do z)")
    failed = errors.PagesFailed([errors.SeedError("a.txt", 3, "a level")], 2)
    assert failed.hint == "fix them, or pass --keep-going to build the good pages"


def test_the_web_errors_are_rolegraph_errors_and_keep_their_homes() -> None:
    from rolegraph import api, roles
    from rolegraph.publish import draw, export
    from rolegraph.web import app, limits

    assert app.PageError is errors.PageError
    assert limits.QueryRefused is errors.QueryRefused
    assert api.PagesFailed is errors.PagesFailed
    assert roles.UnknownRole is errors.UnknownRole
    assert export.ExportError is errors.ExportError
    assert draw.DrawError is errors.DrawError
    refused = errors.QueryRefused(429, "expected at most 4 queries at a time", {"Retry-After": "10"})
    assert isinstance(refused, errors.PageError)
    assert (refused.status, refused.message, refused.headers) == (
        429,
        "expected at most 4 queries at a time",
        {"Retry-After": "10"},
    )
    assert str(refused) == "expected at most 4 queries at a time"
    assert errors.PageError(404, "x").exit_code == errors.EXIT_BAD_INPUT
    assert errors.PageError(500, "x").exit_code == errors.EXIT_INTERNAL
