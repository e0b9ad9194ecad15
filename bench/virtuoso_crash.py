"""Virtuoso 7.2 killed during a checkpoint after a MOVE cannot restart: a reproduction without rolegraph.

    .venv/bin/python -m bench.virtuoso_crash [ROUNDS]

Plain HTTP (urllib, digest auth) against Debian's `virtuoso-t` (started as the tests start it, tests/servers.py,
which imports nothing of rolegraph). Each round: a 648-triple graph is the live graph; 6,641 triples are PUT
into a staging graph, checkpointed, moved over the live graph with `MOVE` (logged, Virtuoso's default, or
with `DEFINE sql:log-enable 0` as rolegraph's push sends it), then a `checkpoint` is asked for and the server
is SIGKILLed a few tens of milliseconds into it. On restart Virtuoso says "Starting a database that was killed
during checkpoint. Recovering using checkpoint recov file", then "Broken index RDF_QUAD" and "GPF:
colsearch.c:818 ref to deld col page", and exits: the database is lost. Seen on 2026-12-01 with both MOVE
modes (round 7 unlogged, round 3 logged); the same kill after a `DROP` alone recovered all 3 times it landed
inside the checkpoint.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.synth import write_corpus
from tests.servers import Virtuoso

ROOT = Path(__file__).resolve().parent.parent
LIVE, STAGING = "https://example.org/live", "https://example.org/live/staging"
CHECKPOINT = "SELECT (bif:exec('checkpoint') AS ?done) WHERE {}"


def _send(server: Virtuoso, path: str, data: bytes, headers: dict[str, str], method: str = "POST") -> bytes:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, server.url.rsplit("/", 1)[0] + "/", "dba", server.password)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    url = server.url.rsplit("/", 1)[0] + path
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http only
    with opener.open(req, timeout=300) as answer:
        body: bytes = answer.read()
        return body


def put(server: Virtuoso, graph: str, data: bytes) -> None:
    query = urllib.parse.urlencode({"graph": graph})
    _send(server, f"/sparql-graph-crud-auth?{query}", data, {"Content-Type": "text/turtle"}, "PUT")


def sparql(server: Virtuoso, key: str, text: str) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    _send(server, "/sparql-auth", urllib.parse.urlencode({key: text}).encode(), form)


def new_graph(folder: Path) -> bytes:
    """6,641 triples: the tests' `new_graph` (40 generated pages, seed 11), built by `rolegraph build`."""
    import subprocess

    write_corpus(folder / "seeds", 40, seed=11)
    build = [sys.executable, "-m", "rolegraph", "build", str(folder / "seeds"), "-o", str(folder), "--no-validate"]
    subprocess.run(build, check=True, capture_output=True)
    return (folder / "rolegraph.ttl").read_bytes()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    work = Path(tempfile.mkdtemp(prefix="virtuoso-crash-"))
    old, new = (ROOT / "graph" / "rolegraph.ttl").read_bytes(), new_graph(work / "new")
    (work / "db").mkdir()
    server = Virtuoso(work / "db", secrets.token_hex(8))
    server.start()
    for n in range(rounds):
        prologue = "DEFINE sql:log-enable 0 " if n % 2 == 0 else ""
        put(server, LIVE, old)
        put(server, STAGING, new)
        sparql(server, "query", CHECKPOINT)
        sparql(server, "update", f"{prologue}MOVE SILENT GRAPH <{STAGING}> TO GRAPH <{LIVE}>")
        checkpoint = threading.Thread(target=lambda: _quietly(server))
        checkpoint.start()
        time.sleep(0.01 * (n % 8))
        server.kill()
        checkpoint.join()
        try:
            server.start()
        except RuntimeError as exc:
            print(f"round {n} ({'unlogged' if prologue else 'logged'} MOVE): Virtuoso did not restart", flush=True)
            print("\n".join(line for line in str(exc).splitlines() if "virtuoso-t(" not in line)[-600:])
            return
        print(f"round {n}: killed during the checkpoint, restarted", flush=True)
    server.stop()
    print(f"no failure in {rounds} rounds (the kill must land inside the checkpoint: try more)")


def _quietly(server: Virtuoso) -> None:
    try:
        sparql(server, "query", CHECKPOINT)
    except OSError:
        return  # the kill cut it off


if __name__ == "__main__":
    main()
