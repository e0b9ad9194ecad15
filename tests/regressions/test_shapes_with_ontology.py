"""Issue #12, item 9: the published graph conforms when the ontology is mixed into the data.

RDF users validate with the ontology attached (``pyshacl -e ontology/rolegraph.ttl``), often with
RDFS inference. Before, ``shape:NamedNodeShape`` (every subject of ``rdf:type`` is an IRI) fired on
the ontology's own blank nodes: 2 violations on its ``owl:unionOf`` class expressions, 308 with
``-i rdfs`` (which also types the RDF list cells and every literal). The shape now lets exactly
those ontology constructs and inferred literal subjects pass, and still catches a blank node in
our data in every mode.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyshacl
import pyshacl_turbo
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from bench.synth import generate_pages
from rolegraph.graph.rdf import build_graph
from rolegraph.resources import resource, shapes_text
from tests.helpers import ROOT
from tests.shapefixtures import FIXTURE_DIR, PreparedQueryGraph, apply_fixture, read_fixture

PUBLISHED = ROOT / "graph" / "rolegraph.ttl"
NAMED_NODE_SHAPE = URIRef("https://w3id.org/rolegraph/shapes#NamedNodeShape")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=resource("ontology", "rolegraph.ttl").read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def published() -> Graph:
    return Graph().parse(PUBLISHED)


@pytest.fixture(scope="module")
def generated() -> Graph:
    """Two functions, both tracks (P and M), SOC and ISCO-08 mappings."""
    pages = generate_pages(6, 0)
    assert {p.role_code[-2] for p in pages} == {"P", "M"}
    assert any(m.scheme == "ISCO-08" for p in pages for m in p.mappings)
    return build_graph(pages).to_rdflib()


def validate_with_ontology(data: Graph, shapes: Graph, ontology: Graph, inference: str) -> tuple[bool, Graph, str]:
    copy = PreparedQueryGraph()  # parses each SHACL-SPARQL query once; the copy takes the ontology in place
    for triple in data:
        copy.add(triple)
    conforms, report, text = pyshacl.validate(
        copy, shacl_graph=shapes, ont_graph=ontology, inference=inference, advanced=True, inplace=True
    )
    assert isinstance(report, Graph) and isinstance(text, str)
    return bool(conforms), report, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
@pytest.mark.parametrize("which", ["published", "generated"])
def test_graph_conforms_with_the_ontology_attached(
    request: pytest.FixtureRequest, shapes: Graph, ontology: Graph, which: str, inference: str
) -> None:
    data: Graph = request.getfixturevalue(which)
    conforms, _, text = validate_with_ontology(data, shapes, ontology, inference)
    assert conforms, text


def test_published_graph_conforms_with_owl_rl_inference(shapes: Graph, ontology: Graph, published: Graph) -> None:
    conforms, _, text = validate_with_ontology(published, shapes, ontology, "owlrl")
    assert conforms, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_pyshacl_turbo_agrees_with_the_ontology_attached(
    shapes: Graph, ontology: Graph, published: Graph, inference: str
) -> None:
    conforms, _, text = pyshacl_turbo.validate(
        published, shacl_graph=shapes, ont_graph=ontology, inference=inference, advanced=True
    )
    assert conforms, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_a_blank_node_in_our_data_still_fails_with_the_ontology_attached(
    shapes: Graph, ontology: Graph, published: Graph, inference: str
) -> None:
    broken = apply_fixture(published, read_fixture(FIXTURE_DIR / "NamedNode.ru"))
    conforms, report, _ = validate_with_ontology(broken, shapes, ontology, inference)
    assert not conforms
    focus = {
        report.value(r, SH.focusNode)
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.sourceShape) == NAMED_NODE_SHAPE
    }
    assert len(focus) == 1 and isinstance(focus.pop(), BNode)


def test_the_pyshacl_command_in_the_readme_conforms() -> None:
    command = ["-s", "ontology/shapes.ttl", "-e", "ontology/rolegraph.ttl", "-i", "rdfs", "graph/rolegraph.ttl"]
    assert f"pyshacl {' '.join(command)}" in (ROOT / "README.md").read_text(encoding="utf-8")
    script = Path(sys.executable).with_name("pyshacl")
    done = subprocess.run([str(script), *command], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Conforms: True" in done.stdout
