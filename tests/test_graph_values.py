"""Every value on the real page can be found in the built graph with SPARQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from rolegraph.graph.rdf import BuiltGraph
from rolegraph.graph.vocab import PREFIXES
from rolegraph.pages.model import Page
from tests.helpers import PROLOGUE, REAL_ROLE

ID = "https://w3id.org/rolegraph/id/"


def rows(graph: Graph, query: str, **bindings: Any) -> list[tuple[Any, ...]]:
    init = {k: (v if isinstance(v, (URIRef, Literal)) else Literal(v)) for k, v in bindings.items()}
    result: Any = graph.query(PROLOGUE + query, initBindings=init)
    return [tuple(t.toPython() if t is not None else None for t in row) for row in result]


def test_role_status_and_titles(real_graph: Graph) -> None:
    got = rows(
        real_graph,
        """SELECT ?title ?band ?score ?status ?region ?version ?fn ?focus ?level WHERE {
             ?role skos:notation ?code ; skos:prefLabel ?title ; rg:confidenceBand ?band ; rg:confidenceScore ?score ;
                   rg:status ?status ; rg:region ?region ; rg:version ?version ; rg:focus ?f ; rg:level ?l .
             ?f skos:prefLabel ?focus ; rg:function/skos:prefLabel ?fn . ?l skos:prefLabel ?level }""",
        code=REAL_ROLE,
    )
    assert got == [
        (
            "AI / Machine Learning Engineering — P7",
            "high",
            Decimal("0.8"),
            "approved",
            "global",
            "v1",
            "Data Science & Analytics",
            "AI / Machine Learning Engineering",
            "Staff / Distinguished Professional",
        )
    ]


def test_focus_function_and_definition(real_graph: Graph, real_page: Page) -> None:
    got = rows(
        real_graph,
        """SELECT ?fnCode ?fnName ?definition WHERE { ?f skos:notation "DATASC.AIMACHIN97C0" ; skos:definition ?definition ;
             rg:function ?fn . ?fn skos:notation ?fnCode ; skos:prefLabel ?fnName }""",
    )
    assert got == [("DATASC", "Data Science & Analytics", real_page.focus.definition)]


def test_pay(real_graph: Graph) -> None:
    got = rows(
        real_graph,
        """SELECT ?median ?low ?high ?cur ?period WHERE {
             ?role skos:notation ?code ; schema:estimatedSalary ?pay .
             ?pay schema:median ?median ; schema:minValue ?low ; schema:maxValue ?high ; schema:currency ?cur ;
                  schema:duration ?period }""",
        code=REAL_ROLE,
    )
    assert [r[:4] for r in got] == [(231000, 182000, 294000, "USD")]
    period = real_graph.value(URIRef(ID + "role/" + REAL_ROLE + "/pay"), URIRef("https://schema.org/duration"))
    assert period == Literal("P1Y", datatype=URIRef(PREFIXES["xsd"] + "duration"))


def test_level_and_descriptor(real_graph: Graph) -> None:
    got = rows(
        real_graph,
        """SELECT ?track ?rank ?min ?max ?summary ?scope ?autonomy ?complexity ?impact ?rights ?leadership ?typical
           WHERE { ?l skos:notation "P7" ; a rg:Level ; rg:track ?track ; rg:rank ?rank ; rg:experienceMinYears ?min ;
             rg:experienceMaxYears ?max ; skos:definition ?summary ; rg:scope ?scope ; rg:autonomy ?autonomy ;
             rg:complexity ?complexity ; rg:impact ?impact ; rg:decisionRights ?rights ; rg:leadership ?leadership ;
             rg:typicalExperience ?typical }""",
    )
    assert len(got) == 1
    track, rank, low, high, summary, *attrs = got[0]
    assert (track, rank, low, high) == ("P", 7, 15, 22)
    assert summary.startswith("Staff-level individual contributor")
    assert attrs[0] == "Cross-organization / enterprise technical strategy"
    assert attrs[-1] == "15–22 yrs"
    ladder = rows(
        real_graph, "SELECT ?a ?b WHERE { ?x rg:nextLevel ?y . ?x skos:notation ?a . ?y skos:notation ?b } ORDER BY ?a"
    )
    assert ladder == [("P2", "P3"), ("P3", "P4"), ("P4", "P5"), ("P5", "P6"), ("P6", "P7")]


def test_responsibilities_and_guidelines(real_graph: Graph, real_page: Page) -> None:
    got = rows(
        real_graph,
        """SELECT ?code ?n ?text WHERE { ?role rg:focus/skos:notation "DATASC.AIMACHIN97C0" ; skos:notation ?code ;
             rg:responsibility ?r . ?r rg:ordinal ?n ; schema:description ?text } ORDER BY ?code ?n""",
    )
    expected = [
        (f"DATASC.AIMACHIN97C0.{b.level_code}", i, item.text)
        for b in real_page.responsibilities
        for i, item in enumerate(b.items, start=1)
    ]
    assert got == expected
    cells = rows(
        real_graph,
        """SELECT ?code ?k ?c ?col ?deg WHERE { ?role skos:notation ?code ; rg:guideline ?g .
             ?g rg:knowledgeAndApplication ?k ; rg:complexityAndProblemSolving ?c ;
                rg:collaborationAndInteraction ?col ; rg:typicalDegreeAndYears ?deg } ORDER BY ?code""",
    )
    assert cells == [
        (f"DATASC.AIMACHIN97C0.{g.level_code}", g.knowledge, g.complexity, g.collaboration, g.degree_years)
        for g in real_page.guidelines
    ]


def test_skills(real_graph: Graph, real_page: Page) -> None:
    got = rows(
        real_graph,
        """SELECT ?n ?name ?desc WHERE { ?f skos:notation "DATASC.AIMACHIN97C0" ; rg:skillRequirement ?req .
             ?req rg:ordinal ?n ; schema:description ?desc ; rg:skill/skos:prefLabel ?name } ORDER BY ?n""",
    )
    assert got == [(i, s.name, s.description) for i, s in enumerate(real_page.skills, start=1)]
    assert len(got) == 13


def test_review(real_graph: Graph) -> None:
    got = rows(
        real_graph,
        """SELECT ?dim ?score ?sources ?threshold ?min ?passes WHERE { ?role skos:notation ?code ; rg:review ?r .
             ?r rg:sourceCount ?sources ; rg:passThreshold ?threshold ; rg:minimumScore ?min ; rg:passes ?passes ;
                rg:reviewScore ?s . ?s rg:dimension ?dim ; rg:score ?score ; rg:ordinal ?n } ORDER BY ?n""",
        code=REAL_ROLE,
    )
    assert [(d, s) for d, s, *_ in got] == [
        ("Level differentiation", Decimal("4.5")),
        ("Focus specificity", Decimal("5.0")),
        ("Concreteness", Decimal("4.5")),
        ("Factual accuracy", Decimal("4.0")),
        ("Real-world coverage", Decimal("4.5")),
    ]
    assert {tuple(r[2:]) for r in got} == {(15, Decimal("4.0"), Decimal("4.0"), True)}


def test_siblings_differentials_mapping_provenance(real_graph: Graph) -> None:
    siblings = rows(
        real_graph,
        """SELECT ?name ?gloss WHERE { ?f skos:notation "DATASC.AIMACHIN97C0" ; rg:distinction ?d .
             ?d rg:gloss ?gloss ; rg:distinctFocus/skos:prefLabel ?name . ?f rg:distinctFrom ?s . ?s skos:prefLabel ?name }
           ORDER BY ?name""",
    )
    assert siblings == [
        ("Data Engineering", "data platform/pipeline plumbing"),
        ("Data Science", "hypothesis-driven statistical analysis and experimentation"),
    ]
    flags = rows(
        real_graph, "SELECT ?f WHERE { ?r skos:notation ?code ; rg:differential ?f } ORDER BY ?f", code=REAL_ROLE
    )
    assert flags == [("PAY",), ("SKILL",)]
    mapping = rows(
        real_graph,
        """SELECT ?scheme ?notation ?tool ?pred WHERE { ?r skos:notation ?code ; rg:mapping ?m ; skos:broadMatch ?c .
             ?m rg:mappingScheme ?scheme ; rg:mappedCode ?c ; rg:mappingTool ?tool ; rg:mappingPredicate ?pred ;
                rg:mappedRole ?r . ?c skos:notation ?notation }""",
        code=REAL_ROLE,
    )
    assert mapping == [
        ("O*NET / SOC", "15-2051", "jfm-factory.resolve", "http://www.w3.org/2004/02/skos/core#broadMatch")
    ]
    where = rows(
        real_graph,
        "SELECT ?loc ?path WHERE { ?r skos:notation ?code ; rg:sourceLocation ?loc ; rg:profilePage/dcterms:identifier ?path }",
        code=REAL_ROLE,
    )
    assert where == [("000_cf26a15490124fcc.txt:3", "000_cf26a15490124fcc.txt")]


def test_every_node_is_an_iri_with_a_type(real_built: BuiltGraph) -> None:
    subjects = {s for s, _, _ in real_built.triples}
    assert not any(isinstance(t, BNode) for triple in real_built.triples for t in triple)
    typed = {s for s, p, _ in real_built.triples if str(p).endswith("#type")}
    assert subjects == typed
    assert real_built.roles == 6
    assert real_built.skills == 13
