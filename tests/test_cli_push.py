"""Issue #14, item 5: `--graph` is a FILE everywhere; `push` names its target with `--named-graph IRI`.

`push --graph IRI` (the old name) still works for one release, hidden, with a one-line warning.
Pushes go to a real Oxigraph server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rolegraph import formats
from rolegraph.ask.remote import Endpoint, count_triples
from rolegraph.ask.store import OxigraphStore, alignments_beside
from rolegraph.cli import cli
from tests.servers import oxigraph_server

TARGET = "https://example.org/graphs/roles"
OTHER = "https://example.org/graphs/other"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def triples(real_graph_file: Path) -> int:
    return len(OxigraphStore.from_file(real_graph_file, extra=alignments_beside(real_graph_file)).store)


def push(server: str, graph: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["push", str(graph), "--endpoint", server, *args])


def test_graph_is_a_file_in_every_command_that_shows_it() -> None:
    for name, command in cli.commands.items():
        for param in command.params:
            if "--graph" in param.opts and not getattr(param, "hidden", False):
                assert isinstance(param.type, click.Path), name
                assert param.metavar is None or param.metavar == "FILE", name


def test_push_named_graph_loads_into_that_graph(server: str, real_graph_file: Path, triples: int) -> None:
    result = push(server, real_graph_file, "--named-graph", TARGET)
    assert result.exit_code == 0, result.stderr
    assert f"into <{TARGET}>" in result.stdout and result.stderr == ""
    assert count_triples(Endpoint(server), TARGET) == triples


def test_push_graph_iri_still_works_with_a_one_line_deprecation_warning(
    server: str, real_graph_file: Path, triples: int
) -> None:
    result = push(server, real_graph_file, "--graph", OTHER)
    assert result.exit_code == 0, result.stderr
    assert f"into <{OTHER}>" in result.stdout
    assert count_triples(Endpoint(server), OTHER) == triples
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "deprecated" in lines[0] and "--named-graph IRI" in lines[0], lines


@pytest.mark.parametrize("order", ["named-first", "graph-first"])
def test_named_graph_wins_over_the_deprecated_graph(server: str, real_graph_file: Path, order: str) -> None:
    pairs = [["--named-graph", TARGET], ["--graph", OTHER]]
    args = pairs[0] + pairs[1] if order == "named-first" else pairs[1] + pairs[0]
    result = push(server, real_graph_file, *args)
    assert result.exit_code == 0, result.stderr
    assert f"into <{TARGET}>" in result.stdout and "deprecated" in result.stderr


def test_push_without_a_name_loads_the_default_graph(server: str, real_graph_file: Path) -> None:
    result = push(server, real_graph_file)
    assert result.exit_code == 0, result.stderr
    assert f"into <{formats.DEFAULT_GRAPH_IRI}>" in result.stdout and result.stderr == ""


def test_push_help_offers_named_graph_and_hides_graph() -> None:
    text = CliRunner().invoke(cli, ["push", "--help"]).stdout
    assert "--named-graph IRI" in text
    assert "--graph" not in text.replace("--named-graph", "")
