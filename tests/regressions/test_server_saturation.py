"""Issue #12 (item 16): slow `/sparql` queries can no longer freeze `rolegraph serve`.

44 concurrent cartesian COUNTs used to fill Starlette's thread pool (40 threads), and since
Oxigraph cannot stop a query, `/`, `/role/...` and `/sparql` timed out even after the clients left.
User queries now run on their own threads, a few at a time (429 with Retry-After beyond), and are
answered 503 past `--query-timeout`. Every query here is a genuinely slow one on the real graph
(609 triples, so 609^4 rows to count: it never ends while a test runs); the server is stopped
(and its runaway threads with it) at the end of each test. All traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import REAL_ROLE
from tests.servers import Served, rolegraph_serve

pytestmark = pytest.mark.slow

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
STREAMING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # rows come one by one
QUICK = "ASK { ?s ?p ?o }"


def fetch(url: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], str]:
    """Status, headers (names in lower case) and body; the 60 s bound only catches a frozen server."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, _lower(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers.items()), exc.read().decode()


def _lower(items: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def sparql(server: Served, query: str) -> str:
    return f"{server.url}sparql?query={quote(query)}"


def wait_until_full(server: Served) -> tuple[int, dict[str, str], str]:
    """Send quick queries until one is refused with 429 (bounded: at most 300 tries)."""
    for _ in range(300):
        status, headers, body = fetch(sparql(server, QUICK))
        if status == 429:
            return status, headers, body
        time.sleep(0.1)  # sequencing, not a speed claim: the slow queries are still starting
    pytest.fail("expected the query slots to fill up, found a free one every time")


def stop(server: Served) -> str:
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=60) == 0
    stdout, stderr = server.output()
    assert "Traceback" not in stderr
    return stdout


def test_44_slow_queries_at_once_leave_pages_answerable(real_graph_file: Path, tmp_path: Path) -> None:
    """The issue's flood, with the default limits: 4 queries run, 40 get 429 at once, pages answer."""
    with rolegraph_serve(real_graph_file, tmp_path) as server, ThreadPoolExecutor(max_workers=44) as pool:
        flood = [pool.submit(fetch, sparql(server, RUNAWAY)) for _ in range(44)]
        wait_until_full(server)
        for path in ("", f"role/{REAL_ROLE}", "sparql", "?q=machine+learning"):
            status, _, body = fetch(server.url + path, accept="text/html")
            assert status == 200, path
            assert "</html>" in body
        answers = [future.result() for future in flood]  # the 4 running get 503 after the default 10 s
        statuses = sorted(status for status, _, _ in answers)
        assert statuses == [429] * 40 + [503] * 4
        assert all(headers["retry-after"] == "10" for status, headers, _ in answers if status == 429)
        assert fetch(f"{server.url}role/{REAL_ROLE}", accept="text/html")[0] == 200  # after the clients left
        stdout = stop(server)
    assert "rolegraph: stopped, without waiting for the queries still running" in stdout


def test_the_time_limit_answers_and_the_slot_stays_taken_while_oxigraph_runs(
    real_graph_file: Path, tmp_path: Path
) -> None:
    """`--query-timeout 1 --max-queries 2`: two runaway COUNTs get 503 after about a second, and
    still hold both slots (Oxigraph cannot stop them), so the next query honestly gets 429."""
    extra = ("--query-timeout", "1", "--max-queries", "2")
    with rolegraph_serve(real_graph_file, tmp_path, *extra) as server, ThreadPoolExecutor(max_workers=2) as pool:
        slow = [pool.submit(fetch, sparql(server, RUNAWAY), "text/csv") for _ in range(2)]
        for status, headers, body in (future.result() for future in slow):
            assert status == 503
            assert headers["content-type"].startswith("text/plain")  # a SPARQL client gets no HTML page
            assert "expected a query that finishes within 1 s (the server's --query-timeout)" in body
        status, headers, body = fetch(sparql(server, QUICK))
        assert status == 429
        assert headers["retry-after"] == "1"
        assert "expected at most 2 queries at a time" in body
        assert fetch(f"{server.url}role/{REAL_ROLE}", accept="text/html")[0] == 200
        stop(server)


def test_a_streaming_query_past_its_time_limit_stops_and_frees_its_slot(real_graph_file: Path, tmp_path: Path) -> None:
    """A query whose rows stream is stopped at its next chunk of output once the limit passes: its
    slot comes back, where a COUNT's never does (test above)."""
    extra = ("--query-timeout", "1", "--max-queries", "1")
    with rolegraph_serve(real_graph_file, tmp_path, *extra) as server:
        status, _, body = fetch(sparql(server, STREAMING), accept="text/html")  # the page counts every row
        assert status == 503, body
        for _ in range(300):  # bounded: the stop lands within a chunk of output
            status, _, body = fetch(sparql(server, QUICK))
            if status != 429:
                break
            time.sleep(0.1)
        assert status == 200, body
        assert '"boolean":true' in body.replace(" ", "")
        stop(server)
