"""validate_graph on N-Triples bytes (the build's fast path): the same findings as on the graph.

pyshacl-turbo parses the bytes itself. Before that, each non-ASCII character is written as its
N-Triples escape so that the engine's str costs one byte a character; these tests pin that the
escaped text reads back as the same triples, and that a finding showing such a character, or a
literal's lexical form ("4.0"), reads the same as from the rdflib graph.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from rolegraph.graph.io import to_ntriples
from rolegraph.graph.rdf import BuiltGraph
from rolegraph.graph.validate import _ntriples_text, validate_graph
from rolegraph.graph.vocab import RG

NON_ASCII = (
    '<https://example.org/caf\u00e9> <https://example.org/p> "na\u00efve \u2014 \U0001f600 \\"q\\" \\\\u00e9" .\n'
    '<https://example.org/a> <https://example.org/p> "x\u00e9"@fr .\n'
    '<https://example.org/a> <https://example.org/q> "4.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
).encode()


def _triples(data: bytes | str) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(data.encode() if isinstance(data, str) else data, format=ox.RdfFormat.N_TRIPLES)}


def test_escaped_text_reads_back_as_the_same_triples() -> None:
    text = _ntriples_text(NON_ASCII)
    assert text.isascii(), "every non-ASCII character is escaped: the engine's str is one byte a character"
    assert _triples(text) == _triples(NON_ASCII)
    assert len(_triples(NON_ASCII)) == 3


def test_blank_nodes_are_read_as_they_are() -> None:
    """An escape is not allowed in a blank node label, so bytes with one are decoded, not escaped."""
    data = NON_ASCII + '_:b\u00e9 <https://example.org/p> "\u2014" .\n'.encode()
    text = _ntriples_text(data)
    assert not text.isascii()
    assert _triples(text) == _triples(data)


def test_ascii_bytes_are_read_as_they_are() -> None:
    data = b'<https://example.org/a> <https://example.org/p> "plain" .\n'
    assert _ntriples_text(data) == data.decode("ascii")


@pytest.fixture(scope="module")
def broken(real_built: BuiltGraph) -> list[tuple[URIRef, URIRef, Literal]]:
    """The real page's triples with a role code holding an accented capital and an em dash."""
    triples = list(real_built.triples)
    roles = {s for s, p, _ in triples if p == RG.profilePage}
    index = next(i for i, (s, p, _) in enumerate(triples) if p == SKOS.notation and s in roles)
    s, p, o = triples[index]
    triples[index] = (s, p, Literal(f"{o}\u00c9\u2014"))
    return triples  # type: ignore[return-value]


def test_findings_on_bytes_match_the_graph(broken: list[tuple[URIRef, URIRef, Literal]]) -> None:
    graph = Graph()
    for triple in broken:
        graph.add(triple)
    expected = validate_graph(graph).findings
    assert any("\u00c9\u2014" in f.value or "\u00c9\u2014" in f.message for f in expected), expected
    assert all(f.source for f in expected if "\u00c9" in f.value + f.message), "the role's page line is named"
    assert validate_graph(to_ntriples(broken)).findings == expected
    assert (
        validate_graph(to_ntriples(broken), engine="pyshacl").findings
        == validate_graph(graph, engine="pyshacl").findings
    )


def test_a_decimal_keeps_its_lexical_form(real_built: BuiltGraph) -> None:
    """A value shown in a finding is the literal as written: "4.0" from the bytes as from the graph."""
    triples = list(real_built.triples)
    index = next(i for i, (_, p, _) in enumerate(triples) if p == RG.passThreshold)
    s, p, _ = triples[index]
    triples[index] = (
        s,
        p,
        Literal("6.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"), normalize=False),
    )
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    findings = validate_graph(to_ntriples(triples)).findings
    assert [f.value for f in findings if f.path == "rg:passThreshold"] == ["6.0"]
    assert findings == validate_graph(graph).findings
