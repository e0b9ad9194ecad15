"""Issue 19: a push into `oxigraph serve` of the 1,000-page graph (144,089 triples) took 208 s, Virtuoso 80 s,
and one of the 10,000-page graph did not finish in 20 minutes.

Oxigraph's writes inside a transaction are its slow path (a transactional load of 144,089 triples took 10 s,
its bulk loader 3 s, deleting them 10 s more). A push through a staging graph wrote everything three times:
the staging upload, the swap, and the staging graph's drop. The `oxigraph` profile now has no staging graph:
push reads the live graph and sends only the difference in one request (one transaction): a Graph Store POST
when it only adds (a first push), else one update of DELETE DATA and INSERT DATA; an unchanged graph writes
nothing. A difference larger than Oxigraph's cap on a SPARQL body goes through a bulk-loaded staging graph and
one update of the difference. Speed is measured in bench/STORES.md; here, that each way leaves exactly the new
graph, and which requests each sends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rolegraph.ask import remote
from rolegraph.ask.remote import PROFILES, Endpoint, RemoteStore, count_triples, push
from rolegraph.errors import RemoteError
from tests.servers import FaultHandler, fault_server, free_port, oxigraph_server

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
C = """
<https://e.org/a> <https://e.org/p> "kept" , "only in the new" , "added, with \\"quotes\\"\\nand a line" .
<https://e.org/c> <https://e.org/p> <https://e.org/a> .
"""
PAIRS = [(A, B), (B, A), (A, A), ("", A), (A, ""), (C, B), (B, C), (C, C), ("", C)]


def _graph(store: ox.Store, graph: str) -> Graph:
    """The named graph as an rdflib Graph, to compare up to blank node names."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    return Graph().parse(data=data, format="nt")


@pytest.mark.parametrize(("old", "new"), [(A, B), (B, A), (A, A), ("", A), (A, "")])
def test_the_difference_swap_leaves_exactly_the_staging_graph(old: str, new: str) -> None:
    """The staging way's swap, on Oxigraph's own engine: the live graph after it is the staging graph, triple
    for triple (literals that differ only in lexical form or language tag, blank nodes, an empty side)."""
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


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every request push sends (method, path): the real requests, listed as they go."""
    seen: list[tuple[str, str]] = []
    real = remote.request

    def listed(endpoint: Endpoint, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        seen.append((method, url.split("?", maxsplit=1)[0].rsplit("/", 1)[-1]))
        return real(endpoint, method, url, *args, **kwargs)

    monkeypatch.setattr(remote, "request", listed)
    return seen


def _pushed(server: str, tmp_path: Path, text: str, iri: str) -> None:
    """Push ``text`` and check that the live graph is exactly it and that no staging graph is left."""
    path = tmp_path / "g.ttl"
    path.write_text(text, encoding="utf-8")
    result = push(path, Endpoint(server, profile="oxigraph"), iri)
    assert result.triples == _holds(server, iri, text)


def _holds(server: str, iri: str, text: str) -> int:
    """Check that the live graph is exactly ``text`` (as Oxigraph keeps it: "01"^^xsd:integer is 1, "en-GB"
    is "en-gb") and that no staging graph is left; return its size."""
    endpoint = Endpoint(server, profile="oxigraph")
    expected = ox.Store()
    expected.load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
    assert count_triples(endpoint, iri) == len(expected)
    rows = RemoteStore(endpoint, iri).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {}).rows
    seen = Graph()
    for row in rows:
        seen.add(row)  # type: ignore[arg-type]
    assert isomorphic(seen, _graph(expected, iri))
    assert count_triples(endpoint, f"{iri}/staging") == 0
    return len(expected)


@pytest.mark.parametrize("way", ["difference", "through a staging graph"])
@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_a_push_into_oxigraph_server_leaves_exactly_the_new_graph(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, old: str, new: str
) -> None:
    if way != "difference":  # any update is over the cap: the staging way
        monkeypatch.setitem(PROFILES, "oxigraph", dataclasses.replace(PROFILES["oxigraph"], max_update_bytes=1))
    iri = f"{LIVE}/{way.replace(' ', '-')}/{PAIRS.index((old, new))}"
    _pushed(server, tmp_path, old, iri)
    _pushed(server, tmp_path, new, iri)


def test_the_requests_of_each_way(server: str, tmp_path: Path, sent: list[tuple[str, str]]) -> None:
    """A first push: one Graph Store POST. Again, unchanged: no write. A change: one update (queries, such as
    the counts, are not listed)."""
    iri = f"{LIVE}/requests"
    endpoint = Endpoint(server, profile="oxigraph")
    path = tmp_path / "g.ttl"
    requests = []
    for text in (C, C, B):
        path.write_text(text, encoding="utf-8")
        sent.clear()
        push(path, endpoint, iri)
        requests.append(sent[:])
    first, again, changed = requests
    assert first == [("POST", "store")]  # the live graph is empty (counted): nothing to read
    assert again == [("GET", "store")]  # read, compared, nothing written
    assert changed == [("GET", "store"), ("POST", "update")]


def test_a_difference_over_the_cap_goes_through_a_bulk_loaded_staging_graph(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sent: list[tuple[str, str]]
) -> None:
    monkeypatch.setitem(PROFILES, "oxigraph", dataclasses.replace(PROFILES["oxigraph"], max_update_bytes=100))
    iri = f"{LIVE}/over-the-cap"
    _pushed(server, tmp_path, A, iri)
    sent.clear()
    _pushed(server, tmp_path, B, iri)
    assert sent == [
        ("GET", "store"),  # the live graph, to compare
        ("PUT", "store"),  # the staging graph
        ("POST", "update"),  # the swap
        ("POST", "update"),  # the staging graph's drop
    ]


def test_the_staging_graph_is_bulk_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PROFILES, "oxigraph", dataclasses.replace(PROFILES["oxigraph"], difference=False))
    path = tmp_path / "g.ttl"
    path.write_text(A, encoding="utf-8")
    with fault_server() as base, pytest.raises(RemoteError):  # the fault server has no /store: 404
        push(path, Endpoint(f"{base}/query", profile="oxigraph", retries=0), LIVE)
    puts = [unquote_plus(body) for body in FaultHandler.bodies if "graph=" in body]
    assert puts and all(body.endswith(f"graph={STAGING}&no_transaction") for body in puts), puts


def test_a_write_the_store_never_received_says_the_live_graph_is_unchanged(server: str, tmp_path: Path) -> None:
    """The difference is the one write of a push: when its connection is refused, it was never sent, and the
    message says the live graph is unchanged (a write that broke after it went out may have been applied)."""
    iri = f"{LIVE}/refused"
    _pushed(server, tmp_path, A, iri)
    path = tmp_path / "g.ttl"
    path.write_text(B, encoding="utf-8")
    nowhere = f"http://127.0.0.1:{free_port()}/update"  # nothing listens there: the connection is refused
    with pytest.raises(RemoteError) as raised:
        push(path, Endpoint(server, update=nowhere, profile="oxigraph", retries=0), iri)
    assert "cannot reach the store" in raised.value.message
    assert f"the push stopped before the swap: the live graph <{iri}> is unchanged" in raised.value.message
    _holds(server, iri, A)  # still the old graph, exactly
