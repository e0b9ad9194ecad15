"""Issue #12 (item 16): a local `rolegraph query --timeout SECONDS` stops waiting for Oxigraph.

Oxigraph cannot stop a query midway, so the query runs on a worker thread; past the limit the
command prints one line and exits 2 at once (the store is read-only: nothing is lost). Run as
the installed console script, since the command ends its own process.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.servers import rolegraph_binary

pytestmark = pytest.mark.slow

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n"  # 609^4 rows


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([rolegraph_binary(), *args], capture_output=True, text=True, timeout=120, check=False)


def test_a_runaway_local_query_stops_at_its_timeout_with_exit_2(real_graph_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "runaway.rq"
    query.write_text(RUNAWAY, encoding="utf-8")
    result = run("query", "--file", str(query), "--graph", str(real_graph_file), "--timeout", "1")
    assert result.returncode == 2
    assert result.stderr == "error: the query ran longer than --timeout 1 s; stopped\n"
    assert result.stdout == ""


def test_a_quick_local_query_within_its_timeout_prints_as_before(real_graph_file: Path) -> None:
    timed = run("query", "levels", "--graph", str(real_graph_file), "--timeout", "60", "--format", "csv")
    plain = run("query", "levels", "--graph", str(real_graph_file), "--format", "csv")
    assert timed.returncode == plain.returncode == 0, timed.stderr
    assert timed.stdout == plain.stdout
    assert timed.stdout.count("\n") > 1


def test_a_bad_query_under_a_timeout_is_still_one_line_and_exit_2(real_graph_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "bad.rq"
    query.write_text("SELEC nonsense\n", encoding="utf-8")
    result = run("query", "--file", str(query), "--graph", str(real_graph_file), "--timeout", "30")
    assert result.returncode == 2
    assert result.stderr.startswith("error: expected a valid SPARQL query")
    assert "Traceback" not in result.stderr
