"""The rolegraph vocabulary (``rg:``) as one DefinedNamespace, and the namespaces we reuse.

``tests/test_vocab.py`` proves this class lists exactly the terms ``ontology/rolegraph.ttl``
defines; ``_fail = True`` makes a misspelt term an AttributeError instead of a silent new IRI.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Final

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from rolegraph import formats

ONTOLOGY_IRI: Final = "https://w3id.org/rolegraph/ontology#"
DEFAULT_BASE: Final = formats.DEFAULT_BASE
SHAPES_IRI: Final = "https://w3id.org/rolegraph/shapes#"
# The project's license (pyproject.toml, the ontology's dcterms:license, the exports' #license):
# change it here when your pages are published under other terms.
LICENSE: Final = URIRef("https://spdx.org/licenses/MIT")


class RG(DefinedNamespace):
    """Classes and properties of the rolegraph ontology."""

    _NS = Namespace(ONTOLOGY_IRI)
    _fail = True

    # classes
    Function: URIRef
    Focus: URIRef
    FocusDistinction: URIRef
    Level: URIRef
    Ladder: URIRef
    Role: URIRef
    PayDistribution: URIRef
    Responsibility: URIRef
    LevelGuideline: URIRef
    Skill: URIRef
    SkillRequirement: URIRef
    Review: URIRef
    ReviewScore: URIRef
    ClassificationMapping: URIRef
    ClassificationCode: URIRef
    Alignment: URIRef
    SourcePage: URIRef

    # taxonomy
    function: URIRef
    focus: URIRef
    level: URIRef
    distinctFrom: URIRef
    distinction: URIRef
    distinctFocus: URIRef
    gloss: URIRef

    # levels and ladders
    track: URIRef
    rank: URIRef
    ladder: URIRef
    nextLevel: URIRef
    experienceMinYears: URIRef
    experienceMaxYears: URIRef
    scope: URIRef
    autonomy: URIRef
    complexity: URIRef
    impact: URIRef
    decisionRights: URIRef
    leadership: URIRef
    typicalExperience: URIRef

    # roles
    confidenceBand: URIRef
    confidenceScore: URIRef
    status: URIRef
    region: URIRef
    version: URIRef
    differential: URIRef
    responsibility: URIRef
    guideline: URIRef
    review: URIRef
    mapping: URIRef
    profilePage: URIRef
    ordinal: URIRef

    # guideline cells
    knowledgeAndApplication: URIRef
    complexityAndProblemSolving: URIRef
    collaborationAndInteraction: URIRef
    typicalDegreeAndYears: URIRef

    # skills
    skillRequirement: URIRef
    skill: URIRef

    # review
    reviewScore: URIRef
    dimension: URIRef
    score: URIRef
    sourceCount: URIRef
    passThreshold: URIRef
    minimumScore: URIRef
    passes: URIRef

    # mappings (SSSOM fields)
    mappedRole: URIRef
    mappingPredicate: URIRef
    mappedCode: URIRef
    mappingScheme: URIRef
    mappingTool: URIRef
    mappingJustification: URIRef

    # alignments to reference vocabularies (SSSOM fields; predicate, tool, justification shared above)
    mappingSubject: URIRef
    mappingObject: URIRef
    predicateModifier: URIRef
    confidence: URIRef
    candidateRank: URIRef

    # provenance
    sourceLocation: URIRef


def fast_namespace(namespace: type[DefinedNamespace]) -> SimpleNamespace:
    """The terms of a DefinedNamespace as plain attributes (its ``__getattr__`` is slow in hot loops)."""
    names = {name for cls in namespace.__mro__ for name in getattr(cls, "__annotations__", {})}
    return SimpleNamespace(**{n: namespace[n] for n in names if not n.startswith("_")})


# Prefixes used in every serialisation, in the order they are written.
PREFIXES: Final[dict[str, str]] = {
    "rg": ONTOLOGY_IRI,
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "semapv": "https://w3id.org/semapv/vocab/",
}

SEMAPV: Final = Namespace(PREFIXES["semapv"])


def compact(iri: str, prefixes: Mapping[str, str] = PREFIXES, *, sep: str = ":") -> str | None:
    """``prefix:local`` for the first namespace of ``prefixes`` (in their order) that ``iri`` extends.

    None when none does: each caller has its own fallback. The local part is never empty, so an
    IRI that is a namespace itself stays whole. ``sep`` joins prefix and local part (``rg-Role``).
    """
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}{sep}{iri[len(ns) :]}"
    return None


__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "LICENSE",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RG",
    "SDO",
    "SEMAPV",
    "SKOS",
    "XSD",
    "compact",
]
