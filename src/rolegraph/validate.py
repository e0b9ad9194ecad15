"""SHACL validation of a graph against ``ontology/shapes.ttl`` with pySHACL.

The report is turned into :class:`Finding` rows a taxonomist can read: the node, the shape and
path, the message, and the page line the node came from (its ``rg:sourceLocation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from rolegraph.errors import RolegraphError
from rolegraph.resources import shapes_text
from rolegraph.vocab import PREFIXES, RG

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


def load_shapes(text: str | None = None) -> Graph:
    shapes = Graph(bind_namespaces="none")
    try:
        shapes.parse(data=text if text is not None else shapes_text(), format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise RolegraphError(f"shapes: expected valid Turtle, found {type(exc).__name__}: {exc}") from None
    return shapes


ShaclEngine = Literal["turbo", "pyshacl"]
SHACL_ENGINES: Final = ("turbo", "pyshacl")


def validate_graph(data: Graph | str, shapes: Graph | None = None, engine: ShaclEngine = "turbo") -> Report:
    """Validate ``data`` (an rdflib Graph, or N-Triples text for turbo) with no inference, SHACL-SPARQL on.

    ``turbo`` is pyshacl-turbo, pySHACL's API on a Rust engine (the default: 10-50x faster here);
    ``pyshacl`` is the reference. The test suite proves both report the same results on every fixture.
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    if engine == "turbo":
        import pyshacl_turbo  # noqa: PLC0415 - only validation needs it

        source: object = data
        if isinstance(data, str):
            from pyshacl_turbo.rdf import Input  # noqa: PLC0415

            source = Input(data, "nt", None, {})
        conforms, report_graph, _ = pyshacl_turbo.validate(
            source, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=False
        )
    else:
        import pyshacl  # noqa: PLC0415 - heavy (0.4 s); only validation needs it

        if isinstance(data, str):
            data = Graph().parse(data=data, format="nt")
        conforms, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=False
        )
    if isinstance(data, str):  # source locations for the report come from the data itself
        data = _subjects_with_locations(data, report_graph)
    findings = sorted(
        (_finding(report_graph, result, data) for result in report_graph.subjects(SH.resultSeverity, None)),
        key=lambda f: (f.source, SEVERITY_ORDER.get(f.severity, 3), f.focus, f.path, f.shape, f.message, f.value),
    )
    return Report(bool(conforms), tuple(findings))


def _subjects_with_locations(ntriples: str, report: Graph) -> Graph:
    """Only the rg:sourceLocation triples of the nodes the report names (cheap for a big graph)."""
    focus = {f"<{n}>" for n in report.objects(None, SH.focusNode) if isinstance(n, URIRef)}
    marker = f" <{RG.sourceLocation}> "
    lines = [line for line in ntriples.splitlines() if marker in line and line.split(" ", 1)[0] in focus]
    return Graph().parse(data="\n".join(lines), format="nt") if lines else Graph()


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


def _show(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in (*PREFIXES.items(), ("sh", str(SH)), ("shape", "https://w3id.org/rolegraph/shapes#")):
            if text.startswith(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    return str(term)
