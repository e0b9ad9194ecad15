"""The vocabulary class ``RG`` and ``ontology/rolegraph.ttl`` declare exactly the same terms.

Also: every term is documented (label, definition, domain and range), functional properties match
the builder's ``FUNCTIONAL`` set, the reuse axioms are in place, the graph built from the real page
uses the terms as declared, and ``ontology/context.jsonld`` holds only our prefixes and two aliases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

import rolegraph
from rolegraph.graph.rdf import FUNCTIONAL
from rolegraph.graph.vocab import ONTOLOGY_IRI, PREFIXES, RG, compact
from rolegraph.resources import ontology_text, resource

ONTOLOGY = URIRef("https://w3id.org/rolegraph/ontology")
# SDO and XSD stay behind `namespace.`: pytest inspects module globals, and those two warn on unknown names.
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
RG_TERMS = frozenset(RG[name] for name in RG.__annotations__)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(data=ontology_text(), format="turtle")
    return graph


def declared(ontology: Graph) -> set[URIRef]:
    return {
        s
        for kind in KINDS
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(ONTOLOGY_IRI)
    }


def members(ontology: Graph, node: Node) -> Iterator[Node]:
    """A named class, or the members of an owl:unionOf class expression."""
    union = ontology.value(node, OWL.unionOf) if isinstance(node, BNode) else None
    if union is None:
        yield node
    else:
        yield from Collection(ontology, union)


def test_ontology_parses_and_describes_itself(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, DCTERMS.title) is not None
    assert len(str(ontology.value(ONTOLOGY, DCTERMS.description))) > 200
    assert ontology.value(ONTOLOGY, DCTERMS.license) == Literal("MIT")
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal(rolegraph.__version__)


def test_every_rg_term_is_declared(ontology: Graph) -> None:
    assert sorted(RG_TERMS - declared(ontology)) == []


def test_every_declared_term_is_in_rg(ontology: Graph) -> None:
    assert sorted(declared(ontology) - RG_TERMS) == []
    mentioned = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t.startswith(ONTOLOGY_IRI)}
    assert sorted(mentioned - RG_TERMS) == [], "rg: terms used in the ontology but not in RG"


@pytest.mark.parametrize("term", sorted(RG_TERMS), ids=lambda t: str(t).removeprefix(ONTOLOGY_IRI))
def test_term_is_documented(ontology: Graph, term: URIRef) -> None:
    kinds = {k for k in KINDS if (term, RDF.type, k) in ontology}
    assert len(kinds) == 1, f"one of owl:Class, owl:ObjectProperty, owl:DatatypeProperty, found {kinds}"
    assert ontology.value(term, RDFS.label) is not None, "no rdfs:label"
    definition = ontology.value(term, SKOS.definition) or ontology.value(term, RDFS.comment)
    assert definition is not None and len(str(definition)) > 15, "no skos:definition or rdfs:comment"
    if OWL.Class in kinds:
        assert term.removeprefix(ONTOLOGY_IRI)[0].isupper()
        return
    assert term.removeprefix(ONTOLOGY_IRI)[0].islower()
    domain = ontology.value(term, RDFS.domain)
    assert domain is not None, "no rdfs:domain"
    ranges = list(ontology.objects(term, RDFS.range))
    assert len(ranges) == 1, f"one rdfs:range, found {ranges}"
    datatype = str(ranges[0]).startswith(str(namespace.XSD))
    assert datatype == (OWL.DatatypeProperty in kinds), f"range {ranges[0]} does not fit {kinds}"
    for cls in members(ontology, domain):
        assert cls == OWL.Thing or (cls, RDF.type, OWL.Class) in ontology, f"domain {cls} is not a declared class"


def test_functional_properties_match_the_builder(ontology: Graph) -> None:
    functional = {
        s for s in ontology.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(s, URIRef) and s in RG_TERMS
    }
    assert sorted(functional ^ (FUNCTIONAL & RG_TERMS)) == []


@pytest.mark.parametrize(
    ("sub", "relation", "sup"),
    [
        *((RG[c], RDFS.subClassOf, SKOS.Concept) for c in ("Function", "Focus", "Level", "Role", "Skill")),
        (RG.ClassificationCode, RDFS.subClassOf, SKOS.Concept),
        (RG.Role, RDFS.subClassOf, namespace.SDO.Occupation),
        (RG.Ladder, RDFS.subClassOf, SKOS.ConceptScheme),
        (RG.PayDistribution, RDFS.subClassOf, namespace.SDO.MonetaryAmountDistribution),
        (RG.SourcePage, RDFS.subClassOf, PROV.Entity),
        (RG.Review, RDFS.subClassOf, PROV.Entity),
        (RG.distinctFrom, RDFS.subPropertyOf, SKOS.related),
        (RG.function, RDFS.subPropertyOf, SKOS.broader),
        (RG.focus, RDFS.subPropertyOf, SKOS.broader),
        (RG.profilePage, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    ],
)
def test_reuse_axioms(ontology: Graph, sub: URIRef, relation: URIRef, sup: URIRef) -> None:
    assert (sub, relation, sup) in ontology


@pytest.mark.parametrize(
    ("term", "field"),
    [
        (RG.mappedRole, "subject_id"),
        (RG.mappingPredicate, "predicate_id"),
        (RG.mappedCode, "object_id"),
        (RG.mappingJustification, "mapping_justification"),
        (RG.mappingTool, "mapping_tool"),
    ],
)
def test_mapping_properties_name_their_sssom_field(ontology: Graph, term: URIRef, field: str) -> None:
    assert f"SSSOM field: {field}" in str(ontology.value(term, RDFS.comment))


def test_real_graph_uses_terms_as_declared(ontology: Graph, real_graph: Graph) -> None:
    """Each rg: statement fits the property's domain and range (an RDFS check, no inference)."""
    problems: list[str] = []
    for s, p, o in real_graph:
        if p == RDF.type and isinstance(o, URIRef) and o.startswith(ONTOLOGY_IRI):
            if o not in RG_TERMS:
                problems.append(f"{s} is typed with undeclared {o}")
            continue
        if not (isinstance(p, URIRef) and p.startswith(ONTOLOGY_IRI)):
            continue
        if p not in RG_TERMS:
            problems.append(f"undeclared property {p}")
            continue
        domain = ontology.value(p, RDFS.domain)
        allowed = set(members(ontology, domain)) if domain is not None else set()
        if OWL.Thing not in allowed and not allowed & set(real_graph.objects(s, RDF.type)):
            problems.append(f"{s} {p}: subject is not a {sorted(str(c) for c in allowed)}")
        range_ = ontology.value(p, RDFS.range)
        if isinstance(o, Literal):
            datatype = o.datatype or (namespace.XSD.string if o.language is None else RDF.langString)
            if datatype != range_:
                problems.append(f"{s} {p} {o!r}: expected {range_}")
        elif range_ != OWL.Thing and (o, RDF.type, range_) not in real_graph:
            problems.append(f"{s} {p} {o}: object is not a {range_}")
    assert problems == []


def test_context_holds_only_our_prefixes_and_aliases() -> None:
    document = json.loads(resource("ontology", "context.jsonld").read_text(encoding="utf-8"))
    assert list(document) == ["@context"]
    context = document["@context"]
    assert isinstance(context, dict)
    assert context.get("@version") == 1.1
    terms = {k: v for k, v in context.items() if k != "@version"}
    assert terms == {"id": "@id", "type": "@type", **PREFIXES}
    assert "@import" not in context


# -- compact: the one CURIE compactor ------------------------------------------------------------


def test_compact_names_an_iri_by_the_first_namespace_it_extends() -> None:
    assert compact(str(SKOS.exactMatch)) == "skos:exactMatch"
    assert compact(PREFIXES["rg"] + "Role") == "rg:Role"
    # in the order given: the caller decides which namespace wins (graphio puts the longest first)
    assert compact("https://ex.org/a/b", {"a": "https://ex.org/a/", "ex": "https://ex.org/"}) == "a:b"
    assert compact("https://ex.org/a/b", {"ex": "https://ex.org/", "a": "https://ex.org/a/"}) == "ex:a/b"
    assert compact(PREFIXES["rg"] + "Role", sep="-") == "rg-Role"


def test_compact_leaves_unknown_iris_and_bare_namespaces_to_the_caller() -> None:
    assert compact("https://example.org/x") is None
    assert compact(PREFIXES["skos"]) is None  # a CURIE needs a local part
