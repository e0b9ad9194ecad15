"""Turn parsed pages into RDF triples: minted IRIs, ontology terms from :class:`~rolegraph.graph.vocab.RG`.

Pages merge: one node per function, focus, level and skill. A fact that can hold one value (a
title, a pay median, a skill's description in a focus) is recorded with where it came from, and
a second page that states another value raises :class:`MergeConflictError` naming both places.
No blank nodes: every node has an IRI minted from codes, so output is stable and diffable.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Final
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from rolegraph.errors import MergeConflictError, RolegraphError, SeedError
from rolegraph.graph.isco import isco_chain
from rolegraph.graph.soc import soc_chain
from rolegraph.graph.vocab import DCTERMS, DEFAULT_BASE, PREFIXES, PROV, RDF, SEMAPV, XSD, compact, fast_namespace
from rolegraph.graph.vocab import RG as _RG
from rolegraph.graph.vocab import SDO as _SDO
from rolegraph.graph.vocab import SKOS as _SKOS
from rolegraph.pages.model import (
    CLASSIFICATION_SCHEMES,
    FOCUS_PART_RE,
    FUNCTION_CODE_RE,
    LEVEL_CODE_RE,
    ROLE_CODE_RE,
    Page,
    Source,
    parse_level_code,
    role_title,
)

# Plain attribute lookups: DefinedNamespace.__getattr__ cost 1.5 s per 2,000 pages in the builder.
RG = fast_namespace(_RG)
SKOS = fast_namespace(_SKOS)
SDO = fast_namespace(_SDO)
_TYPE_IRI = str(RDF.type)

Triple = tuple[URIRef, URIRef, Node]

SOC_HEADING: Final = "O*NET / SOC"
ISCO_HEADING: Final = "ISCO-08"
TRACK_LABELS: Final = {"P": "Professional track", "M": "Management track"}
DESCRIPTOR_PROPERTIES: Final = {
    "Scope": RG.scope,
    "Autonomy": RG.autonomy,
    "Complexity": RG.complexity,
    "Impact": RG.impact,
    "Decision rights": RG.decisionRights,
    "Leadership": RG.leadership,
    "Typical experience": RG.typicalExperience,
}
# Properties whose value is one per subject: a different second value is a merge conflict.
FUNCTIONAL: Final = frozenset(
    {
        SKOS.prefLabel,
        SKOS.definition,
        SKOS.notation,
        SDO.name,
        SDO.description,
        RG.gloss,
        RG.track,
        RG.rank,
        RG.experienceMinYears,
        RG.experienceMaxYears,
        RG.confidenceBand,
        RG.confidenceScore,
        RG.status,
        RG.region,
        RG.version,
        RG.ordinal,
        RG.dimension,
        RG.score,
        RG.sourceCount,
        RG.passThreshold,
        RG.minimumScore,
        RG.passes,
        RG.profilePage,
        RG.focus,
        RG.level,
        RG.ladder,
        RG.function,
        RG.skill,
        RG.guideline,
        RG.review,
        SDO.median,
        SDO.minValue,
        SDO.maxValue,
        SDO.currency,
        SDO.duration,
        SDO.estimatedSalary,
        RG.knowledgeAndApplication,
        RG.complexityAndProblemSolving,
        RG.collaborationAndInteraction,
        RG.typicalDegreeAndYears,
        RG.mappingTool,
        RG.mappingScheme,
        RG.mappedCode,
        RG.mappedRole,
        RG.mappingPredicate,
        RG.mappingJustification,
        RG.mappingSubject,
        RG.mappingObject,
        RG.predicateModifier,
        RG.confidence,
        RG.candidateRank,
        RG.distinctFocus,
        DCTERMS.identifier,
        *DESCRIPTOR_PROPERTIES.values(),
    }
)


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """A lowercase ASCII path segment for a name: ``"C++ & Go"`` -> ``"c-plus-plus-and-go"``."""
    text = text.replace("+", " plus ").replace("#", " sharp ").replace("&", " and ")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return result or "x" + text.encode("utf-8").hex()[:16]


@lru_cache(maxsize=65536)
def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal in canonical form (``0.80`` -> ``0.8``, ``5`` -> ``5.0``), as Oxigraph writes it."""
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def int_literal(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


@lru_cache(maxsize=1 << 18)
def str_literal(value: str) -> Literal:
    """Pages repeat their focus's text on every level, so most literals are built once and reused."""
    return Literal(value)


@dataclass(frozen=True, slots=True)
class Ids:
    """Mints every instance IRI from codes and names; codes are checked before they become IRIs."""

    base: str = DEFAULT_BASE
    # One URIRef object per IRI: pages repeat nodes, and set and dict lookups of an identical
    # object skip rdflib's Python-level __eq__ (10M calls, about 3 s, for 10,000 pages).
    _uris: dict[str, URIRef] = field(default_factory=dict, compare=False, repr=False)

    def uri(self, iri: str) -> URIRef:
        found = self._uris.get(iri)
        if found is None:
            found = self._uris[iri] = URIRef(iri)
        return found

    def _iri(self, path: str) -> URIRef:
        return self.uri(self.base + path)

    def function(self, code: str, at: Source | None = None) -> URIRef:
        _check(FUNCTION_CODE_RE, code, "a function code", at)
        return self._iri(f"function/{code}")

    def focus(self, code: str, at: Source | None = None) -> URIRef:
        function, _, part = code.partition(".")
        _check(FUNCTION_CODE_RE, function, "a focus code FUNCTION.FOCUS", at)
        _check(FOCUS_PART_RE, part, "a focus code FUNCTION.FOCUS", at)
        return self._iri(f"focus/{code}")

    def focus_by_name(self, function_code: str, name: str, at: Source | None = None) -> URIRef:
        """A sibling focus known only by its name on another focus's page."""
        _check(FUNCTION_CODE_RE, function_code, "a function code", at)
        return self._iri(f"focus/{function_code}/{slug(name)}")

    def level(self, code: str, at: Source | None = None) -> URIRef:
        _check(LEVEL_CODE_RE, code, "a level code", at)
        return self._iri(f"level/{code}")

    def ladder(self, track: str) -> URIRef:
        return self._iri(f"ladder/{track}")

    def role(self, code: str, at: Source | None = None) -> URIRef:
        _check(ROLE_CODE_RE, code, "a role code", at)
        return self._iri(f"role/{code}")

    def skill(self, name: str) -> URIRef:
        return self._iri(f"skill/{slug(name)}")

    def scheme(self, name: str) -> URIRef:
        return self._iri(f"scheme/{name}")

    def classification_scheme(self, heading: str) -> tuple[URIRef, str]:
        if heading in CLASSIFICATION_SCHEMES:
            path, label, _ = CLASSIFICATION_SCHEMES[heading]
            return self._iri(path), label
        return self._iri(f"classification/{slug(heading)}"), heading

    def code(self, heading: str, code: str) -> URIRef:
        scheme, _ = self.classification_scheme(heading)
        return self.uri(f"{scheme}/{quote(code, safe='.-')}")

    def page(self, path: str) -> URIRef:
        return self._iri("page/" + quote(path, safe="/._-"))


def _check(pattern: re.Pattern[str], code: str, what: str, at: Source | None = None) -> None:
    """A code checked before an IRI is minted from it; ``at`` is the record it comes from."""
    if pattern.fullmatch(code) is None:
        expected = f"{what} matching {pattern.pattern}"
        if at is not None and at.line > 0:
            raise SeedError(at.path, at.line, expected, repr(code))
        raise RolegraphError(f"expected {expected}, found {code!r}")


@dataclass(frozen=True, slots=True)
class BuiltGraph:
    """The merged graph: sorted, de-duplicated triples and what was built from."""

    triples: tuple[Triple, ...]
    pages: int
    roles: int
    skills: int

    def to_rdflib(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for triple in self.triples:
            graph.add(triple)
        return graph


class GraphBuilder:
    """Accumulates pages; :meth:`finish` links what needs every page (siblings, ladders)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.ids = Ids(base)
        self._triples: set[Triple] = set()
        self._facts: dict[tuple[URIRef, URIRef], tuple[Node, Source]] = {}
        # one source location per node: the page about it first, then the first page by path and line
        self._locations: dict[URIRef, tuple[int, str, int]] = {}
        self._focus_names: dict[tuple[str, str], URIRef] = {}  # (function code, casefolded name) -> focus
        self._distinctions: list[tuple[str, str, URIRef, URIRef, Source]] = []
        self._levels: dict[str, set[int]] = defaultdict(set)
        self._pages = 0
        self._roles: set[URIRef] = set()
        self._skills: set[URIRef] = set()

    # -- primitives ------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: Node, src: Source | None = None) -> None:
        if p in FUNCTIONAL:
            previous = self._facts.get((s, p))
            if previous is not None and previous[0] is not o and previous[0] != o:
                where = src if src is not None else Source("<build>", 0)
                raise MergeConflictError(
                    f"{_curie(p)} of <{s}>", str(previous[0]), str(previous[1]), str(o), str(where)
                )
            if previous is None:
                self._facts[(s, p)] = (o, src if src is not None else Source("<build>", 0))
        self._triples.add((s, p, o))

    def node(self, s: URIRef, types: Iterable[URIRef], src: Source | None, *, primary: bool = False) -> URIRef:
        """Type a node and offer a source location; ``primary`` marks the page that is about it."""
        for t in types:
            self._triples.add((s, RDF.type, t))
        if src is not None and src.line > 0:
            candidate = (0 if primary else 1, src.path, src.line)
            best = self._locations.get(s)
            if best is None or candidate < best:
                self._locations[s] = candidate
        return s

    # -- pages -------------------------------------------------------------------------------

    def add_page(self, page: Page) -> None:
        self._pages += 1
        focus = self._taxonomy(page)
        self._skills_of(page, focus)
        self._levels_and_roles(page)
        self._profile(page)

    def _taxonomy(self, page: Page) -> URIRef:
        """The function and focus of a page, and the siblings its focus is distinct from."""
        ids, add = self.ids, self.add
        taxonomy = self._scheme("taxonomy", "rolegraph job architecture")
        fn = page.function
        function = self.node(ids.function(fn.code, fn.source), (RG.Function, SKOS.Concept), fn.source)
        add(function, SKOS.notation, str_literal(fn.code), fn.source)
        add(function, SKOS.prefLabel, str_literal(fn.name), fn.source)
        add(function, SKOS.inScheme, taxonomy)
        add(function, SKOS.topConceptOf, taxonomy)
        add(taxonomy, SKOS.hasTopConcept, function)

        fc = page.focus
        focus = self.node(ids.focus(fc.code, fc.source), (RG.Focus, SKOS.Concept), fc.source)
        add(focus, SKOS.notation, str_literal(fc.code), fc.source)
        add(focus, SKOS.prefLabel, str_literal(fc.name), fc.source)
        add(focus, SKOS.definition, str_literal(fc.definition), fc.source)
        add(focus, SKOS.broader, function)
        add(focus, RG.function, function, fc.source)
        add(focus, SKOS.inScheme, taxonomy)
        self._focus_names[(fn.code, fc.name.casefold())] = focus
        for sibling in fc.distinct_from:
            distinction = self.ids.uri(f"{focus}/distinction/{slug(sibling.name)}")
            self.node(distinction, (RG.FocusDistinction,), sibling.source)
            add(focus, RG.distinction, distinction)
            add(distinction, RG.gloss, str_literal(sibling.gloss), sibling.source)
            self._distinctions.append((fn.code, sibling.name, focus, distinction, sibling.source))
        return focus

    def _skills_of(self, page: Page, focus: URIRef) -> None:
        """Shared skill concepts, and how this focus applies each (a qualified requirement)."""
        ids, add = self.ids, self.add
        for number, skill in enumerate(page.skills, start=1):
            concept = self.node(ids.skill(skill.name), (RG.Skill, SKOS.Concept), skill.source)
            self._skills.add(concept)
            add(concept, SKOS.prefLabel, str_literal(skill.name), skill.source)
            add(concept, SKOS.inScheme, self._scheme("skills", "rolegraph skills"))
            requirement = self.node(
                self.ids.uri(f"{focus}/skill/{slug(skill.name)}"), (RG.SkillRequirement,), skill.source
            )
            add(focus, RG.skillRequirement, requirement)
            add(requirement, RG.skill, concept, skill.source)
            add(requirement, SDO.description, str_literal(skill.description), skill.source)
            add(requirement, RG.ordinal, int_literal(number), skill.source)

    def _levels_and_roles(self, page: Page) -> None:
        """The page's own level in full, and a role per level it describes."""
        ids, add = self.ids, self.add
        own = page.level
        self._level(own.code, own.source)
        level = ids.level(own.code, own.source)
        add(level, SKOS.prefLabel, str_literal(own.title), own.source)
        if own.experience_min is not None:
            add(level, RG.experienceMinYears, int_literal(own.experience_min), own.source)
        if own.experience_max is not None:
            add(level, RG.experienceMaxYears, int_literal(own.experience_max), own.source)
        d = page.descriptor
        add(level, SKOS.definition, str_literal(d.summary), d.source)
        for key, value in d.attributes:
            add(level, DESCRIPTOR_PROPERTIES[key], str_literal(value), d.source)

        guidelines = {row.level_code: row for row in page.guidelines}
        responsibilities = {block.level_code: block for block in page.responsibilities}
        for code in sorted({*guidelines, *responsibilities, own.code}, key=parse_level_code):
            where = responsibilities[code].source if code in responsibilities else guidelines[code].source
            own_level = code == own.code
            role = self._role(page, code, page.source if own_level else where, primary=own_level)
            if code in responsibilities:
                for number, item in enumerate(responsibilities[code].items, start=1):
                    resp = self.node(
                        self.ids.uri(f"{role}/responsibility/{number}"),
                        (RG.Responsibility,),
                        item.source,
                        primary=own_level,
                    )
                    add(role, RG.responsibility, resp)
                    add(resp, SDO.description, str_literal(item.text), item.source)
                    add(resp, RG.ordinal, int_literal(number), item.source)
            if code in guidelines:
                row = guidelines[code]
                g = self.node(self.ids.uri(f"{role}/guideline"), (RG.LevelGuideline,), row.source, primary=own_level)
                add(role, RG.guideline, g, row.source)
                add(g, RG.knowledgeAndApplication, str_literal(row.knowledge), row.source)
                add(g, RG.complexityAndProblemSolving, str_literal(row.complexity), row.source)
                add(g, RG.collaborationAndInteraction, str_literal(row.collaboration), row.source)
                add(g, RG.typicalDegreeAndYears, str_literal(row.degree_years), row.source)

    def _role(self, page: Page, level_code: str, src: Source, *, primary: bool) -> URIRef:
        code = f"{page.focus.code}.{level_code}"
        role = self.node(self.ids.role(code, src), (RG.Role, SKOS.Concept, SDO.Occupation), src, primary=primary)
        self._roles.add(role)
        title = str_literal(role_title(page.focus.name, level_code))
        self.add(role, SKOS.notation, str_literal(code), src)
        self.add(role, SKOS.prefLabel, title, src)
        self.add(role, SDO.name, title, src)
        self.add(role, RG.focus, self.ids.focus(page.focus.code, page.focus.source))
        self.add(role, SKOS.broader, self.ids.focus(page.focus.code, page.focus.source))
        self.add(role, SKOS.inScheme, self._scheme("taxonomy", "rolegraph job architecture"))
        self.add(role, RG.level, self._level(level_code, None, at=src))
        return role

    def _profile(self, page: Page) -> None:
        """What only the page's own role carries: status, pay, review, aliases, mappings."""
        ids, add = self.ids, self.add
        src = page.source
        role = ids.role(page.role_code, src)
        doc = self.node(ids.page(page.path), (RG.SourcePage, PROV.Entity), src)
        add(doc, DCTERMS.identifier, str_literal(page.path))
        add(role, RG.profilePage, doc, src)
        st = page.status
        add(role, RG.confidenceBand, str_literal(st.confidence_band), st.source)
        add(role, RG.confidenceScore, decimal_literal(st.confidence_score), st.source)
        add(role, RG.status, str_literal(st.status), st.source)
        add(role, RG.region, str_literal(st.region), st.source)
        add(role, RG.version, str_literal(st.version), st.source)
        for flag in page.differentials:
            add(role, RG.differential, str_literal(flag))
        for alias in page.aliases:
            add(role, SKOS.altLabel, str_literal(alias.title))
        self._pay(role, page)
        self._review(role, page)
        self._mappings(role, page)

    def _pay(self, role: URIRef, page: Page) -> None:
        add = self.add
        if page.pay is not None:
            pay = page.pay
            node = self.node(
                self.ids.uri(f"{role}/pay"), (RG.PayDistribution, SDO.MonetaryAmountDistribution), pay.source
            )
            add(role, SDO.estimatedSalary, node, pay.source)
            add(node, SDO.median, int_literal(pay.median), pay.source)
            add(node, SDO.minValue, int_literal(pay.low), pay.source)
            add(node, SDO.maxValue, int_literal(pay.high), pay.source)
            add(node, SDO.currency, str_literal(pay.currency), pay.source)
            add(node, SDO.duration, Literal(pay.period, datatype=XSD.duration), pay.source)

    def _review(self, role: URIRef, page: Page) -> None:
        add = self.add
        pv = page.provenance
        review = self.node(self.ids.uri(f"{role}/review"), (RG.Review, PROV.Entity), pv.source)
        add(role, RG.review, review, pv.source)
        add(review, RG.sourceCount, int_literal(pv.source_count), pv.source)
        add(review, RG.passThreshold, decimal_literal(pv.pass_threshold), pv.source)
        add(review, RG.minimumScore, decimal_literal(pv.min_score), pv.source)
        add(review, RG.passes, Literal(pv.passes), pv.source)
        for number, score in enumerate(pv.scores, start=1):
            node = self.node(self.ids.uri(f"{review}/{slug(score.dimension)}"), (RG.ReviewScore,), score.source)
            add(review, RG.reviewScore, node)
            add(node, RG.dimension, str_literal(score.dimension), score.source)
            add(node, RG.score, decimal_literal(score.score), score.source)
            add(node, RG.ordinal, int_literal(number), score.source)

    def _mappings(self, role: URIRef, page: Page) -> None:
        ids, add = self.ids, self.add
        for m in page.mappings:
            scheme, label = ids.classification_scheme(m.scheme)
            self.node(scheme, (SKOS.ConceptScheme,), None)
            add(scheme, SKOS.prefLabel, str_literal(label))
            code = self._code(m.scheme, m.code, scheme)
            if m.scheme == SOC_HEADING:
                self._soc_hierarchy(m.code, scheme)
            elif m.scheme == ISCO_HEADING:
                self._isco_hierarchy(m.code, scheme)
            node = self.node(
                self.ids.uri(f"{role}/mapping/{slug(m.scheme)}/{m.code}"), (RG.ClassificationMapping,), m.source
            )
            add(role, RG.mapping, node)
            add(role, SKOS.broadMatch, code)
            add(role, SDO.occupationalCategory, code)
            add(node, RG.mappedRole, role, m.source)
            add(node, RG.mappingPredicate, SKOS.broadMatch, m.source)
            add(node, RG.mappedCode, code, m.source)
            add(node, RG.mappingScheme, str_literal(m.scheme), m.source)
            add(node, RG.mappingTool, str_literal(m.tool), m.source)
            add(node, RG.mappingJustification, SEMAPV.UnspecifiedMatching, m.source)

    def _code(self, heading: str, notation: str, scheme: URIRef) -> URIRef:
        code = self.node(self.ids.code(heading, notation), (RG.ClassificationCode, SKOS.Concept), None)
        self.add(code, SKOS.notation, str_literal(notation))
        self.add(code, SKOS.inScheme, scheme)
        return code

    def _soc_hierarchy(self, notation: str, scheme: URIRef) -> None:
        """Title the code and link it up to its major group; an unknown code stays untitled (a SHACL violation)."""
        chain = soc_chain(notation)
        child = self.ids.code(SOC_HEADING, notation)
        for group in chain:
            node = self._code(SOC_HEADING, group.code, scheme)
            self.add(node, SKOS.prefLabel, str_literal(group.title))
            if node != child:
                self.add(child, SKOS.broader, node)
            child = node
        if chain and chain[-1].parent is None:
            self.add(child, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, child)

    def _isco_hierarchy(self, notation: str, scheme: URIRef) -> None:
        """Title the code (where ISCO-08 gives a title) and link it up to its major group.

        An unknown code stays out of the hierarchy (no skos:broader, not a top concept): a SHACL violation.
        """
        chain = isco_chain(notation)
        child: URIRef | None = None
        for group in chain:
            node = self._code(ISCO_HEADING, group.code, scheme)
            if group.title is not None:
                self.add(node, SKOS.prefLabel, str_literal(group.title))
            if child is not None:
                self.add(child, SKOS.broader, node)
            child = node
        if child is not None and chain[-1].parent is None:
            self.add(child, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, child)

    def _level(self, code: str, src: Source | None, at: Source | None = None) -> URIRef:
        """A level node; ``src`` offers its source location, ``at`` (else ``src``) is where ``code`` was read."""
        iri = self.ids.level(code, at or src)  # checked before parse_level_code, which knows no location
        track, rank = parse_level_code(code)
        self._levels[track].add(rank)
        level = self.node(iri, (RG.Level, SKOS.Concept), src)
        ladder = self.node(self.ids.ladder(track), (RG.Ladder, SKOS.ConceptScheme), None)
        self.add(ladder, SKOS.notation, str_literal(track))
        self.add(ladder, SKOS.prefLabel, str_literal(TRACK_LABELS[track]))
        self.add(ladder, RG.track, str_literal(track))
        self.add(level, SKOS.notation, str_literal(code))
        self.add(level, RG.track, str_literal(track))
        self.add(level, RG.rank, int_literal(rank))
        self.add(level, RG.ladder, ladder)
        self.add(level, SKOS.inScheme, ladder)
        return level

    def _scheme(self, name: str, label: str) -> URIRef:
        scheme = self.ids.scheme(name)
        self._triples.add((scheme, RDF.type, SKOS.ConceptScheme))
        self._triples.add((scheme, SKOS.prefLabel, str_literal(label)))
        return scheme

    # -- finish ----------------------------------------------------------------------------

    def finish(self) -> BuiltGraph:
        for function_code, name, focus, distinction, src in self._distinctions:
            sibling = self._focus_names.get((function_code, name.casefold()))
            if sibling is None:
                sibling = self.ids.focus_by_name(function_code, name, src)
                self.node(sibling, (RG.Focus, SKOS.Concept), src)
                function = self.ids.function(function_code, src)
                self.add(sibling, SKOS.prefLabel, str_literal(name), src)
                self.add(sibling, SKOS.broader, function)
                self.add(sibling, RG.function, function, src)
                self.add(sibling, SKOS.inScheme, self.ids.scheme("taxonomy"))
            self.add(focus, RG.distinctFrom, sibling)
            self.add(distinction, RG.distinctFocus, sibling, src)
        for track, ranks in self._levels.items():
            ordered = sorted(ranks)
            for low, high in pairwise(ordered):
                self.add(self.ids.level(f"{track}{low}"), RG.nextLevel, self.ids.level(f"{track}{high}"))
        for node, (_, path, line) in self._locations.items():
            self._triples.add((node, RG.sourceLocation, str_literal(f"{path}:{line}")))
        return BuiltGraph(
            triples=tuple(sorted(self._triples, key=triple_sort_key)),
            pages=self._pages,
            roles=len(self._roles),
            skills=len(self._skills),
        )


def build_graph(pages: Iterable[Page], base: str = DEFAULT_BASE) -> BuiltGraph:
    builder = GraphBuilder(base)
    for page in pages:
        builder.add_page(page)
    return builder.finish()


def triple_sort_key(triple: Triple) -> tuple[str, int, str, str, str, str]:
    """Subjects in IRI order; rdf:type first, then predicates; IRIs before literals, then by value.

    Plain ``str`` copies: rdflib terms override comparison and made sorting ten times slower.
    """
    s, p, o = triple
    ps = str(p)  # comparing plain strings: rdflib's __ne__ is Python code
    if isinstance(o, Literal):
        return (str(s), ps != _TYPE_IRI, ps, "1" + str(o), str(o.datatype or ""), o.language or "")
    return (str(s), ps != _TYPE_IRI, ps, "0" + str(o), "", "")


def _curie(iri: URIRef) -> str:
    return compact(iri) or f"<{iri}>"
