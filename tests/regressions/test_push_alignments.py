"""Issue 16: `rolegraph push` sent only rolegraph.ttl, while local commands also load `alignments.ttl` beside it.

Once `rolegraph align --write` had published graph/alignments.ttl, `query role-alignments --endpoint` answered
nothing where the local query listed the role's ESCO, O*NET-SOC and ISCO-08 matches (and every remote-vs-local
comparison in tests/test_stores.py broke). push now sends the graph and its alignments as one staging upload:
the store holds what a local store of the file holds, triple for triple, and answers with the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph import api
from rolegraph.ask.remote import Endpoint, count_triples
from rolegraph.ask.store import OxigraphStore, alignments_beside
from rolegraph.cli import cli
from rolegraph.formats import QUERY_OUTPUTS
from tests.helpers import REAL_ROLE, ROOT
from tests.servers import Oxigraph, Virtuoso


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest) -> Oxigraph | Virtuoso:
    server: Oxigraph | Virtuoso = request.getfixturevalue(request.param)
    return server


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The published graph and the alignments `align --write` published beside it (graph/ of the repository)."""
    for name in ("rolegraph.ttl", "alignments.ttl"):
        shutil.copy(ROOT / "graph" / name, tmp_path / name)
    return tmp_path


def _cli(server: Oxigraph | Virtuoso, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"ROLEGRAPH_PASSWORD": server.password, "ROLEGRAPH_USER": None})
    return result.exit_code, result.stdout, result.stderr


def test_a_pushed_graph_answers_role_alignments_as_the_local_one(store: Oxigraph | Virtuoso, folder: Path) -> None:
    graph = folder / "rolegraph.ttl"
    user = ["--user", store.user, "--lossy-durations"] if store.user else []  # Virtuoso: docs/remote-stores.md
    code, out, err = _cli(store, "push", str(graph), "--endpoint", store.url, *user)
    assert code == 0, err
    for fmt in QUERY_OUTPUTS:
        query = ("query", "role-alignments", "-p", f"code={REAL_ROLE}", "-f", fmt)
        here = _cli(store, *query, "--graph", str(graph))
        there = _cli(store, *query, "--endpoint", store.url)
        assert here[0] == there[0] == 0, (here[2], there[2])
        assert "esco/occupation" in here[1] and "Data Scientists" in here[1]  # the alignments are in the answer
        assert there[1] == here[1], fmt
    local = OxigraphStore.from_file(graph, extra=(folder / "alignments.ttl",))
    assert f"pushed {len(local.store)} triples" in out  # the count check counted both files
    assert f"(with {folder / 'alignments.ttl'})" in out


def test_without_alignments_beside_it_push_sends_the_graph_alone(oxigraph: Oxigraph, folder: Path) -> None:
    (folder / "alignments.ttl").unlink()
    graph = folder / "rolegraph.ttl"
    code, out, err = _cli(oxigraph, "push", str(graph), "--endpoint", oxigraph.url)
    assert code == 0, err
    assert "(with" not in out
    assert f"pushed {len(OxigraphStore.from_file(graph).store)} triples" in out


def test_alignments_false_pushes_the_graph_alone(oxigraph: Oxigraph, folder: Path) -> None:
    graph = folder / "rolegraph.ttl"
    iri = "https://example.org/without-alignments"
    result = api.push(graph, Endpoint(oxigraph.url), iri, alignments=False)
    assert result.files == (graph,)
    assert count_triples(Endpoint(oxigraph.url), iri) == len(OxigraphStore.from_file(graph).store)


def test_blank_nodes_of_the_two_files_stay_apart(oxigraph: Oxigraph, tmp_path: Path) -> None:
    """`_:b0` in the graph and `_:b0` in its alignments are two nodes, as a local store loads them."""
    graph = tmp_path / "rolegraph.ttl"
    for path in (graph, tmp_path / "alignments.ttl"):
        path.write_text('_:b0 <https://e.org/p> "the same text" .\n', encoding="utf-8")
    iri = "https://example.org/blank-nodes"
    result = api.push(graph, Endpoint(oxigraph.url), iri)
    local = OxigraphStore.from_file(graph, extra=alignments_beside(graph))
    assert len(local.store) == result.triples == count_triples(Endpoint(oxigraph.url), iri) == 2
