"""SHACL validation of a graph against ``ontology/shapes.ttl``: pyshacl-turbo by default, pySHACL as the reference.

The report is turned into :class:`Finding` rows a taxonomist can read: the node, the shape and
path, the message, and the page line the node came from (its ``rg:sourceLocation``).
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Final

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.store import Store
from rdflib.term import Node

from rolegraph import formats
from rolegraph.errors import RolegraphError
from rolegraph.graph.vocab import PREFIXES, RG, SHAPES_IRI, compact
from rolegraph.resources import shapes_text

Triple = tuple[Node, Node, Node]

SEVERITY_ORDER: Final = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    focus: str
    path: str
    shape: str
    component: str
    severity: str
    message: str
    value: str
    source: str  # "page.txt:12", or "" when the node carries no source location

    def line(self) -> str:
        where = f"{self.source}: " if self.source else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{where}{self.severity}: {self.focus}{path}: {self.message}{value} [{self.shape}]"


@dataclass(frozen=True, slots=True)
class Report:
    conforms: bool
    findings: tuple[Finding, ...]

    def text(self) -> str:
        if self.conforms:
            return "conforms"
        return "\n".join(f.line() for f in self.findings)

    def record(self) -> dict[str, object]:
        """The JSON shape of ``rolegraph validate -f json``: ``conforms`` and each finding's fields."""
        return {"conforms": self.conforms, "findings": [asdict(f) for f in self.findings]}


def load_shapes(text: str | None = None) -> Graph:
    """Parse the shapes and check them with :func:`check_shapes` (a bad shapes file never validates anything)."""
    shapes = Graph(bind_namespaces="none")
    try:
        shapes.parse(data=text if text is not None else shapes_text(), format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise RolegraphError(f"shapes: expected valid Turtle, found {type(exc).__name__}: {exc}") from None
    check_shapes(shapes)
    return shapes


SH_TERMS: Final = frozenset(
    str(SH[name]) for name in (*SH.__annotations__, *getattr(SH, "_extras", ()))
)  # every term of the W3C SHACL vocabulary, as rdflib lists it
TARGETS: Final = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
SHAPE_REFERENCES: Final = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
SHAPE_LISTS: Final = (SH["and"], SH["or"], SH.xone)


def check_shapes(shapes: Graph) -> None:
    """Refuse shapes that would let a bad graph pass silently.

    SHACL ignores what it does not know: ``sh:minCont 1`` is just a triple, and a node shape
    without a target, or a property shape no shape refers to, checks nothing. So every ``sh:`` term
    must be a real SHACL term, every ``rg:`` term one the ontology defines, every node shape must
    have a target or be used by another shape, every property shape must have a path and be used,
    and every SPARQL constraint must be used and have a query.
    """
    _check_terms(shapes)
    used: set[Node] = {o for p in SHAPE_REFERENCES for o in shapes.objects(None, p)}
    for p in SHAPE_LISTS:
        for head in shapes.objects(None, p):
            used.update(Collection(shapes, head))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | {s for p in TARGETS for s in shapes.subjects(p)}
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(SH.path))
    for shape in sorted(node_shapes - property_shapes, key=str):
        if shape not in used and not any(shapes.value(shape, p) is not None for p in TARGETS):
            raise _shapes_error(f"a target on node shape {_show(shape)} (or a shape that uses it), found none")
    for shape in sorted(property_shapes, key=str):
        if shapes.value(shape, SH.path) is None:
            raise _shapes_error(f"sh:path on property shape {_show(shape)}, found none")
        if shape not in used and not any(shapes.value(shape, p) is not None for p in TARGETS):
            raise _shapes_error(f"property shape {_show(shape)} used by a shape (sh:property), found it unused")
    constraints = set(shapes.subjects(RDF.type, SH.SPARQLConstraint)) | set(shapes.objects(None, SH.sparql))
    referenced = set(shapes.objects(None, SH.sparql))
    for constraint in sorted(constraints, key=str):
        if constraint not in referenced:
            raise _shapes_error(f"SPARQL constraint {_show(constraint)} used by a shape (sh:sparql), found it unused")
        if shapes.value(constraint, SH.select) is None and shapes.value(constraint, SH.ask) is None:
            raise _shapes_error(f"sh:select on SPARQL constraint {_show(constraint)}, found none")


def _check_terms(shapes: Graph) -> None:
    rg_terms = {str(RG[name]) for name in RG.__annotations__}
    for triple in shapes:
        for term in triple:
            if isinstance(term, URIRef):
                text = str(term)
                if text.startswith(str(SH)) and text not in SH_TERMS:
                    raise _shapes_error(f"SHACL terms only, found {_show(term)} (a misspelling checks nothing)")
                if text.startswith(str(RG)) and text not in rg_terms:
                    raise _shapes_error(
                        f"terms the ontology defines, found {_show(term)} (a misspelling checks nothing)"
                    )


ShaclEngine = formats.ShaclEngine


def _shapes_error(expected: str) -> RolegraphError:
    return RolegraphError(f"shapes: expected {expected}", hint="fix ontology/shapes.ttl")


class Handover:
    """The builder's triples for one validation, let go of as soon as the engine has read them.

    pyshacl-turbo copies its input into its own encoding and then into its engine, where a
    10,000-page graph takes about 500 MB: a build that kept its own triples beside both peaked over
    1.2 GB (bench/RESULTS.md). Reading a handover a second time is an error, never an empty graph.
    ``locations`` is :meth:`~rolegraph.graph.rdf.BuiltGraph.source_locations`: the report's page lines.
    """

    def __init__(self, triples: Sequence[Triple], locations: bytes) -> None:
        self._triples: Sequence[Triple] | None = triples
        self._count = len(triples)
        self._locations = locations
        self.read = threading.Event()  # set once the triples have been read (or reading them failed)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Triple]:
        triples, self._triples = self._triples, None
        try:
            if triples is None:
                raise RolegraphError("the builder's triples were handed to the validator once already")
            yield from triples
        finally:
            triples = None
            self.read.set()

    def locations(self, report: Graph) -> Graph:
        """The rg:sourceLocation triples of the nodes the report names."""
        focus = {str(node) for node in report.objects(None, SH.focusNode)}
        graph = Graph()
        if focus:
            parts = zlib.decompress(self._locations).decode("utf-8").split("\0")
            for node, where in zip(parts[0::2], parts[1::2], strict=False):
                if node in focus:
                    graph.add((URIRef(node), RG.sourceLocation, Literal(where)))
        return graph


def validate_graph(
    data: Graph | Sequence[Triple] | Handover, shapes: Graph | None = None, engine: ShaclEngine = "turbo"
) -> Report:
    """Validate ``data`` (an rdflib Graph, or the builder's triples) with no inference, SHACL-SPARQL on.

    ``turbo`` is pyshacl-turbo, pySHACL's API on a Rust engine (the default: 10-50x faster here);
    ``pyshacl`` is the reference. The test suite proves both report the same results on every fixture.
    A :class:`Handover` is read once, and its triples let go of while the engine works.
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    if engine == "turbo":
        import pyshacl_turbo as engine_module  # noqa: PLC0415 - only validation needs it

        source: object = data if isinstance(data, Graph) else _terms_input(data)
    else:
        import pyshacl as engine_module  # type: ignore[no-redef]  # noqa: PLC0415 - heavy (0.4 s)

        source = data if isinstance(data, Graph) else _graph_of(data)
    conforms, report_graph, _ = engine_module.validate(
        source, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=False
    )
    source = None  # the engine's input (over a handover's triples) is not kept while the report is read
    if isinstance(data, Handover):
        locations = data.locations(report_graph)
    else:
        locations = data if isinstance(data, Graph) else _locations_of(data, report_graph)
    return _report(bool(conforms), report_graph, locations)


def _graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _report(conforms: bool, report_graph: Graph, data: Graph) -> Report:
    findings = sorted(
        (_finding(report_graph, result, data) for result in report_graph.subjects(SH.resultSeverity, None)),
        key=lambda f: (
            f.source,
            SEVERITY_ORDER.get(f.severity, 3),
            f.focus,
            f.path,
            f.shape,
            f.message,
            f.value,
            f.component,
        ),
    )
    return Report(conforms, tuple(findings))


class _TripleList(Store):
    """A read-only rdflib store over a list of triples: no indexes, so no cost before the first read.

    pyshacl-turbo reads an rdflib Graph by iterating it once into its own term encoding; a Graph
    over this store hands it the builder's triples without the 17 s (10,000 pages) that indexing
    them in a memory store costs, and keeps literals' lexical forms (parsed N-Triples text has its
    decimals made canonical, so a SPARQL message said "4" where pySHACL says "4.0").
    """

    def __init__(self, triples: Sequence[Triple] | Handover) -> None:
        super().__init__()
        self._triples = triples

    def triples(
        self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: Graph | None = None
    ) -> Iterator[tuple[Triple, Iterator[Graph | None]]]:
        s, p, o = triple_pattern
        for triple in self._triples:
            if (s is None or triple[0] == s) and (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple, iter((None,))

    def __len__(self, context: Graph | None = None) -> int:
        return len(self._triples)


def _terms_input(triples: Sequence[Triple] | Handover) -> Graph:
    """The builder's triples as an rdflib Graph that pyshacl-turbo reads as cheaply as its own encoding."""
    return Graph(store=_TripleList(triples), bind_namespaces="none")


def _locations_of(triples: Sequence[Triple], report: Graph) -> Graph:
    """The rg:sourceLocation triples of the nodes the report names."""
    focus = set(report.objects(None, SH.focusNode))
    graph = Graph()
    if focus:
        for s, p, o in triples:
            if p == RG.sourceLocation and s in focus:
                graph.add((s, p, o))
    return graph


def _finding(report: Graph, result: Node, data: Graph) -> Finding:
    def one(predicate: URIRef) -> Node | None:
        return report.value(result, predicate)

    focus = one(SH.focusNode)
    sources = sorted(str(s) for s in data.objects(focus, RG.sourceLocation)) if focus is not None else []
    severity = one(SH.resultSeverity)
    return Finding(
        focus=_show(focus),
        path=_show(one(SH.resultPath)),
        shape=_show(one(SH.sourceShape)),
        component=_show(one(SH.sourceConstraintComponent)),
        severity=_show(severity).removeprefix("sh:"),
        message=str(one(SH.resultMessage) or ""),
        value=_show(one(SH.value)),
        source=sources[0] if sources else "",
    )


# How _show names a term: the graph's prefixes, then SHACL's and the shapes'.
_SHOW_PREFIXES: Final = {**PREFIXES, "sh": str(SH), "shape": SHAPES_IRI}


def _show(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(term, _SHOW_PREFIXES) or f"<{term}>"
    return str(term)
