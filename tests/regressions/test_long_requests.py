"""Issue #12 (item 17): overlong URLs, headers and bodies get an answer that says so, never a reset.

A 1 MB URL used to reset the connection: h11 stops at its limit, uvicorn answered 400 and closed at
once while the client was still sending. A 98 KB query spent 25 s in rdflib's parse for the
network guard, holding the GIL, which slowed every page.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from rolegraph.formats import DEFAULT_BASE
from rolegraph.web.protocol import MAX_REQUEST_HEAD
from tests.helpers import REAL_ROLE
from tests.servers import Served, rolegraph_serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(real_graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with rolegraph_serve(real_graph_file, tmp_path_factory.mktemp("serve")) as server:
        yield server


def _status(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_one_megabyte_url_is_a_414_not_a_reset(served: Served) -> None:
    status, body = _status(f"{served.url}sparql?query=" + "x" * 1_000_000)
    assert status == 414
    assert f"expected a URL of at most {MAX_REQUEST_HEAD:,} bytes; send long queries by POST" in body
    assert _status(f"{served.url}role/{REAL_ROLE}")[0] == 200  # and the server goes on


def test_overlong_headers_are_a_431(served: Served) -> None:
    status, body = _status(served.url, headers={"X-Padding": "y" * (2 * MAX_REQUEST_HEAD)})
    assert status == 431
    assert "request headers" in body


def test_a_url_under_the_limit_still_works(served: Served) -> None:
    """A GET query of 100,000 characters (the endpoint's longest) fits in MAX_REQUEST_HEAD."""
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 99_000
    status, body = _status(f"{served.url}sparql?query={quote(query)}", headers={"Accept": "text/csv"})
    assert status == 200, body
    assert body.startswith("s\r\n")


def test_a_huge_body_is_a_413_that_arrives(served: Served) -> None:
    """A body over the limit is refused before it is read; the answer still reaches the client."""
    connection = http.client.HTTPConnection("127.0.0.1", int(served.url.rsplit(":", 1)[1].strip("/")), timeout=60)
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 8_000_000
    try:
        connection.request("POST", "/sparql", body=body, headers={"Content-Type": "application/sparql-query"})
        response = connection.getresponse()
        assert response.status == 413
        assert "expected a request body of at most" in response.read().decode()
    except (TimeoutError, ConnectionResetError, BrokenPipeError) as exc:
        pytest.fail(f"expected a 413 answer, found {type(exc).__name__}")
    finally:
        connection.close()


def test_a_98_kb_filter_post_is_answered_without_rdflibs_parse(served: Served) -> None:
    """A FILTER over 2,850 values, ~98 KB: it names no SERVICE, FROM or LOAD, so Oxigraph alone
    parses it (the client's 60 s bound only catches a hang; rdflib's parse took 25 s before). It reads one
    role's triples: the parse is what is tested, not a scan of the graph and its alignments under --query-timeout."""
    values = ", ".join(f'"value number {i} of the filter"' for i in range(2850))
    role = f"<{DEFAULT_BASE}role/{REAL_ROLE}>"
    query = f"SELECT ?s WHERE {{ VALUES ?s {{ {role} }} ?s ?p ?o FILTER(?o IN ({values})) }}"
    assert 90_000 < len(query) < 100_000
    headers = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    status, body = _status(f"{served.url}sparql", headers=headers, data=query.encode())
    assert status == 200, body
    assert body.strip() == "s"
