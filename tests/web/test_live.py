"""`rolegraph serve` as a real process: the SPARQL endpoint read by SPARQLWrapper, logging, Ctrl-C, errors."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from rolegraph.ask.query import library
from tests.helpers import REAL_FOCUS, REAL_ROLE, invoke, no_hang
from tests.servers import Served, free_port, rolegraph_binary, rolegraph_serve

pytestmark = pytest.mark.slow


def get(url: str, accept: str = "text/html") -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["content-type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["content-type"], exc.read().decode()


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_through_the_endpoint_matches_rolegraph_query(
    served: Served, real_graph_file: Path, name: str
) -> None:
    """`rolegraph query NAME --endpoint URL/sparql` (SPARQLWrapper) prints what the local query prints."""
    params = library()[name].example_params
    args = ["query", name, *(f"--param={k}={v}" for k, v in params.items()), "--format", "json"]
    local = invoke(*args, "--graph", str(real_graph_file))
    remote = invoke(*args, "--endpoint", f"{served.url}sparql")
    assert local[0] == remote[0] == 0, remote[2]
    assert remote[1] == local[1]
    assert '"bindings": [' in local[1]


@pytest.mark.parametrize(("fmt", "start"), [(JSON, '{"head":'), (CSV, "code,"), (TSV, "?code\t"), (XML, "<?xml")])
def test_sparqlwrapper_gets_every_result_format(served: Served, fmt: str, start: str) -> None:
    client = SPARQLWrapper(f"{served.url}sparql")
    client.setQuery(library()["roles"].text)
    client.setReturnFormat(fmt)
    raw = client.query().response.read().decode()
    assert raw.startswith(start)
    assert raw.count(REAL_FOCUS) >= 6


def test_sparqlwrapper_post_and_ask(served: Served) -> None:
    client = SPARQLWrapper(f"{served.url}sparql")
    client.setMethod("POST")
    client.setQuery(f'ASK {{ ?r <http://www.w3.org/2004/02/skos/core#notation> "{REAL_ROLE}" }}')
    client.setReturnFormat(JSON)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


def test_pages_over_http_and_one_log_line_per_request(served: Served) -> None:
    paths = ["/", "/?q=ml+engineer", f"/role/{REAL_ROLE}", f"/compare?a={REAL_ROLE}&b={REAL_FOCUS}.P4", "/sparql"]
    for path in paths:
        status, content_type, body = get(served.url.rstrip("/") + path)
        assert status == 200, path
        assert content_type == "text/html; charset=utf-8"
        assert "</html>" in body
    status, _, body = get(f"{served.url}role/NOPE")
    assert status == 404
    assert "Traceback" not in body
    stdout, stderr = served.output()
    for path in paths:
        assert re.search(rf'127\.0\.0\.1:\d+ "GET {re.escape(path)} HTTP/1\.1" 200', stdout), path
    assert '"GET /role/NOPE HTTP/1.1" 404' in stdout
    assert "Traceback" not in stderr


def test_many_readers_at_once(served: Served) -> None:
    """The thread pool shares one Oxigraph store; every answer is right under concurrent load."""
    codes = [f"{REAL_FOCUS}.P{n}" for n in (2, 7)]
    urls = {f"{served.url}role/{code}?format=json": code for code in codes}
    urls |= {f"{served.url}sparql?name=role&code={code}": code for code in codes}
    alone = {url: get(url, "application/json") for url in urls}  # one at a time, before the load
    for url, (status, _, body) in alone.items():
        data = json.loads(body)
        found = data["code"] if "/role/" in url else data["results"]["bindings"][0]["code"]["value"]
        assert (status, found) == (200, urls[url]), url
    load = [url for _ in range(40) for url in urls]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda u: get(u, "application/json"), load))
    for url, result in zip(load, results, strict=True):
        assert result == alone[url], url  # each answer is its own role's, byte for byte as when asked alone
    assert "Traceback" not in served.output()[1]
    assert "unsendable" not in served.output()[1]


def test_ctrl_c_stops_the_server_cleanly(real_graph_file: Path, tmp_path: Path) -> None:
    with rolegraph_serve(real_graph_file, tmp_path) as server:
        assert get(server.url)[0] == 200
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=15) == 0
        stdout, stderr = server.output()
    assert stdout.startswith(f"rolegraph: serving {real_graph_file} (6 roles) at http://127.0.0.1:")
    assert "(read-only; Ctrl-C to stop)" in stdout
    assert stdout.rstrip().endswith("rolegraph: stopped")
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr


def test_a_runaway_query_holds_up_neither_pages_nor_ctrl_c(real_graph_file: Path, tmp_path: Path) -> None:
    """User queries run on threads of their own: a page is served while a query that would never end
    runs, and Ctrl-C still stops the server (after a 5 s grace for requests in flight)."""
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 609^4 rows
    with (
        rolegraph_serve(real_graph_file, tmp_path, "--max-queries", "1", "--query-timeout", "600") as server,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):

        def send_runaway() -> Future[tuple[int, str, str]]:
            return pool.submit(get, f"{server.url}sparql?query={quote(runaway)}", "application/json")

        # sequencing without a sleep: once a cheap query is refused (429), the runaway holds the only slot
        pending = send_runaway()
        with no_hang("the runaway query to take the query slot"):
            while get(f"{server.url}sparql?query={quote('ASK {}')}", "application/json")[0] != 429:
                if pending.done():  # the cheap query took the slot first and the runaway got the 429
                    assert pending.result()[0] == 429
                    pending = send_runaway()
        status, _, body = get(f"{server.url}role/{REAL_ROLE}")
        assert status == 200
        assert "Level guidelines" in body
        assert not pending.done()
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0
        stdout, stderr = server.output()
    assert "rolegraph: stopped, without waiting for the queries still running" in stdout
    assert "stopped a request still running when the grace period ended" in stderr
    assert "Traceback" not in stderr


def test_sigterm_stops_the_server_too(real_graph_file: Path, tmp_path: Path) -> None:
    with rolegraph_serve(real_graph_file, tmp_path) as server:
        server.process.terminate()
        assert server.process.wait(timeout=15) == 0


def test_a_busy_port_is_one_line_and_exit_2(real_graph_file: Path, served: Served) -> None:
    port = served.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [rolegraph_binary(), "serve", "--graph", str(real_graph_file), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: --bind 127.0.0.1 --port {port}: expected a free address, found ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_graph_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("serve", "--graph", str(tmp_path / "none.ttl"), "--port", str(free_port()))
    assert code == 2
    assert "none.ttl" in err
    assert "rolegraph build" in err
    assert "Traceback" not in err


def test_an_unknown_bind_address_is_one_line_and_exit_2(real_graph_file: Path) -> None:
    code, _, err = invoke("serve", "--graph", str(real_graph_file), "--bind", "no.such.host.invalid", "--port", "0")
    assert code == 2
    assert err.startswith("error: --bind: expected an address of this machine, found 'no.such.host.invalid'")
