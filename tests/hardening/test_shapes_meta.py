"""A shapes file cannot let a bad graph pass silently: ``validate.load_shapes`` checks the shapes first.

SHACL ignores what it does not know: ``sh:minCont 1`` is just another triple, a node shape without
a target applies to nothing, and a property shape no node shape uses checks nothing. Each test
below first shows the silent pass (validating with the broken shapes parsed as plain Turtle), then
shows that :func:`rolegraph.graph.validate.load_shapes` refuses those shapes with one clear line.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from rolegraph.errors import RolegraphError
from rolegraph.graph.rdf import BuiltGraph
from rolegraph.graph.validate import SH_TERMS, TARGETS, check_shapes, load_shapes, validate_graph
from rolegraph.graph.vocab import RG, SKOS
from rolegraph.resources import shapes_text
from tests.helpers import invoke

FUNCTION_LABEL = """shape:Function-prefLabel
    a sh:PropertyShape ;
    sh:path skos:prefLabel ;
    sh:minCount 1 ;"""

BROKEN = {
    # name: (old text, new text, words in the error)
    "misspelt-option": (FUNCTION_LABEL, FUNCTION_LABEL.replace("sh:minCount", "sh:minCont"), "found sh:minCont"),
    "no-target": ("    sh:targetClass rg:Function ;\n", "", "a target on node shape shape:FunctionShape"),
    "misspelt-class": ("sh:targetClass rg:Function ;", "sh:targetClass rg:Funtcion ;", "found rg:Funtcion"),
    "misspelt-type": (
        FUNCTION_LABEL,
        FUNCTION_LABEL.replace("sh:PropertyShape", "sh:Propertyshape"),
        "found sh:Propertyshape",
    ),
    "unused-property-shape": (
        "        shape:Function-prefLabel ,\n",
        "",
        "property shape shape:Function-prefLabel used by a shape (sh:property), found it unused",
    ),
    "misspelt-property": (FUNCTION_LABEL, FUNCTION_LABEL.replace("sh:path", "sh:pth"), "found sh:pth"),
    "unused-sparql": (
        "    sh:sparql shape:Function-notationUnique ;\n",
        "",
        "SPARQL constraint shape:Function-notationUnique used by a shape (sh:sparql), found it unused",
    ),
}


def broken_shapes(name: str) -> str:
    old, new, _ = BROKEN[name]
    text = shapes_text()
    assert text.count(old) == 1, name
    return text.replace(old, new)


def graph_without_function_labels(real_built: BuiltGraph) -> Graph:
    graph = real_built.to_rdflib()
    for function in list(graph.subjects(RDF.type, RG.Function)):
        graph.remove((function, SKOS.prefLabel, None))
    return graph


def test_the_shipped_shapes_pass_the_check() -> None:
    shapes = load_shapes()
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(str(SH))}
    assert used and used <= {URIRef(t) for t in SH_TERMS}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert any(shapes.value(shape, p) is not None for p in TARGETS), shape
    check_shapes(shapes)


def test_the_bad_graph_is_caught_by_the_real_shapes(real_built: BuiltGraph) -> None:
    report = validate_graph(graph_without_function_labels(real_built), engine="pyshacl")
    assert not report.conforms
    assert any(f.shape == "shape:Function-prefLabel" for f in report.findings)


@pytest.mark.parametrize("name", ["misspelt-option", "no-target", "misspelt-class", "unused-property-shape"])
def test_broken_shapes_would_pass_the_bad_graph_silently(name: str, real_built: BuiltGraph) -> None:
    """Why the check exists: without it each of these shapes files lets the bad graph conform."""
    raw = Graph().parse(data=broken_shapes(name), format="turtle")
    report = validate_graph(graph_without_function_labels(real_built), shapes=raw, engine="pyshacl")
    assert report.conforms, report.text()


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_shapes_are_refused(name: str) -> None:
    with pytest.raises(RolegraphError) as info:
        load_shapes(broken_shapes(name))
    message = str(info.value)
    assert message.startswith("shapes: expected ") and BROKEN[name][2] in message, message
    assert message.endswith("(fix ontology/shapes.ttl)") and "\n" not in message


def test_broken_shipped_shapes_stop_the_cli_with_one_line(
    monkeypatch: pytest.MonkeyPatch, real_graph_file: str
) -> None:
    import rolegraph.graph.validate

    monkeypatch.setattr(rolegraph.graph.validate, "shapes_text", lambda: broken_shapes("misspelt-option"))
    code, _, err = invoke("validate", str(real_graph_file))
    assert code == 2
    assert err.strip() == (
        "error: shapes: expected SHACL terms only, found sh:minCont (a misspelling checks nothing) "
        "(fix ontology/shapes.ttl)"
    )
