"""Issue 19: `rolegraph serve`'s /sparql answers a client written for Virtuoso as Virtuoso does.

A Virtuoso client (DBpedia's scripts, Virtuoso's own /sparql form) sends GET ``query=``, ``format=`` with a
media type or ``json``, ``default-graph-uri=``, ``timeout=`` in milliseconds, ``debug=on`` and
``should-sponge=``. Here the very same request goes to a real Virtuoso 7.2 holding the pushed graph and to the
app of ``rolegraph serve``: both must answer 200 with SPARQL JSON, and the rows must be the same. (Virtuoso
writes ``"type": "typed-literal"``, the 2008 draft's spelling; both parse to the same terms.)
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from rolegraph.ask.remote import _table
from rolegraph.cli import cli
from rolegraph.formats import DEFAULT_GRAPH_IRI
from tests.servers import Virtuoso

QUERIES = [
    "SELECT ?code WHERE { ?r a <https://w3id.org/rolegraph/ontology#Role> ;"
    " <http://www.w3.org/2004/02/skos/core#notation> ?code } ORDER BY ?code",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label LIMIT 20",
]
VIRTUOSO_STYLE = [
    {"format": "application/sparql-results+json", "timeout": "30000", "debug": "on", "should-sponge": ""},
    {"format": "json", "default-graph-uri": DEFAULT_GRAPH_IRI},
]


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, real_graph_file: Path) -> Virtuoso:
    args = ["push", str(real_graph_file), "--endpoint", virtuoso.url, "--user", "dba", "--lossy-durations"]
    result = CliRunner().invoke(cli, args, env={"ROLEGRAPH_PASSWORD": virtuoso.password})
    assert result.exit_code == 0, result.output
    return virtuoso


@pytest.mark.parametrize("style", range(len(VIRTUOSO_STYLE)))
@pytest.mark.parametrize("query", QUERIES)
def test_serve_answers_a_virtuoso_client_as_virtuoso_does(
    pushed: Virtuoso, client: TestClient, query: str, style: int
) -> None:
    params = {"query": query, "default-graph-uri": DEFAULT_GRAPH_IRI, **VIRTUOSO_STYLE[style]}
    with urllib.request.urlopen(f"{pushed.url}?{urlencode(params)}", timeout=60) as answer:
        theirs = _table((answer.headers.get("Content-Type", ""), answer.read()), pushed.url)
    ours = client.get("/sparql", params=params)
    assert ours.status_code == 200, ours.text
    assert ours.headers["content-type"].startswith("application/sparql-results+json")
    mine = _table((ours.headers["content-type"], ours.content), "/sparql")
    assert mine.columns == theirs.columns
    assert mine.rows == theirs.rows and mine.rows
