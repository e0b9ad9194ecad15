"""Issue 19: a push into `oxigraph serve` of the 1,000-page graph (144,089 triples) took 208 s, Virtuoso 38 s.

Oxigraph's writes inside a transaction are its slow path: the staging upload (a transactional PUT) and the
`MOVE` (which empties the live graph, copies the staging graph and empties it, all in one transaction) were
most of the time; its bulk loader loads the same file in seconds. The `oxigraph` profile now uploads the
staging graph with the bulk loader (`no_transaction`: the staging graph needs no atomicity, its count is
checked) and swaps with one update that writes only the difference, the staging graph dropped after it.
Speed is measured in bench/STORES.md; here, that the faster swap still leaves exactly the new graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rolegraph.ask.remote import PROFILES, Endpoint, RemoteStore, count_triples, push
from rolegraph.errors import RemoteError
from tests.servers import FaultHandler, fault_server, oxigraph_server

LIVE, STAGING = "https://example.org/live", "https://example.org/live/staging"
A = """
<https://e.org/a> <https://e.org/p> "kept" , "only in the old" .
<https://e.org/a> <https://e.org/q> [ <https://e.org/r> "a blank node of the old" ] .
<https://e.org/b> <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> , "x"@en .
"""
B = """
<https://e.org/a> <https://e.org/p> "kept" , "only in the new" .
<https://e.org/a> <https://e.org/q> [ <https://e.org/r> "a blank node of the new" ] .
<https://e.org/b> <https://e.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> , "x"@en-GB .
"""


def _graph(store: ox.Store, graph: str) -> Graph:
    """The named graph as an rdflib Graph, to compare up to blank node names."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    return Graph().parse(data=data, format="nt")


@pytest.mark.parametrize(("old", "new"), [(A, B), (B, A), (A, A), ("", A), (A, "")])
def test_the_difference_swap_leaves_exactly_the_staging_graph(old: str, new: str) -> None:
    """On Oxigraph's own engine: the live graph after the swap is the staging graph, triple for triple
    (literals that differ only in lexical form or language tag, blank nodes, an empty side)."""
    store = ox.Store()
    store.load(old.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(LIVE))
    store.load(new.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(STAGING))
    reference = ox.Store()
    reference.load(new.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(LIVE))
    store.update(PROFILES["oxigraph"].swap(f"<{STAGING}>", f"<{LIVE}>"))
    assert isomorphic(_graph(store, LIVE), _graph(reference, LIVE))
    assert len(_graph(store, LIVE)) == len(reference)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def test_pushes_into_oxigraph_server_replace_the_graph_and_leave_no_staging(server: str, tmp_path: Path) -> None:
    endpoint = Endpoint(server, profile="oxigraph")
    for text in (A, B, B, A):
        path = tmp_path / "g.ttl"
        path.write_text(text, encoding="utf-8")
        result = push(path, endpoint, LIVE)
        expected = ox.Store()  # as Oxigraph keeps it ("01"^^xsd:integer is 1, "en-GB" is "en-gb")
        expected.load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(LIVE))
        assert result.triples == count_triples(endpoint, LIVE) == len(expected)
        rows = RemoteStore(endpoint, LIVE).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {}).rows
        seen = Graph()
        for row in rows:
            seen.add(row)  # type: ignore[arg-type]
        assert isomorphic(seen, _graph(expected, LIVE))
        assert count_triples(endpoint, STAGING) == 0


def test_the_oxigraph_profile_uploads_the_staging_graph_with_the_bulk_loader(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text(A, encoding="utf-8")
    with fault_server() as base, pytest.raises(RemoteError):  # the fault server has no /store: 404
        push(path, Endpoint(f"{base}/query", profile="oxigraph", retries=0), LIVE)
    puts = [unquote_plus(body) for body in FaultHandler.bodies if "graph=" in body]
    assert puts and all(body.endswith(f"graph={STAGING}&no_transaction") for body in puts), puts
