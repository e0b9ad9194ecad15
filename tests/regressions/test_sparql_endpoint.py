"""Issue #12 (items 3, 17 and a rough edge): what `/sparql` answers clients that are not browsers.

SPARQLWrapper sends ``format=xml`` by default, and ``format=rdf+xml``, ``n3``, ``json-ld``, ``json``
or ``csv`` when asked: CONSTRUCT and DESCRIBE used to get a 400 HTML page for all of them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from starlette.testclient import TestClient

from rolegraph.api import Session
from rolegraph.web.app import create_app
from rolegraph.web.sparql import GUARD_PARSE_LIMIT, MAX_RESULT_BYTES
from tests.helpers import REAL_ROLE
from tests.servers import Served, rolegraph_serve

ROLE_IRI_QUERY = "SELECT ?r WHERE { ?r <http://www.w3.org/2004/02/skos/core#notation> ?code } LIMIT 1"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/rolegraph/ontology#Role> }"  # 6 triples
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(real_graph_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Session.open(real_graph_file), real_graph_file), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def served(real_graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with rolegraph_serve(real_graph_file, tmp_path_factory.mktemp("serve")) as server:
        yield server


def _graph_of(body: bytes, content_type: str) -> Graph:
    media = content_type.split(";", maxsplit=1)[0].strip()
    rdflib_format = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }[media]
    return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", [XML, RDFXML, N3, TURTLE, JSONLD, JSON, CSV, TSV])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_gets_construct_in_every_return_format(served: Served, fmt: str, method: str) -> None:
    """XML is SPARQLWrapper's default; CSV, TSV and JSON do not fit a graph and fall back to Turtle or JSON-LD."""
    client = SPARQLWrapper(f"{served.url}sparql")
    client.setQuery(CONSTRUCT)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper warns that it sends Accept: */*
        response = client.query().response
    assert response.status == 200
    graph = _graph_of(response.read(), response.headers["content-type"])
    assert len(graph) == 6


@pytest.mark.slow
def test_sparqlwrapper_default_describe_is_rdf_xml(served: Served) -> None:
    client = SPARQLWrapper(f"{served.url}sparql")
    client.setQuery(f'DESCRIBE ?r WHERE {{ ?r <http://www.w3.org/2004/02/skos/core#notation> "{REAL_ROLE}" }}')
    result = client.query()
    assert result.response.headers["content-type"] == "application/rdf+xml"
    graph = result.convert()  # SPARQLWrapper parses RDF/XML into an rdflib Graph
    assert isinstance(graph, Graph)
    assert REAL_ROLE in {str(o) for o in graph.objects()}


@pytest.mark.parametrize(
    ("fmt", "media", "rdflib_format"),
    [
        ("xml", "application/rdf+xml", "xml"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("json-ld", "application/ld+json", "json-ld"),
        ("json", "application/ld+json", "json-ld"),
        ("n3", "text/turtle", "turtle"),
        ("csv", "text/turtle", "turtle"),  # does not fit a graph: the default
        ("no-such-format", "text/turtle", "turtle"),
    ],
)
def test_graph_formats_by_name_and_fallback(client: TestClient, fmt: str, media: str, rdflib_format: str) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert len(Graph().parse(data=r.content, format=rdflib_format)) == 6


def test_graph_formats_by_accept(client: TestClient) -> None:
    for accept, media in [
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
    ]:
        r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
        assert r.headers["content-type"].split(";")[0] == media


def test_an_unmet_format_falls_back_to_the_accept_header(client: TestClient) -> None:
    """`format=turtle` on a SELECT is unmet, as an unmet Accept is: the Accept header, then JSON."""
    csv = client.get("/sparql", params={"query": COUNT, "format": "turtle"}, headers={"accept": "text/csv"})
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("n\r\n") or csv.text.startswith("n\n")
    plain = client.get("/sparql", params={"query": COUNT, "format": "no-such-format"}, headers={"accept": "*/*"})
    assert plain.headers["content-type"] == "application/sparql-results+json"
    assert json.loads(plain.text)["head"] == {"vars": ["n"]}


def test_the_first_format_that_fits_wins(client: TestClient) -> None:
    """SPARQLWrapper sends RDFXML as format=rdf+xml&format=application/rdf+xml, and a name per parameter."""
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("query", CONSTRUCT),
        ("format", "csv"),
        ("output", "application/ld+json"),
        ("results", "xml"),
    ]
    r = client.get("/sparql", params=params, headers={"accept": "*/*"})
    assert r.headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/turtle", "*/*", "", "application/rdf+xml"])
def test_errors_for_sparql_clients_are_plain_text(client: TestClient, accept: str) -> None:
    r = client.get("/sparql", params={"query": "SELEC nonsense"}, headers={"accept": accept})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("400: expected a valid SPARQL query")
    assert "<html" not in r.text.lower()


def test_errors_for_browsers_and_json_clients_stay_pages_and_json(client: TestClient) -> None:
    page = client.get("/sparql", params={"query": "SELEC nonsense"}, headers=BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    data = client.get("/sparql", params={"query": "SELEC nonsense"}, headers={"accept": "application/json"})
    assert data.json()["status"] == 400


@pytest.mark.parametrize("headers", [BROWSER, {"accept": "application/json"}, {"accept": "*/*"}])
def test_the_web_never_says_pass_allow_network(client: TestClient, headers: dict[str, str]) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": query}, headers=headers)
    assert r.status_code == 400
    assert "SERVICE" in r.text
    assert "allow-network" not in r.text


def test_a_result_over_the_size_cap_is_an_error_that_says_so(client: TestClient) -> None:
    """609 x 609 rows of three terms as JSON are ~50 MB, over the cap: a 400 that names it, never a cut answer."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    r = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 400
    assert f"expected a result of at most {MAX_RESULT_BYTES:,} bytes" in r.text
    assert "LIMIT" in r.text


def test_a_long_query_naming_from_is_refused_without_the_slow_parse(client: TestClient) -> None:
    """Over GUARD_PARSE_LIMIT characters, rdflib's parse (25 s for 98 KB) is skipped: a query that
    could name SERVICE, FROM or LOAD is refused at once, any other runs under Oxigraph's parser."""
    values = " ".join(f'"value {i}"' for i in range(GUARD_PARSE_LIMIT // 8))
    named = f'SELECT ?s WHERE {{ VALUES ?o {{ "data from a page" {values} }} ?s ?p ?o }}'  # noqa: S608
    refused = client.post("/sparql", data={"query": named}, headers={"accept": "application/json"})
    assert refused.status_code == 400
    assert f"expected a query of at most {GUARD_PARSE_LIMIT:,} characters" in refused.json()["error"]
    plain = named.replace("data from a page", "data of a page")
    answered = client.post("/sparql", data={"query": plain}, headers={"accept": "application/json"})
    assert answered.status_code == 200
    assert answered.json()["results"]["bindings"] == []


@pytest.mark.slow
def test_concurrent_queries_are_never_refused_as_syntax_errors(served: Served) -> None:
    """rdflib's parser (the network guard) is not thread-safe: parsed at once on several threads,
    valid queries failed with "syntax error ... at char 0". Four clients (the default number of
    query slots, so none gets 429) each send ten valid queries."""

    def client(n: int) -> list[tuple[int, str]]:
        out = []
        for i in range(10):
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRLEN(STR(?o)) > {n * 10 + i}) }}"
            request = urllib.request.Request(f"{served.url}sparql?query={quote(query)}", headers={"Accept": "text/csv"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    out.append((response.status, response.read().decode()))
            except urllib.error.HTTPError as exc:
                out.append((exc.code, exc.read().decode()))
        return out

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = [a for batch in pool.map(client, range(4)) for a in batch]
    assert [status for status, _ in answers] == [200] * 40, [body for status, body in answers if status != 200][:1]
    assert all(body.startswith("n\r\n") for _, body in answers)
