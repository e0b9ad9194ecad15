"""Turn parsed pages into RDF triples: minted IRIs, ontology terms from :class:`~rolegraph.graph.vocab.RG`.

Pages merge: one node per function, focus, level and skill. A fact that can hold one value (a
title, a pay median, a skill's description in a focus) is recorded with where it came from, and
a second page that states another value raises :class:`MergeConflictError` naming both places.
No blank nodes: every node has an IRI minted from codes, so output is stable and diffable.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from types import SimpleNamespace
from typing import Final, overload
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespace
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
    RoleNames,
    Source,
    parse_level_code,
    role_names,
    role_title,
)


def _plain(namespace: type[DefinedNamespace]) -> SimpleNamespace:
    """The terms of a namespace as plain ``str`` attributes: the builder never makes an rdflib term."""
    return SimpleNamespace(**{name: str(term) for name, term in vars(fast_namespace(namespace)).items()})


RG = _plain(_RG)
SKOS = _plain(_SKOS)
SDO = _plain(_SDO)
TYPE: Final = str(RDF.type)
_TYPE_IRI = TYPE
XSD_STRING: Final = str(XSD.string)
XSD_INTEGER: Final = str(XSD.integer)
XSD_DECIMAL: Final = str(XSD.decimal)
XSD_BOOLEAN: Final = str(XSD.boolean)
XSD_DURATION: Final = str(XSD.duration)
PROV_ENTITY: Final = str(PROV.Entity)
DCTERMS_IDENTIFIER: Final = str(DCTERMS.identifier)
UNSPECIFIED_MATCHING: Final = str(SEMAPV.UnspecifiedMatching)

Triple = tuple[URIRef, URIRef, Node]
#: A triple as the builder keeps it, which is also its sort key: (subject IRI, predicate key, object key,
#: datatype). The predicate key is "0" + rdf:type or "1" + the predicate IRI (rdf:type first); the object
#: key is "0" + an IRI or "1" + a literal's lexical form (IRIs before literals); the datatype is "" for an
#: IRI and a plain string. Sorting these plain-string tuples gives the published order, with no rdflib term.
Key = tuple[str, str, str, str]
#: a literal object: (object key, datatype)
Lit = tuple[str, str]
Obj = str | Lit  # an IRI (a plain str) or a literal

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
_FUNCTIONAL: Final = frozenset(
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


FUNCTIONAL: Final = frozenset(URIRef(p) for p in _FUNCTIONAL)
#: the predicate keys (see :data:`Key`) of :data:`FUNCTIONAL`
FUNCTIONAL_KEYS: Final = frozenset("1" + p for p in _FUNCTIONAL)


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


# -- literals as the builder keeps them (see Lit): each made once and shared -----------------------


@lru_cache(maxsize=65536)
def dec(value: Decimal) -> Lit:
    return "1" + str(decimal_literal(value)), XSD_DECIMAL


@lru_cache(maxsize=65536)
def integer(value: int) -> Lit:
    return "1" + str(value), XSD_INTEGER


@lru_cache(maxsize=1 << 18)
def text(value: str) -> Lit:
    """Pages repeat their focus's text on every level, so most literals are made once and reused."""
    return "1" + value, ""


@lru_cache(maxsize=64)
def typed(value: str, datatype: str) -> Lit:
    """A literal of another datatype, in the lexical form rdflib gives it."""
    return "1" + str(Literal(value, datatype=URIRef(datatype))), datatype


TRUE: Final = ("1true", XSD_BOOLEAN)
FALSE: Final = ("1false", XSD_BOOLEAN)


@dataclass(frozen=True, slots=True)
class Ids:
    """Mints every instance IRI from codes and names; codes are checked before they become IRIs."""

    base: str = DEFAULT_BASE
    # One str object per IRI: pages repeat nodes, and equal tuples of identical objects compare
    # (in the sort and the sets) without comparing characters.
    _uris: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def uri(self, iri: str) -> str:
        return self._uris.setdefault(iri, iri)

    def _iri(self, path: str) -> str:
        return self.uri(self.base + path)

    def function(self, code: str, at: Source | None = None) -> str:
        _check(FUNCTION_CODE_RE, code, "a function code", at)
        return self._iri(f"function/{code}")

    def focus(self, code: str, at: Source | None = None) -> str:
        function, _, part = code.partition(".")
        _check(FUNCTION_CODE_RE, function, "a focus code FUNCTION.FOCUS", at)
        _check(FOCUS_PART_RE, part, "a focus code FUNCTION.FOCUS", at)
        return self._iri(f"focus/{code}")

    def focus_by_name(self, function_code: str, name: str, at: Source | None = None) -> str:
        """A sibling focus known only by its name on another focus's page."""
        _check(FUNCTION_CODE_RE, function_code, "a function code", at)
        return self._iri(f"focus/{function_code}/{slug(name)}")

    def level(self, code: str, at: Source | None = None) -> str:
        _check(LEVEL_CODE_RE, code, "a level code", at)
        return self._iri(f"level/{code}")

    def ladder(self, track: str) -> str:
        return self._iri(f"ladder/{track}")

    def role(self, code: str, at: Source | None = None) -> str:
        _check(ROLE_CODE_RE, code, "a role code", at)
        return self._iri(f"role/{code}")

    def skill(self, name: str) -> str:
        return self._iri(f"skill/{slug(name)}")

    def scheme(self, name: str) -> str:
        return self._iri(f"scheme/{name}")

    def classification_scheme(self, heading: str) -> tuple[str, str]:
        if heading in CLASSIFICATION_SCHEMES:
            path, label, _ = CLASSIFICATION_SCHEMES[heading]
            return self._iri(path), label
        return self._iri(f"classification/{slug(heading)}"), heading

    def code(self, heading: str, code: str) -> str:
        scheme, _ = self.classification_scheme(heading)
        return self.uri(f"{scheme}/{quote(code, safe='.-')}")

    def page(self, path: str) -> str:
        return self._iri("page/" + quote(path, safe="/._-"))


def _check(pattern: re.Pattern[str], code: str, what: str, at: Source | None = None) -> None:
    """A code checked before an IRI is minted from it; ``at`` is the record it comes from."""
    if pattern.fullmatch(code) is None:
        expected = f"{what} matching {pattern.pattern}"
        if at is not None and at.line > 0:
            raise SeedError(at.path, at.line, expected, repr(code))
        raise RolegraphError(f"expected {expected}, found {code!r}")


# -- the built graph ---------------------------------------------------------------------------------


class BuiltGraph:
    """The merged graph: its triples as sorted, de-duplicated :data:`Key` tuples, and what was built from.

    :attr:`keys` is what the writers of :mod:`rolegraph.graph.io` serialise; :meth:`rdf_triples` is
    the same triples as rdflib terms, made on the fly as they are read (nothing is kept), and
    :attr:`triples` a tuple of them, made on first use (for small graphs: tests, notebooks).
    """

    __slots__ = ("_triples", "keys", "pages", "roles", "skills")

    def __init__(self, keys: list[Key], pages: int, roles: int, skills: int) -> None:
        self.keys = keys
        self.pages = pages
        self.roles = roles
        self.skills = skills
        self._triples: tuple[Triple, ...] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def triples(self) -> tuple[Triple, ...]:
        if self._triples is None:
            self._triples = tuple(self.rdf_triples())
        return self._triples

    def rdf_triples(self) -> RdfTriples:
        return RdfTriples(self.keys)

    def source_locations(self) -> bytes:
        """Every ``rg:sourceLocation`` as NUL-separated node and location texts, zlib-compressed (a few MB
        at 10,000 pages): what a SHACL report needs once the keys are let go (``validate.Handover``)."""
        located = "1" + RG.sourceLocation
        text = "".join(f"{s}\0{ok[1:]}\0" for s, pk, ok, _ in self.keys if pk == located)
        return zlib.compress(text.encode("utf-8"), 1)

    def to_rdflib(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for triple in self.rdf_triples():
            graph.add(triple)
        return graph


class RdfTriples(Sequence[Triple]):
    """The builder's keys as a sequence of rdflib triples, each term made as it is read.

    Iterating makes one term object per distinct IRI and literal for the length of the iteration
    only, so a reader that copies the triples into its own encoding (pyshacl-turbo) never has them
    twice in memory for long.
    """

    __slots__ = ("_keys",)

    def __init__(self, keys: Sequence[Key]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Triple: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Triple]: ...
    def __getitem__(self, index: int | slice) -> Triple | Sequence[Triple]:
        if isinstance(index, slice):
            return RdfTriples(self._keys[index])
        return next(iter(RdfTriples([self._keys[index]])))

    def __iter__(self) -> Iterator[Triple]:
        # Every term is made before the first triple is handed out: a reader that keeps a copy of each
        # (pyshacl-turbo) then allocates its copies after the terms, not among them, so that the
        # memory of the terms, let go of at the end, can go back to the system (bench/RESULTS.md).
        iris: dict[str, URIRef] = {}
        literals: dict[tuple[str, str], Literal] = {}
        for s, pk, ok, dt in self._keys:
            if s not in iris:
                iris[s] = URIRef(s)
            p = pk[1:]
            if p not in iris:
                iris[p] = URIRef(p)
            if ok[0] == "0":
                o = ok[1:]
                if o not in iris:
                    iris[o] = URIRef(o)
            elif (ok, dt) not in literals:
                literals[(ok, dt)] = key_literal(ok, dt)
        for s, pk, ok, dt in self._keys:
            yield iris[s], iris[pk[1:]], iris[ok[1:]] if ok[0] == "0" else literals[(ok, dt)]


def key_literal(ok: str, dt: str) -> Literal:
    """The rdflib Literal of an object key and datatype (the lexical form kept as it is)."""
    if not dt:
        return Literal(ok[1:])
    return Literal(ok[1:], datatype=URIRef(dt), normalize=False)


def key_of(triple: Triple) -> Key:
    """The :data:`Key` of an rdflib triple (IRIs and literals only, as the builder makes them)."""
    s, p, o = triple
    pk = ("0" if str(p) == TYPE else "1") + str(p)
    if isinstance(o, Literal):
        if o.language:
            raise ValueError(f"a language-tagged literal has no key: {o!r}")
        dt = str(o.datatype) if o.datatype is not None else ""
        return str(s), pk, "1" + str(o), "" if dt == XSD_STRING else dt
    return str(s), pk, "0" + str(o), ""


# -- one page's triples ------------------------------------------------------------------------------


@dataclass(slots=True)
class PageFragment:
    """What one page adds to the graph, before it meets the other pages; :func:`merge` joins them.

    It depends on nothing but the page (and the base IRI), so it can be made in another process or
    read back from the build cache. ``facts`` are the adds of a :data:`FUNCTIONAL` property, in the
    order the page makes them, each with where it came from: merging replays them in page order, so
    two pages that disagree give the same error as one builder fed the pages in turn. ``error`` is
    a code that could not become an IRI, raised when the merge reaches this page.
    """

    path: str
    plain: list[Key] = field(default_factory=list)  # adds that can never conflict
    facts: list[tuple[Key, Source | None]] = field(default_factory=list)
    locations: list[tuple[str, int, str, int]] = field(
        default_factory=list
    )  # node, 0 if the page is about it, path, line
    distinctions: list[tuple[str, str, str, str, Source]] = field(default_factory=list)
    focus_name: tuple[str, str, str] | None = None  # function code, casefolded focus name, focus IRI
    levels: list[tuple[str, int]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    names: RoleNames = ([], "", [])  # what the alias check needs (pages.parse.role_names)
    warnings: tuple[str, ...] = ()
    error: RolegraphError | None = None


def share_strings(f: PageFragment, strings: dict[str, str]) -> PageFragment:
    """Make ``f``'s keys use one string object per distinct text across the pages of a build.

    A fragment read from the cache or from another process has its own copy of every IRI: at
    10,000 pages the copies cost hundreds of MB, and equal keys of identical strings compare faster.
    """
    share = strings.setdefault
    f.plain = [(share(s, s), share(p, p), share(o, o), share(d, d)) for s, p, o, d in f.plain]
    f.facts = [((share(s, s), share(p, p), share(o, o), share(d, d)), src) for (s, p, o, d), src in f.facts]
    return f


class GraphBuilder:
    """Accumulates pages; :meth:`finish` links what needs every page (siblings, ladders)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base
        self._fragments: list[PageFragment] = []

    def add_page(self, page: Page) -> None:
        self._fragments.append(page_fragment(page, self.base))

    def finish(self) -> BuiltGraph:
        return merge(self._fragments, self.base)


_IDS: dict[str, Ids] = {}
_OBJECT_KEYS: dict[str, str] = {}
_PREDICATE_KEYS: dict[str, str] = {}


def _ids(base: str) -> Ids:
    found = _IDS.get(base)
    if found is None:
        found = _IDS[base] = Ids(base)
    return found


def page_fragment(page: Page, base: str = DEFAULT_BASE) -> PageFragment:
    """The triples one page makes (see :class:`PageFragment`); a bad code is kept as its ``error``."""
    maker = _FragmentMaker(page, _ids(base))
    maker.fragment.names = role_names(page)
    maker.fragment.warnings = page.warnings
    try:
        maker.page()
    except RolegraphError as exc:
        maker.fragment.error = exc
    return maker.finish()


class _FragmentMaker:
    """The rules that turn one page's records into triples."""

    def __init__(self, page: Page, ids: Ids) -> None:
        self.p = page
        self.ids = ids
        self.fragment = PageFragment(page.path)
        self._adds: dict[Key, Source | None] = {}  # in order; a repeated add changes nothing
        self._plain: set[Key] = set()
        self._locations: dict[str, tuple[int, str, int]] = {}

    # -- primitives ------------------------------------------------------------------------

    def add(self, s: str, p: str, o: Obj, src: Source | None = None) -> None:
        pk = _PREDICATE_KEYS.get(p)
        if pk is None:
            pk = _PREDICATE_KEYS[p] = ("0" if p == TYPE else "1") + p
        if isinstance(o, str):
            ok = _OBJECT_KEYS.get(o)
            if ok is None:
                ok = _OBJECT_KEYS[o] = "0" + o
            key = (s, pk, ok, "")
        else:
            key = (s, pk, o[0], o[1])
        if key not in self._adds:
            self._adds[key] = src

    def add_plain(self, s: str, p: str, o: Obj) -> None:
        """A triple that is never checked against what other pages say (a type, a scheme's own label)."""
        self._plain.add(_key(s, p, o))

    def node(self, s: str, types: Iterable[str], src: Source | None, *, primary: bool = False) -> str:
        """Type a node and offer a source location; ``primary`` marks the page that is about it."""
        for t in types:
            self.add_plain(s, TYPE, t)
        if src is not None and src.line > 0:
            candidate = (0 if primary else 1, src.path, src.line)
            best = self._locations.get(s)
            if best is None or candidate < best:
                self._locations[s] = candidate
        return s

    def finish(self) -> PageFragment:
        f = self.fragment
        for key, src in self._adds.items():
            if key[1] in FUNCTIONAL_KEYS:
                f.facts.append((key, src))
            else:
                f.plain.append(key)
        f.plain.extend(self._plain)
        f.locations = [(node, rank, path, line) for node, (rank, path, line) in self._locations.items()]
        return f

    # -- pages -------------------------------------------------------------------------------

    def page(self) -> None:
        page = self.p
        focus = self._taxonomy(page)
        self._skills_of(page, focus)
        self._levels_and_roles(page)
        self._profile(page)

    def _taxonomy(self, page: Page) -> str:
        """The function and focus of a page, and the siblings its focus is distinct from."""
        ids, add = self.ids, self.add
        taxonomy = self._scheme("taxonomy", "rolegraph job architecture")
        fn = page.function
        function = self.node(ids.function(fn.code, fn.source), (RG.Function, SKOS.Concept), fn.source)
        add(function, SKOS.notation, text(fn.code), fn.source)
        add(function, SKOS.prefLabel, text(fn.name), fn.source)
        add(function, SKOS.inScheme, taxonomy)
        add(function, SKOS.topConceptOf, taxonomy)
        add(taxonomy, SKOS.hasTopConcept, function)

        fc = page.focus
        focus = self.node(ids.focus(fc.code, fc.source), (RG.Focus, SKOS.Concept), fc.source)
        add(focus, SKOS.notation, text(fc.code), fc.source)
        add(focus, SKOS.prefLabel, text(fc.name), fc.source)
        add(focus, SKOS.definition, text(fc.definition), fc.source)
        add(focus, SKOS.broader, function)
        add(focus, RG.function, function, fc.source)
        add(focus, SKOS.inScheme, taxonomy)
        self.fragment.focus_name = (fn.code, fc.name.casefold(), focus)
        for sibling in fc.distinct_from:
            distinction = self.ids.uri(f"{focus}/distinction/{slug(sibling.name)}")
            self.node(distinction, (RG.FocusDistinction,), sibling.source)
            add(focus, RG.distinction, distinction)
            add(distinction, RG.gloss, text(sibling.gloss), sibling.source)
            self.fragment.distinctions.append((fn.code, sibling.name, focus, distinction, sibling.source))
        return focus

    def _skills_of(self, page: Page, focus: str) -> None:
        """Shared skill concepts, and how this focus applies each (a qualified requirement)."""
        ids, add = self.ids, self.add
        for number, skill in enumerate(page.skills, start=1):
            concept = self.node(ids.skill(skill.name), (RG.Skill, SKOS.Concept), skill.source)
            self.fragment.skills.append(concept)
            add(concept, SKOS.prefLabel, text(skill.name), skill.source)
            add(concept, SKOS.inScheme, self._scheme("skills", "rolegraph skills"))
            requirement = self.node(
                self.ids.uri(f"{focus}/skill/{slug(skill.name)}"), (RG.SkillRequirement,), skill.source
            )
            add(focus, RG.skillRequirement, requirement)
            add(requirement, RG.skill, concept, skill.source)
            add(requirement, SDO.description, text(skill.description), skill.source)
            add(requirement, RG.ordinal, integer(number), skill.source)

    def _levels_and_roles(self, page: Page) -> None:
        """The page's own level in full, and a role per level it describes."""
        ids, add = self.ids, self.add
        own = page.level
        self._level(own.code, own.source)
        level = ids.level(own.code, own.source)
        add(level, SKOS.prefLabel, text(own.title), own.source)
        if own.experience_min is not None:
            add(level, RG.experienceMinYears, integer(own.experience_min), own.source)
        if own.experience_max is not None:
            add(level, RG.experienceMaxYears, integer(own.experience_max), own.source)
        d = page.descriptor
        add(level, SKOS.definition, text(d.summary), d.source)
        for key, value in d.attributes:
            add(level, DESCRIPTOR_PROPERTIES[key], text(value), d.source)

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
                    add(resp, SDO.description, text(item.text), item.source)
                    add(resp, RG.ordinal, integer(number), item.source)
            if code in guidelines:
                row = guidelines[code]
                g = self.node(self.ids.uri(f"{role}/guideline"), (RG.LevelGuideline,), row.source, primary=own_level)
                add(role, RG.guideline, g, row.source)
                add(g, RG.knowledgeAndApplication, text(row.knowledge), row.source)
                add(g, RG.complexityAndProblemSolving, text(row.complexity), row.source)
                add(g, RG.collaborationAndInteraction, text(row.collaboration), row.source)
                add(g, RG.typicalDegreeAndYears, text(row.degree_years), row.source)

    def _role(self, page: Page, level_code: str, src: Source, *, primary: bool) -> str:
        code = f"{page.focus.code}.{level_code}"
        role = self.node(self.ids.role(code, src), (RG.Role, SKOS.Concept, SDO.Occupation), src, primary=primary)
        self.fragment.roles.append(role)
        title = text(role_title(page.focus.name, level_code))
        self.add(role, SKOS.notation, text(code), src)
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
        doc = self.node(ids.page(page.path), (RG.SourcePage, PROV_ENTITY), src)
        add(doc, DCTERMS_IDENTIFIER, text(page.path))
        add(role, RG.profilePage, doc, src)
        st = page.status
        add(role, RG.confidenceBand, text(st.confidence_band), st.source)
        add(role, RG.confidenceScore, dec(st.confidence_score), st.source)
        add(role, RG.status, text(st.status), st.source)
        add(role, RG.region, text(st.region), st.source)
        add(role, RG.version, text(st.version), st.source)
        for flag in page.differentials:
            add(role, RG.differential, text(flag))
        for alias in page.aliases:
            add(role, SKOS.altLabel, text(alias.title))
        self._pay(role, page)
        self._review(role, page)
        self._mappings(role, page)

    def _pay(self, role: str, page: Page) -> None:
        add = self.add
        if page.pay is not None:
            pay = page.pay
            node = self.node(
                self.ids.uri(f"{role}/pay"), (RG.PayDistribution, SDO.MonetaryAmountDistribution), pay.source
            )
            add(role, SDO.estimatedSalary, node, pay.source)
            add(node, SDO.median, integer(pay.median), pay.source)
            add(node, SDO.minValue, integer(pay.low), pay.source)
            add(node, SDO.maxValue, integer(pay.high), pay.source)
            add(node, SDO.currency, text(pay.currency), pay.source)
            add(node, SDO.duration, typed(pay.period, XSD_DURATION), pay.source)

    def _review(self, role: str, page: Page) -> None:
        add = self.add
        pv = page.provenance
        review = self.node(self.ids.uri(f"{role}/review"), (RG.Review, PROV_ENTITY), pv.source)
        add(role, RG.review, review, pv.source)
        add(review, RG.sourceCount, integer(pv.source_count), pv.source)
        add(review, RG.passThreshold, dec(pv.pass_threshold), pv.source)
        add(review, RG.minimumScore, dec(pv.min_score), pv.source)
        add(review, RG.passes, TRUE if pv.passes else FALSE, pv.source)
        for number, score in enumerate(pv.scores, start=1):
            node = self.node(self.ids.uri(f"{review}/{slug(score.dimension)}"), (RG.ReviewScore,), score.source)
            add(review, RG.reviewScore, node)
            add(node, RG.dimension, text(score.dimension), score.source)
            add(node, RG.score, dec(score.score), score.source)
            add(node, RG.ordinal, integer(number), score.source)

    def _mappings(self, role: str, page: Page) -> None:
        ids, add = self.ids, self.add
        for m in page.mappings:
            scheme, label = ids.classification_scheme(m.scheme)
            self.node(scheme, (SKOS.ConceptScheme,), None)
            add(scheme, SKOS.prefLabel, text(label))
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
            add(node, RG.mappingScheme, text(m.scheme), m.source)
            add(node, RG.mappingTool, text(m.tool), m.source)
            add(node, RG.mappingJustification, UNSPECIFIED_MATCHING, m.source)

    def _code(self, heading: str, notation: str, scheme: str) -> str:
        code = self.node(self.ids.code(heading, notation), (RG.ClassificationCode, SKOS.Concept), None)
        self.add(code, SKOS.notation, text(notation))
        self.add(code, SKOS.inScheme, scheme)
        return code

    def _soc_hierarchy(self, notation: str, scheme: str) -> None:
        """Title the code and link it up to its major group; an unknown code stays untitled (a SHACL violation)."""
        chain = soc_chain(notation)
        child = self.ids.code(SOC_HEADING, notation)
        for group in chain:
            node = self._code(SOC_HEADING, group.code, scheme)
            self.add(node, SKOS.prefLabel, text(group.title))
            if node != child:
                self.add(child, SKOS.broader, node)
            child = node
        if chain and chain[-1].parent is None:
            self.add(child, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, child)

    def _isco_hierarchy(self, notation: str, scheme: str) -> None:
        """Title the code (where ISCO-08 gives a title) and link it up to its major group.

        An unknown code stays out of the hierarchy (no skos:broader, not a top concept): a SHACL violation.
        """
        chain = isco_chain(notation)
        child: str | None = None
        for group in chain:
            node = self._code(ISCO_HEADING, group.code, scheme)
            if group.title is not None:
                self.add(node, SKOS.prefLabel, text(group.title))
            if child is not None:
                self.add(child, SKOS.broader, node)
            child = node
        if child is not None and chain[-1].parent is None:
            self.add(child, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, child)

    def _level(self, code: str, src: Source | None, at: Source | None = None) -> str:
        """A level node; ``src`` offers its source location, ``at`` (else ``src``) is where ``code`` was read."""
        iri = self.ids.level(code, at or src)  # checked before parse_level_code, which knows no location
        track, rank = parse_level_code(code)
        self.fragment.levels.append((track, rank))
        level = self.node(iri, (RG.Level, SKOS.Concept), src)
        ladder = self.node(self.ids.ladder(track), (RG.Ladder, SKOS.ConceptScheme), None)
        self.add(ladder, SKOS.notation, text(track))
        self.add(ladder, SKOS.prefLabel, text(TRACK_LABELS[track]))
        self.add(ladder, RG.track, text(track))
        self.add(level, SKOS.notation, text(code))
        self.add(level, RG.track, text(track))
        self.add(level, RG.rank, integer(rank))
        self.add(level, RG.ladder, ladder)
        self.add(level, SKOS.inScheme, ladder)
        return level

    def _scheme(self, name: str, label: str) -> str:
        scheme = self.ids.scheme(name)
        self.add_plain(scheme, TYPE, SKOS.ConceptScheme)
        self.add_plain(scheme, SKOS.prefLabel, text(label))
        return scheme


# -- the merge ---------------------------------------------------------------------------------------


class _Merger:
    """Joins page fragments in page order; what needs every page (siblings, ladders, locations) last."""

    def __init__(self, base: str) -> None:
        self.ids = _ids(base)
        self.triples: set[Key] = set()
        self.facts: dict[tuple[str, str], tuple[str, str, Source]] = {}
        #: the value the pages state for (subject, predicate key), when they are not in :attr:`facts`
        #: (a merge resumed from a kept state, :mod:`rolegraph.graph.mergestate`); its source is unknown
        self.stated: Callable[[str, str], Lit | None] | None = None

    def fact(self, key: Key, src: Source | None) -> None:
        s, pk, ok, dt = key
        previous = self.facts.get((s, pk))
        if previous is None and self.stated is not None:
            found = self.stated(s, pk)
            if found is not None:
                previous = self.facts[(s, pk)] = (found[0], found[1], Source("<kept merge>", 0))
        if previous is None:
            self.facts[(s, pk)] = (ok, dt, src if src is not None else Source("<build>", 0))
        elif previous[0] is not ok and (previous[0] != ok or previous[1] != dt):
            where = src if src is not None else Source("<build>", 0)
            raise MergeConflictError(
                f"{_curie(pk[1:])} of <{s}>", previous[0][1:], str(previous[2]), ok[1:], str(where)
            )
        self.triples.add(key)

    def add(self, s: str, p: str, o: Obj, src: Source | None = None) -> None:
        maker_key = _key(s, p, o)
        if maker_key[1] in FUNCTIONAL_KEYS:
            self.fact(maker_key, src)
        else:
            self.triples.add(maker_key)


def _key(s: str, p: str, o: Obj) -> Key:
    pk = ("0" if p == TYPE else "1") + p
    if isinstance(o, str):
        return s, pk, "0" + o, ""
    return s, pk, o[0], o[1]


def _link_siblings(
    m: _Merger,
    distinctions: list[tuple[str, str, str, str, Source]],
    focus_names: dict[tuple[str, str], str],
    locations: dict[str, tuple[int, str, int]],
) -> None:
    """Each focus a page says its focus is distinct from: the coded focus of that name, else one by name."""
    ids = m.ids
    for function_code, name, focus, distinction, src in distinctions:
        sibling = focus_names.get((function_code, name.casefold()))
        if sibling is None:
            sibling = ids.focus_by_name(function_code, name, src)
            m.triples.add(_key(sibling, TYPE, RG.Focus))
            m.triples.add(_key(sibling, TYPE, SKOS.Concept))
            if src.line > 0:
                candidate = (1, src.path, src.line)
                best = locations.get(sibling)
                if best is None or candidate < best:
                    locations[sibling] = candidate
            function = ids.function(function_code, src)
            m.add(sibling, SKOS.prefLabel, text(name), src)
            m.add(sibling, SKOS.broader, function)
            m.add(sibling, RG.function, function, src)
            m.add(sibling, SKOS.inScheme, ids.scheme("taxonomy"))
        m.add(focus, RG.distinctFrom, sibling)
        m.add(distinction, RG.distinctFocus, sibling, src)


class Merge:
    """Joins page fragments one at a time, in page order (a fragment can be dropped once added), then
    :meth:`finish` links what needs every page (siblings, ladders, one source location per node).

    A fact two pages disagree on raises :class:`~rolegraph.errors.MergeConflictError` naming both
    places, as a single builder fed the pages in turn would. With ``keep``, it also counts how many
    times the pages state each triple and keeps each fragment without its triples (:meth:`light`),
    what :mod:`rolegraph.graph.mergestate` keeps for the next build.
    """

    def __init__(self, base: str = DEFAULT_BASE, *, keep: bool = False) -> None:
        self.m = _Merger(base)
        self.locations: dict[str, tuple[int, str, int]] = {}
        self.focus_names: dict[tuple[str, str], str] = {}
        self.distinctions: list[tuple[str, str, str, str, Source]] = []
        self.levels: dict[str, set[int]] = {}
        self.roles: set[str] = set()
        self.skills: set[str] = set()
        self.pages = 0
        self.keep = keep
        self.plain_counts: Counter[Key] = Counter()
        self.fact_counts: Counter[Key] = Counter()
        self.lights: list[PageFragment] = []

    def add(self, f: PageFragment) -> None:
        fact = self.m.fact
        for key, src in f.facts:
            fact(key, src)
        self.m.triples.update(f.plain)
        if f.error is not None:
            self.pages += 1
            raise f.error
        if self.keep:
            self.plain_counts.update(f.plain)
            self.fact_counts.update(key for key, _ in f.facts)
            self.lights.append(light(f))
        self.add_light(f)

    def add_light(self, f: PageFragment) -> None:
        """What a page adds besides its triples: where its nodes are, its focus, siblings, levels, roles."""
        self.pages += 1
        locations = self.locations
        for node, rank, path, line in f.locations:
            candidate = (rank, path, line)
            best = locations.get(node)
            if best is None or candidate < best:
                locations[node] = candidate
        if f.focus_name is not None:
            self.focus_names[f.focus_name[:2]] = f.focus_name[2]
        self.distinctions.extend(f.distinctions)
        for track, rank in f.levels:
            self.levels.setdefault(track, set()).add(rank)
        self.roles.update(f.roles)
        self.skills.update(f.skills)

    def link(self) -> None:
        """Add to :attr:`m`'s triples what needs every page: siblings, ladders, one source location per node."""
        m, ids = self.m, self.m.ids
        _link_siblings(m, self.distinctions, self.focus_names, self.locations)
        for track, ranks in self.levels.items():
            for low, high in pairwise(sorted(ranks)):
                m.add(ids.level(f"{track}{low}"), RG.nextLevel, ids.level(f"{track}{high}"))
        source_location = "1" + RG.sourceLocation
        m.triples.update(
            (node, source_location, "1" + f"{path}:{line}", "") for node, (_, path, line) in self.locations.items()
        )

    def finish(self) -> BuiltGraph:
        self.link()
        m = self.m
        m.facts.clear()
        keys = sorted(m.triples)
        m.triples.clear()
        return self.built(keys)

    def built(self, keys: list[Key]) -> BuiltGraph:
        _OBJECT_KEYS.clear()  # shared by the pages of one build only
        _IDS.clear()
        return BuiltGraph(keys, pages=self.pages, roles=len(self.roles), skills=len(self.skills))


def light(f: PageFragment) -> PageFragment:
    """``f`` without its triples (what :meth:`Merge.add_light` reads)."""
    return PageFragment(
        f.path,
        locations=f.locations,
        distinctions=f.distinctions,
        focus_name=f.focus_name,
        levels=f.levels,
        roles=f.roles,
        skills=f.skills,
        names=f.names,
        warnings=f.warnings,
    )


def merge(fragments: Iterable[PageFragment], base: str = DEFAULT_BASE) -> BuiltGraph:
    """One graph from page fragments, in page order (see :class:`Merge`)."""
    merging = Merge(base)
    for f in fragments:
        merging.add(f)
    return merging.finish()


def build_graph(pages: Iterable[Page], base: str = DEFAULT_BASE) -> BuiltGraph:
    return merge((page_fragment(page, base) for page in pages), base)


def triple_sort_key(triple: Triple) -> tuple[str, int, str, str, str, str]:
    """Subjects in IRI order; rdf:type first, then predicates; IRIs before literals, then by value.

    Plain ``str`` copies: rdflib terms override comparison and made sorting ten times slower.
    The builder's :data:`Key` tuples sort the same way.
    """
    s, p, o = triple
    ps = str(p)  # comparing plain strings: rdflib's __ne__ is Python code
    if isinstance(o, Literal):
        return (str(s), ps != _TYPE_IRI, ps, "1" + str(o), str(o.datatype or ""), o.language or "")
    return (str(s), ps != _TYPE_IRI, ps, "0" + str(o), "", "")


def _curie(iri: str) -> str:
    return compact(iri) or f"<{iri}>"
