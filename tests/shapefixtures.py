"""The SHACL shape fixtures of ``tests/data/shapes/``: reading their headers and applying them.

Shared by ``test_shapes.py`` and the regression tests; see ``test_shapes.py`` for what a fixture is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier

from rolegraph.graph.vocab import DEFAULT_BASE, SHAPES_IRI
from tests.helpers import PROLOGUE as PREFIXES_PROLOGUE

FIXTURE_DIR = Path(__file__).parent / "data" / "shapes"
FIXTURES = sorted(FIXTURE_DIR.glob("*.ru"))
SHAPE = Namespace(SHAPES_IRI)
PROLOGUE = f"BASE <{DEFAULT_BASE}>\n" + PREFIXES_PROLOGUE
HEADER_RE = re.compile(r"# (expect|also): (\S+) (\S+)\s*$")

# (node shape, property shape | SPARQL constraint | None for the node shape's own constraints)
Key = tuple[URIRef, URIRef | None]


@dataclass(frozen=True, slots=True)
class Fixture:
    path: Path
    expect: Key
    also: tuple[Key, ...]
    update: str


def _term(text: str) -> URIRef | None:
    if text == "-":
        return None
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith("shape:"):
        return SHAPE[text.removeprefix("shape:")]
    raise ValueError(f"expected shape:<name>, <iri> or -, found {text!r}")


def read_fixture(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    keys: dict[str, list[Key]] = {"expect": [], "also": []}
    for line in text.splitlines():
        m = HEADER_RE.fullmatch(line)
        if m is not None:
            node = _term(m.group(2))
            assert node is not None, f"{path.name}: a header names the node shape first"
            keys[m.group(1)].append((node, _term(m.group(3))))
    assert len(keys["expect"]) == 1, f"{path.name}: expected one '# expect:' line"
    return Fixture(path, keys["expect"][0], tuple(keys["also"]), text)


@cache
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class PreparedQueryGraph(Graph):
    """An rdflib Graph that parses each SPARQL text once.

    pySHACL runs a constraint's ``sh:select`` once per focus node, as text, and rdflib parses
    the text every time (about 20 ms): most of the cost of validating these small graphs.
    A prepared query gives the same results (test_prepared_queries_give_the_same_report).
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def apply_fixture(real_graph: Graph, fixture: Fixture) -> Graph:
    graph = Graph(bind_namespaces="none")
    for triple in real_graph:
        graph.add(triple)
    graph.update(PROLOGUE + fixture.update)
    return graph
