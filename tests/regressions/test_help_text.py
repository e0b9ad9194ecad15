"""Issue #12, rough edges: help texts, the README's query list and "1 <plural>" in CLI output."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef

from rolegraph.ask.query import as_table, library
from rolegraph.ask.store import Table
from rolegraph.cli import cli
from tests.helpers import REAL_ROLE, ROOT
from tests.servers import fault_server

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def test_the_top_level_help_names_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    described = " ".join(result.stdout.split("Options:")[0].split())  # the description, before the lists
    missing = [name for name in cli.commands if re.search(rf"\b{re.escape(name)}\b", described) is None]
    assert missing == [], described


def test_export_help_says_role_narrows_the_rdf_formats() -> None:
    text = " ".join(invoke("export", "-h").stdout.split())
    assert "narrows every format but graphml" in text
    assert "csv, turtle, jsonld and ntriples" in text


def test_query_help_lists_no_write_endpoints() -> None:
    text = invoke("query", "-h").stdout
    assert "--update-endpoint" not in text and "--store-endpoint" not in text
    assert "--endpoint" in text and "--user" in text and "--retries" in text
    push = invoke("push", "-h").stdout
    assert "--update-endpoint" in push and "--store-endpoint" in push  # push loads graphs: it needs them


def test_query_refuses_the_write_endpoint_options() -> None:
    result = invoke("query", "roles", "--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "http://x/")
    assert result.exit_code == 2 and "No such option '--update-endpoint'" in result.stderr


def _comment_paragraph(path: Path) -> str:
    """The first paragraph of a .rq file's opening comment, as the file has it."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.lstrip("#").strip()
        if not line.startswith("#") or not words or words.startswith(("param ", "example:")):
            if lines:
                break
            continue
        lines.append(words)
    return " ".join(lines)


def test_queries_prints_whole_summaries() -> None:
    out = " ".join(invoke("queries").stdout.split())
    for spec in library().values():
        whole = _comment_paragraph(ROOT / "queries" / f"{spec.name}.rq")
        assert spec.description == whole
        assert f"{spec.name}: {whole}" in out, spec.name
        assert whole.endswith((".", ")")), spec.name  # a sentence, not a line cut short
    assert "its pay, rubric row, review and scores" in out  # role-description's second line


def test_the_readme_lists_every_query() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("The queries:", 1)[1].split("Each `.rq`", 1)[0]
    assert [name for name in library() if f"`{name}`" not in listed] == []


# -- "1 rows" and friends ---------------------------------------------------------------------------


def test_one_row_is_singular(real_graph_file: Path) -> None:
    assert as_table(Table(("a",), ((None,),))).endswith("(1 row)\n")
    assert as_table(Table(("a",), ())).endswith("(0 rows)\n")
    result = invoke("query", "role", "-p", f"code={REAL_ROLE}", "--graph", str(real_graph_file), "-f", "table")
    assert result.exit_code == 0 and result.stdout.endswith("(1 row)\n")
    result = invoke("query", "roles", "--graph", str(real_graph_file), "-f", "table")
    assert result.stdout.endswith("(6 rows)\n")


def test_one_step_is_singular(real_graph_file: Path) -> None:
    result = invoke("path", "DATASC.AIMACHIN97C0.P6", REAL_ROLE, "--graph", str(real_graph_file))
    assert result.exit_code == 0
    assert ": 1 step, cost" in result.stdout


def test_one_validation_result_is_singular(real_graph_file: Path, tmp_path: Path) -> None:
    graph = Graph().parse(real_graph_file)
    graph.remove((URIRef("https://w3id.org/rolegraph/id/skill/mlops"), SKOS.inScheme, None))
    broken = tmp_path / "one.ttl"
    graph.serialize(broken, format="turtle")
    result = invoke("validate", str(broken))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("does not conform (1 result)")


@pytest.mark.parametrize(("retries", "expected"), [(0, "after 1 attempt"), (1, "after 2 attempts")])
def test_one_attempt_is_singular(retries: int, expected: str) -> None:
    with fault_server() as base:
        result = invoke("query", "roles", "--endpoint", f"{base}/503", "--retries", str(retries))
    assert result.exit_code == 3
    assert f"busy (503) {expected}" in result.stderr
    assert "1 attempts" not in result.stderr
