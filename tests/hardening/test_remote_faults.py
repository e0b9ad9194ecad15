"""Remote faults during a push (issue #7): one clear line, exit 3, and the live graph unchanged.

``tests/test_remote.py`` covers each HTTP fault on queries; here the same faults hit ``push`` at
each of its steps, and a real Oxigraph server is killed (SIGKILL) while it receives the upload,
then restarted on the same ``--location``: the live graph is still the old one, and rerunning the
push, as the message says, succeeds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from bench.synth import write_corpus
from rolegraph import api
from rolegraph.ask.remote import DEFAULT_GRAPH_IRI, Endpoint, RemoteStore, count_triples
from rolegraph.errors import EXIT_REMOTE
from tests.helpers import invoke
from tests.servers import FaultHandler, fault_server, oxigraph_process


@pytest.mark.parametrize(
    ("store", "update", "words"),
    [
        ("/503", "/ok", "busy (503) after 2 attempts; the push stopped before the swap"),
        ("/slow", "/ok", "no answer within 1 s (client timeout); the push stopped before the swap"),
        ("/401", "/ok", "not authorised (401); the push stopped before the swap"),
        ("/400", "/ok", "rejected the request as malformed (400)"),
        ("/500", "/ok", "the store failed (500): status 500"),
        ("/missing", "/ok", "no such endpoint (404); the push stopped before the swap"),
    ],
)
def test_push_faults_are_one_line_and_say_the_live_graph_is_unchanged(
    store: str, update: str, words: str, real_graph_file: Path
) -> None:
    with fault_server() as base:
        code, out, err = invoke(
            "push", str(real_graph_file), "--endpoint", base + "/ok", "--store-endpoint", base + store,
            "--update-endpoint", base + update, "--timeout", "1", "--retries", "1", "--password", "s3cret",
            "--user", "ana",
        )  # fmt: skip
    assert code == EXIT_REMOTE, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err
    assert "live graph" in lines[0] and "unchanged" in lines[0]
    assert "Traceback" not in err and "s3cret" not in out + err


def test_a_staging_count_that_disagrees_stops_before_the_swap(real_graph_file: Path) -> None:
    """The upload "succeeds" but the staging graph holds 1 triple (the fault server's answer to every count):
    the push drops the staging graph (here the update endpoint fails: only logged), never swaps, exits 3."""
    with fault_server() as base:
        code, out, err = invoke(
            "push", str(real_graph_file), "--endpoint", base + "/ok", "--store-endpoint", base + "/ok",
            "--update-endpoint", base + "/503", "--timeout", "1", "--retries", "0",
        )  # fmt: skip
        updates = [b for b in FaultHandler.bodies if b.startswith("update=")]
    assert code == EXIT_REMOTE, err
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "staging graph holds 1 triple, expected" in err and "live graph unchanged" in err
    assert [unquote_plus(u).split(" <")[0] for u in updates] == ["update=DROP SILENT GRAPH"]  # no MOVE


def test_push_fault_during_the_swap_says_what_is_known(tmp_path: Path) -> None:
    one = tmp_path / "one-triple.nt"
    one.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n", encoding="utf-8")
    with fault_server() as base:
        # the staging count is right (the fault server answers n=1 to every query) but the MOVE fails
        code, _, err = invoke(
            "push", str(one), "--endpoint", base + "/ok", "--store-endpoint", base + "/ok",
            "--update-endpoint", base + "/503", "--retries", "0",
        )  # fmt: skip
    assert code == EXIT_REMOTE
    assert "may or may not have happened" in err and "rerun `rolegraph push`" in err
    assert len(err.strip().splitlines()) == 1


def _established(port: int) -> bool:
    """A TCP connection to ``port`` is open (Linux /proc): the client is talking to the server."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                return True
    return False


def _triples(endpoint: Endpoint) -> set[tuple[str, str, str]]:
    table = RemoteStore(endpoint, graph_iri=DEFAULT_GRAPH_IRI).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {})
    return {(str(s), str(p), str(o)) for s, p, o in table.rows}


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="watches /proc/net/tcp for the upload")
def test_server_killed_mid_push_leaves_the_live_graph_and_a_retry_works(real_graph_file: Path, tmp_path: Path) -> None:
    big = tmp_path / "big"
    write_corpus(big / "seeds", 300, seed=4)
    api.build([big / "seeds"], big / "graph", validate=False)
    big_graph = big / "graph" / "rolegraph.ttl"
    location = tmp_path / "store"
    with oxigraph_process(location) as (url, server):
        endpoint = Endpoint(url)
        code, _, err = invoke("push", str(real_graph_file), "--endpoint", url)
        assert code == 0, err
        before = _triples(endpoint)
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        push = subprocess.Popen(
            [sys.executable, "-m", "rolegraph", "push", str(big_graph), "--endpoint", url, "--retries", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ},
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not _established(port) and push.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(0.05)  # into the upload
        assert push.poll() is None, "the push ended before the server could be killed: use a bigger graph"
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        out, err = push.communicate(timeout=120)
    assert push.returncode == EXIT_REMOTE, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    # killed before the write went out: "unchanged"; while the store ran it (Oxigraph writes the difference
    # with the live graph in one request, no staging graph): it cannot know, and says so
    said = f"the live graph <{DEFAULT_GRAPH_IRI}> is unchanged", "may or may not have happened"
    assert any(words in lines[0] for words in said), err
    assert "rerun `rolegraph push`" in lines[0], err
    with oxigraph_process(location, port) as (url, _):
        endpoint = Endpoint(url)
        assert _triples(endpoint) == before  # the live graph survived the crash, whole
        code, out, err = invoke("push", str(big_graph), "--endpoint", url)  # the retry the message asked for
        assert code == 0, err
        assert count_triples(endpoint, DEFAULT_GRAPH_IRI) == int(out.split()[1])
        assert count_triples(endpoint, f"{DEFAULT_GRAPH_IRI}/staging") == 0
