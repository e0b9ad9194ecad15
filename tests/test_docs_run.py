"""The examples of the README's Python section, docs/json.md and docs/tutorial.md, run (issue #18, item 4).

Each ```` ```pycon ```` block runs as a doctest, the blocks of one page sharing their names as a notebook's cells
do; each ```` ```console ```` block's ``$ rolegraph ...`` lines run through the CLI (click's runner), and what
they print must match the lines below them. ``...`` in an expected output stands for any text (doctest's ELLIPSIS).
Everything runs in a fresh folder holding a copy of ``seeds/`` and its build, as a reader's checkout would.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph import api
from rolegraph.cli import cli
from tests.helpers import ROOT

BLOCK = re.compile(r"^```(pycon|console)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
#: the pages whose examples run, and which kinds of block in each (the README's console blocks show failures and
#: a server, not a run)
PAGES = {"README.md": ("pycon",), "docs/json.md": ("pycon", "console"), "docs/tutorial.md": ("pycon", "console")}
FLAGS = doctest.ELLIPSIS


def blocks(text: str) -> list[tuple[str, str, int]]:
    """(kind, body, line number of the body's first line) of each pycon or console block."""
    return [(m[1], m[2], text.count("\n", 0, m.start(2)) + 1) for m in BLOCK.finditer(text)]


def commands(body: str) -> list[tuple[str, str]]:
    """The ``$ rolegraph ...`` lines of a console block, each with the output shown below it."""
    found: list[tuple[str, str]] = []
    for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
        command, _, output = chunk.partition("\n")
        found.append((command, output))
    return found


def run_pycon(body: str, names: dict[str, object], where: str, line: int) -> list[str]:
    """Run one block as a doctest with ``names`` (updated with what it defines); the failures' reports."""
    test = doctest.DocTestParser().get_doctest(body, names, where, where, line - 1)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=report.append, clear_globs=False)
    names.update(test.globs)
    return report


def run_console(body: str, where: str, line: int) -> list[str]:
    checker = doctest.OutputChecker()
    failures = []
    for command, expected in commands(body):
        argv = shlex.split(command)
        assert argv[0] == "rolegraph", f"{where}:{line}: a console block runs rolegraph only, found {command!r}"
        result = CliRunner().invoke(cli, argv[1:])
        if not checker.check_output(expected, result.output, FLAGS):
            failures.append(
                f"{where}:{line}: $ {command}\nexpected:\n{expected}got (exit {result.exit_code}):\n{result.output}"
            )
    return failures


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with ``seeds/`` and its build in ``graph/``, as the current directory."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    api.build([tmp_path / "seeds"], tmp_path / "graph")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_print_what_the_page_shows(page: str, checkout: Path) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    found = [(kind, body, line) for kind, body, line in blocks(text) if kind in PAGES[page]]
    assert {kind for kind, _, _ in found} == set(PAGES[page]), f"{page} has no example of each kind it should"
    names: dict[str, object] = {}
    failures: list[str] = []
    for kind, body, line in found:
        if kind == "pycon":
            failures += run_pycon(body, names, page, line)
        else:
            failures += run_console(body, page, line)
    assert not failures, "\n".join(failures)
    assert (checkout / "graph" / "rolegraph.ttl").is_file()


def test_a_wrong_output_in_a_page_fails(checkout: Path) -> None:
    """The runner itself: a changed number in a pycon or console block is reported with its place."""
    page = (
        "```pycon\n>>> x = 2\n>>> x + 1\n4\n```\n\n"
        "```console\n$ rolegraph distance DATASC.AIMACHIN97C0.P7 DATASC.AIMACHIN97C0.P6 --by structure\n"
        "DATASC.AIMACHIN97C0.P7 -> DATASC.AIMACHIN97C0.P6: d = 0.200 (strong)\n```\n"
    )
    (pycon, body, line), (console, cbody, cline) = blocks(page)
    assert (pycon, console, line, cline) == ("pycon", "console", 2, 8)
    names: dict[str, object] = {}
    report = run_pycon(body, names, "probe.md", line)
    assert len(report) == 1 and "probe.md" in report[0] and "Expected:\n    4\nGot:\n    3" in report[0]
    assert names["x"] == 2
    (failure,) = run_console(cbody, "probe.md", cline)
    assert failure.startswith("probe.md:8: $ rolegraph distance") and "d = 0.100 (strong)" in failure
    assert run_console(cbody.replace("0.200", "0.100"), "probe.md", cline) == []
    assert run_console(cbody.replace("d = 0.200", "d = ..."), "probe.md", cline) == []
