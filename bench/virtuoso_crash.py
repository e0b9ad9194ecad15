"""Virtuoso 7.2 killed during a checkpoint after a MOVE cannot restart: a reproduction without rolegraph.

    .venv/bin/python -m bench.virtuoso_crash [ROUNDS]

Plain HTTP (urllib, digest auth) against Debian's `virtuoso-t` (started as the tests start it, tests/servers.py,
which imports nothing of rolegraph). Each round: a 648-triple graph is the live graph; 6,641 triples are PUT into a
staging graph, checkpointed, moved over the live graph with `MOVE` (logged, Virtuoso's default, or with `DEFINE
sql:log-enable 0` as rolegraph's push sends it), then a `checkpoint` is asked for and the server is SIGKILLed as
soon as (or a few milliseconds after) Virtuoso logs that the checkpoint started. On restart Virtuoso says "Starting
a database that was killed during checkpoint. Recovering using checkpoint recov file", then "Broken index RDF_QUAD"
and "GPF: colsearch.c:818 ref to deld col page", and exits: the database is lost. Seen on 2026-12-01 in 4 of the 10
kills that landed inside a checkpoint after a MOVE, logged and unlogged alike; the same kill after a `DROP` alone
recovered all 3 times it landed inside the checkpoint. Not every kill lands inside it: the script says which did.
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
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    work = Path(tempfile.mkdtemp(prefix="virtuoso-crash-"))
    old, new = (ROOT / "graph" / "rolegraph.ttl").read_bytes(), new_graph(work / "new")
    (work / "db").mkdir()
    server = Virtuoso(work / "db", secrets.token_hex(8))
    server.start()
    inside = 0  # kills that landed inside a checkpoint (Virtuoso says so when it restarts)
    for n in range(rounds):
        prologue = "DEFINE sql:log-enable 0 " if n % 2 == 0 else ""
        put(server, LIVE, old)
        put(server, STAGING, new)
        sparql(server, "query", CHECKPOINT)
        sparql(server, "update", f"{prologue}MOVE SILENT GRAPH <{STAGING}> TO GRAPH <{LIVE}>")
        started = _log(server).count("Checkpoint started")
        checkpoint = threading.Thread(target=lambda: _quietly(server))
        checkpoint.start()
        while _log(server).count("Checkpoint started") == started:  # Virtuoso logs the start of each checkpoint
            time.sleep(0.001)
        time.sleep(0.005 * (n % 4))
        server.kill()
        checkpoint.join()
        mode = "unlogged" if prologue else "logged"
        try:
            server.start()
        except RuntimeError:
            log = (work / "db" / "stdout.txt").read_text(errors="replace")
            last = log[log.rfind("OpenLink Virtuoso Universal Server") :]
            print(f"round {n} ({mode} MOVE, killed in its checkpoint): Virtuoso cannot restart", flush=True)
            print("\n".join(line for line in last.splitlines() if "virtuoso-t(" not in line and "libc" not in line))
            print(f"its database and log: {work / 'db'}")
            return
        log = (work / "db" / "stdout.txt").read_text(errors="replace")
        if "killed during checkpoint" in log[log.rfind("OpenLink Virtuoso Universal Server") :]:
            inside += 1
            print(f"round {n} ({mode} MOVE): killed inside the checkpoint, recovered", flush=True)
        else:
            print(f"round {n} ({mode} MOVE): the kill missed the checkpoint", flush=True)
    server.stop()
    print(f"no failure in {rounds} rounds ({inside} kills inside a checkpoint)")


def _log(server: Virtuoso) -> str:
    return (server.folder / "stdout.txt").read_text(errors="replace")


def _quietly(server: Virtuoso) -> None:
    try:
        sparql(server, "query", CHECKPOINT)
    except OSError:
        return  # the kill cut it off


if __name__ == "__main__":
    main()
