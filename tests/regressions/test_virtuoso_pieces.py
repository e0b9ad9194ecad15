"""Issue 19: Virtuoso's loader deadlocks on a large upload of IRIs new to it and then drops part of it silently.

The 10,000-page graph (1,425,507 triples) sent as one Graph Store PUT into a new Virtuoso 7.2 database kept a
contiguous part of the file (1,027,269 to 1,159,555 triples) and answered 201 (or 500 naming the deadlock, or
nothing for minutes); push's staging count refused it, live graph unchanged. Sent as ten N-Triples requests of
150,000 triples (a PUT, then POSTs) it was exact. The `virtuoso` profile now uploads the staging graph in pieces
(``upload_piece``), a group of triples sharing blank nodes always in one piece (a label means nothing outside
its request). Here a small piece size makes a small graph take many pieces.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rolegraph.ask.remote import PROFILES, Endpoint, RemoteStore, count_triples, pieces, push, read_triples
from rolegraph.errors import RemoteError
from tests.servers import Virtuoso

PIECE = 40


def _graph(path: Path, subjects: int = 60) -> Path:
    """A graph of plain, language-tagged and typed literals, IRIs, and blank nodes linked in chains longer than
    a piece (so a piecing that splits them is seen)."""
    lines = ["@prefix e: <https://example.org/pieces/> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    for n in range(subjects):
        lines.append(
            f'e:s{n} e:label "subject {n}" , "sujet {n}"@fr ; e:count {n} ; e:next e:s{(n + 1) % subjects} ;'
            f' e:note "a \\"quoted\\" word\\nand a line {n}" .'
        )
    for n in range(3):  # three chains of 15 blank nodes, 46 triples each: more than a piece
        chain = " ".join(f'[ e:step {k} ; e:of "chain {n}" ; e:then ' for k in range(15))
        lines.append(f"e:chain{n} e:first {chain} e:end {']' * 15} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pieces_are_small_and_never_split_a_blank_node(tmp_path: Path) -> None:
    path = _graph(tmp_path / "g.ttl")
    triples = read_triples(path)
    assert [len(group) for group in triples.blank] == [46, 46, 46]  # each larger than a piece
    sent = list(pieces(triples, PIECE))
    assert len(sent) > 5
    whole = Graph()
    for body in sent:  # each piece parsed on its own, as the store reads each request
        graph = Graph().parse(data=body.decode("utf-8"), format="nt")
        assert len(graph) <= PIECE or len(graph) == 46, len(graph)  # a blank node group travels whole
        whole += graph
    assert len(whole) == triples.count == len(Graph().parse(path))
    assert isomorphic(whole, Graph().parse(path))  # a split blank node would be two nodes here


def test_an_empty_graph_is_one_empty_piece(tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    assert list(pieces(read_triples(path), PIECE)) == [b""]


def test_a_push_in_pieces_into_virtuoso_holds_exactly_the_local_graph(
    virtuoso: Virtuoso, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(PROFILES, "virtuoso", dataclasses.replace(PROFILES["virtuoso"], upload_piece=PIECE))
    endpoint = Endpoint(virtuoso.url, user=virtuoso.user, password=virtuoso.password, profile="virtuoso", retries=0)
    iri = "https://example.org/pieces/graph"
    for path in (_graph(tmp_path / "g.ttl"), _graph(tmp_path / "smaller.ttl", subjects=45)):  # new, then changed
        local = Graph().parse(path)
        with caplog.at_level(logging.INFO, logger="rolegraph.remote"):
            caplog.clear()
            result = push(path, endpoint, iri)
        uploads = [r.getMessage() for r in caplog.records if r.getMessage().startswith("staging upload, piece")]
        assert len(uploads) == len(list(pieces(read_triples(path), PIECE))) > 5, uploads
        remote = Graph()
        for row in RemoteStore(endpoint, iri).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {}).rows:
            remote.add(row)  # type: ignore[arg-type]
        assert result.triples == len(remote) == len(local)
        assert isomorphic(remote, local)
        assert count_triples(endpoint, f"{iri}/staging") == 0  # the MOVE took it


class _KillAt(logging.Handler):
    """Kills the server (SIGKILL) as push logs the given piece, before that piece is sent."""

    def __init__(self, server: Virtuoso, piece: int) -> None:
        super().__init__()
        self.server, self.piece = server, piece

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(f"staging upload, piece {self.piece} "):
            self.server.kill()


def test_a_server_killed_between_pieces_keeps_the_old_graph(
    virtuoso: Virtuoso, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PROFILES, "virtuoso", dataclasses.replace(PROFILES["virtuoso"], upload_piece=PIECE))
    endpoint = Endpoint(virtuoso.url, user=virtuoso.user, password=virtuoso.password, profile="virtuoso", retries=0)
    iri = "https://example.org/pieces/killed"
    old = _graph(tmp_path / "old.ttl", subjects=20)
    push(old, endpoint, iri)
    killer = _KillAt(virtuoso, piece=4)
    logger = logging.getLogger("rolegraph.remote")
    logger.addHandler(killer)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with pytest.raises(RemoteError) as raised:
            push(_graph(tmp_path / "new.ttl"), endpoint, iri)
    finally:
        logger.removeHandler(killer)
        logger.setLevel(level)
        virtuoso.start()  # the same database, as after a crash
    assert f"the live graph <{iri}> is unchanged" in raised.value.message
    remote = Graph()
    for row in RemoteStore(endpoint, iri).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {}).rows:
        remote.add(row)  # type: ignore[arg-type]
    assert isomorphic(remote, Graph().parse(old))
