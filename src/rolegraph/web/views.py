"""What each web page shows, as typed records built from one loaded graph (no HTML here).

The same records are rendered by the templates and returned as JSON (``?format=json``), so the
browser and a script see the same facts. A role page is made from one query,
``role-description.rq``, whose triples are also the role's JSON-LD.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from rdflib import URIRef

from rolegraph.api import DCTERMS, RG, SDO, SKOS, RoleDescription, role_alignments, skill_concepts, skill_overlap

if TYPE_CHECKING:
    from rolegraph.api import By, Component, Distance, RoleInfo, Session
    from rolegraph.web.search import Hit, SearchIndex


@dataclass(frozen=True, slots=True)
class Ref:
    """A named thing with a code: a function, focus, level or role."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Distinction:
    focus: str
    gloss: str


@dataclass(frozen=True, slots=True)
class LevelView:
    code: str
    title: str | None
    track: str
    rank: int
    years: str | None  # "15–22 yrs", as the page wrote it
    definition: str | None
    descriptor: tuple[tuple[str, str], ...]  # (Scope, ...), (Autonomy, ...), in page order
    source: str | None


@dataclass(frozen=True, slots=True)
class Pay:
    median: int
    low: int
    high: int
    currency: str
    period: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Located:
    """A statement and the page line it came from."""

    text: str
    source: str | None


@dataclass(frozen=True, slots=True)
class SkillView:
    name: str
    applied_as: str
    source: str | None
    concepts: tuple[AlignmentView, ...] = ()  # the ESCO skills it is aligned to (rejected ones left out)


@dataclass(frozen=True, slots=True)
class AlignmentView:
    """A reference concept a role or skill is aligned to (``rolegraph align --write``, or a taxonomist's decision)."""

    iri: str
    label: str
    notation: str | None
    scheme: str
    predicate: str
    confidence: float | None
    rank: int | None
    curated: bool


@dataclass(frozen=True, slots=True)
class RubricRow:
    level: str
    code: str
    knowledge: str
    complexity: str
    collaboration: str
    degree_and_years: str
    current: bool


@dataclass(frozen=True, slots=True)
class Score:
    dimension: str
    score: float


@dataclass(frozen=True, slots=True)
class ReviewView:
    scores: tuple[Score, ...]
    minimum: float
    threshold: float
    passes: bool
    sources: int
    source: str | None


@dataclass(frozen=True, slots=True)
class MappingView:
    scheme: str
    predicate: str  # "broad match", ...
    code: str
    title: str | None
    broader: tuple[Ref, ...]  # the code's groups, narrowest first
    tool: str
    justification: str
    source: str | None


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of a focus's ladder, with its responsibilities and its pay."""

    level: str
    title: str | None
    code: str
    current: bool
    responsibilities: tuple[str, ...]
    track: str
    rank: int
    pay: Pay | None  # its market pay, when its page records one (period and source: on the role's own page)


@dataclass(frozen=True, slots=True)
class Near:
    code: str
    title: str
    distance: float
    band: str
    relation: str
    rank_gap: int
    by: str = "structure"
    components: tuple[ComponentView, ...] = ()


@dataclass(frozen=True, slots=True)
class ComponentView:
    """One part of a distance (docs/distance.md): its value, its weight and what it adds to d."""

    name: str
    value: float
    weight: float
    contribution: float
    why: str


def _components(d: Distance) -> tuple[ComponentView, ...]:
    return _views(d.components)


def _views(components: Iterable[Component]) -> tuple[ComponentView, ...]:
    return tuple(ComponentView(c.name, c.value, c.weight, c.contribution, c.why) for c in components)


@dataclass(frozen=True, slots=True)
class RolePage:
    code: str
    iri: str
    title: str
    function: Ref
    focus: Ref
    focus_definition: str | None
    distinctions: tuple[Distinction, ...]
    level: LevelView
    pay: Pay | None
    status: str | None
    confidence_band: str | None
    confidence_score: float | None
    region: str | None
    version: str | None
    differential: tuple[str, ...]
    responsibilities: tuple[Located, ...]
    rubric: tuple[RubricRow, ...]
    skills: tuple[SkillView, ...]
    review: ReviewView | None
    mappings: tuple[MappingView, ...]
    alignments: tuple[AlignmentView, ...]  # ESCO, O*NET-SOC and ISCO-08 matches of the role
    aliases: tuple[str, ...]
    page: str | None
    source: str | None
    ladder: tuple[Rung, ...]
    m_offset: int  # the ladder's equivalence: M<n> is level with P<n + m_offset>
    nearest: tuple[Near, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    source: Ref
    target: Ref
    move: str
    cost: float
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    components: tuple[ComponentView, ...] = ()  # the parts of cost, unless the path is by structure


@dataclass(frozen=True, slots=True)
class ComparePage:
    a: RolePage
    b: RolePage
    shared_skills: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    distance: float
    band: str
    relation: str
    rank_gap: int
    explanation: tuple[str, ...]
    path: tuple[StepView, ...]
    path_found: bool  # false when no chain of moves joins the two roles (then no steps)
    path_cost: float | None  # None when there is no path (JSON has no infinity)
    by: str = "structure"
    components: tuple[ComponentView, ...] = ()


@dataclass(frozen=True, slots=True)
class FocusEntry:
    code: str
    name: str
    roles: tuple[Ref, ...]  # by track and rank; name is the level code


@dataclass(frozen=True, slots=True)
class LevelPay:
    """Market pay at one level of a function, in one currency: the row of ``pay-by-level.rq``."""

    level: str
    track: str
    rank: int
    currency: str
    roles: int
    min_median: int
    max_median: int
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class FunctionEntry:
    code: str
    name: str
    focus_count: int
    role_count: int
    focuses: tuple[FocusEntry, ...]  # empty when the function is folded (a large graph, not the chosen one)
    pay: tuple[LevelPay, ...]  # by track, rank and currency; empty when folded


@dataclass(frozen=True, slots=True)
class HomePage:
    query: str
    hits: tuple[Hit, ...] | None  # None when nothing was searched
    tree: tuple[FunctionEntry, ...]
    roles: int
    skills: int
    unfolded: str | None  # the function whose focuses are listed, in a large graph


#: up to this many roles the home page lists every focus and level; above, one function at a time
UNFOLD_ALL: Final = 600


DESCRIPTOR: tuple[tuple[str, URIRef], ...] = (
    ("Scope", RG.scope),
    ("Autonomy", RG.autonomy),
    ("Complexity", RG.complexity),
    ("Impact", RG.impact),
    ("Decision rights", RG.decisionRights),
    ("Leadership", RG.leadership),
    ("Typical experience", RG.typicalExperience),
)


@dataclass(slots=True)
class Views:
    """Page records over one session (any store: embedded, rdflib or remote); the catalogue, distance
    index and search index are built once."""

    session: Session
    search_index: SearchIndex
    level_titles: dict[str, str | None] = field(default_factory=dict)
    _trees: dict[tuple[bool, str | None], tuple[FunctionEntry, ...]] = field(default_factory=dict)

    @classmethod
    def over(cls, session: Session) -> Views:
        from rolegraph.web.search import SearchIndex  # noqa: PLC0415

        views = cls(session, SearchIndex(session.catalogue, skill_concepts(session)))
        views.level_titles = {str(level): title for level, title, *_ in session.values("levels")}
        session.index  # noqa: B018 - build the shared structures now, not racing in the first requests
        session.roles.moves()
        return views

    # -- home ------------------------------------------------------------------------------------

    def home(self, query: str = "", function: str | None = None) -> HomePage:
        """Search hits and the function > focus > level tree (in a large graph, only ``function`` unfolded)."""
        catalogue = self.session.catalogue
        small = len(catalogue.roles) <= UNFOLD_ALL
        unfolded = None if small else function
        key = (small, unfolded)
        if key not in self._trees:  # the graph never changes while it is served
            self._trees[key] = self._tree(unfolded, small)
        hits = tuple(self.search_index.search(query)) if query.strip() else None
        skills = len({s for names in catalogue.skills.values() for s in names})
        return HomePage(query, hits, self._trees[key], len(catalogue.roles), skills, unfolded)

    def _tree(self, function: str | None, small: bool) -> tuple[FunctionEntry, ...]:
        functions: dict[str, dict[str, list[RoleInfo]]] = {}
        roles = self.session.catalogue.roles.values()
        for role in sorted(roles, key=lambda r: (r.function_name, r.focus_name, r.track, r.rank)):
            functions.setdefault(role.function, {}).setdefault(role.focus, []).append(role)
        return tuple(
            FunctionEntry(
                code=code,
                name=next(iter(focuses.values()))[0].function_name,
                focus_count=len(focuses),
                role_count=sum(len(roles) for roles in focuses.values()),
                focuses=tuple(
                    FocusEntry(focus, roles[0].focus_name, tuple(Ref(r.code, r.level) for r in roles))
                    for focus, roles in focuses.items()
                )
                if small or code == function
                else (),
                pay=self._function_pay(code) if small or code == function else (),
            )
            for code, focuses in functions.items()
        )

    def _function_pay(self, function: str) -> tuple[LevelPay, ...]:
        return tuple(
            LevelPay(str(level), str(track), int(str(rank)), str(cur), *(int(Decimal(str(v))) for v in numbers))
            for _, level, track, rank, cur, *numbers in self.session.values("pay-by-level", function=function)
        )

    # -- a role ----------------------------------------------------------------------------------

    def jsonld(self, code: str) -> bytes:
        """The role's JSON-LD: what `rolegraph export ROLE --format jsonld` writes."""
        return self.session.export("jsonld", code)

    def role(self, code: str, nearest: int = 8, by: By | None = None) -> RolePage:
        info = self.session.catalogue.roles[code]
        g = Described.read(self.session.description(code))
        matches: dict[str, list[AlignmentView]] = {}  # role or skill IRI -> its matches, best first
        for a in role_alignments(self.session, code):
            if not a.rejected:
                view = AlignmentView(
                    a.object, a.label, a.notation, a.scheme, a.predicate, a.confidence, a.rank, a.curated
                )
                matches.setdefault(a.subject, []).append(view)
        role = g.role
        focus = g.one(role, RG.focus)
        level = g.one(role, RG.level)
        return RolePage(
            code=code,
            iri=role or "",
            title=g.one(role, SKOS.prefLabel) or info.title,
            function=g.ref(g.one(focus, RG.function)),
            focus=g.ref(focus),
            focus_definition=g.one(focus, SKOS.definition),
            distinctions=tuple(
                sorted(
                    (
                        Distinction(g.one(g.one(d, RG.distinctFocus), SKOS.prefLabel) or "", g.one(d, RG.gloss) or "")
                        for d in g.all(focus, RG.distinction)
                    ),
                    key=lambda d: d.focus,
                )
            ),
            level=LevelView(
                code=info.level,
                title=g.one(level, SKOS.prefLabel),
                track=info.track,
                rank=info.rank,
                years=g.one(level, RG.typicalExperience) or g.years(level),
                definition=g.one(level, SKOS.definition),
                descriptor=tuple((label, v) for label, prop in DESCRIPTOR if (v := g.one(level, prop)) is not None),
                source=g.one(level, RG.sourceLocation),
            ),
            pay=g.pay(g.one(role, SDO.estimatedSalary)),
            status=g.one(role, RG.status),
            confidence_band=g.one(role, RG.confidenceBand),
            confidence_score=_float(g.one(role, RG.confidenceScore)),
            region=g.one(role, RG.region),
            version=g.one(role, RG.version),
            differential=tuple(sorted(g.all(role, RG.differential))),
            responsibilities=tuple(
                Located(g.one(r, SDO.description) or "", g.one(r, RG.sourceLocation))
                for r in g.ordered(g.all(role, RG.responsibility))
            ),
            rubric=self._rubric(info),
            skills=tuple(
                SkillView(
                    g.one(g.one(req, RG.skill), SKOS.prefLabel) or "",
                    g.one(req, SDO.description) or "",
                    g.one(req, RG.sourceLocation),
                    tuple(matches.get(g.one(req, RG.skill) or "", ())),
                )
                for req in g.ordered(g.all(focus, RG.skillRequirement))
            ),
            review=g.review(g.one(role, RG.review)),
            mappings=tuple(g.mapping(m) for m in sorted(g.all(role, RG.mapping))),
            alignments=tuple(matches.get(role or "", ())),
            aliases=info.aliases,
            page=g.one(g.one(role, RG.profilePage), DCTERMS.identifier),
            source=g.one(role, RG.sourceLocation),
            ladder=self._ladder(info),
            m_offset=self.session.config.m_offset,
            nearest=tuple(self._near(d) for d in self.session.nearest(code, k=nearest, by=by)) if nearest else (),
        )

    def _ladder(self, info: RoleInfo) -> tuple[Rung, ...]:
        duties: dict[str, list[str]] = {}
        for _, _, code, _, text in self.session.values("focus-ladder", focus=info.focus):
            duties.setdefault(str(code), []).append(str(text))
        pay = {
            str(code): Pay(int(Decimal(str(m))), int(Decimal(str(lo))), int(Decimal(str(hi))), str(cur), None, None)
            for _, _, code, _, _, m, lo, hi, cur in self.session.values("focus-pay", focus=info.focus)
        }
        roles = sorted(
            (r for r in self.session.catalogue.roles.values() if r.focus == info.focus), key=lambda r: (r.track, r.rank)
        )
        return tuple(
            Rung(
                r.level,
                self.level_titles.get(r.level),
                r.code,
                r.code == info.code,
                tuple(duties.get(r.code, ())),
                r.track,
                r.rank,
                pay.get(r.code),
            )
            for r in roles
        )

    def _rubric(self, info: RoleInfo) -> tuple[RubricRow, ...]:
        return tuple(
            RubricRow(str(level), str(code), str(k), str(c), str(co), str(dy), code == info.code)
            for _, level, code, k, c, co, dy in self.session.values("focus-rubric", focus=info.focus)
        )

    def _near(self, d: Distance) -> Near:
        other = self.session.catalogue.roles[d.b]
        return Near(d.b, other.title, round(d.d, 3), d.band, d.taxonomy_relation, d.rank_gap, d.by, _components(d))

    # -- two roles -------------------------------------------------------------------------------

    def compare(self, a: str, b: str, by: By | None = None) -> ComparePage:
        page_a, page_b = self.role(a, nearest=0), self.role(b, nearest=0)
        shared, only_a, only_b = skill_overlap([s.name for s in page_a.skills], [s.name for s in page_b.skills])
        d = self.session.distance(a, b, by=by)
        path = self.session.path(a, b, by=by)
        roles = self.session.catalogue.roles
        return ComparePage(
            a=page_a,
            b=page_b,
            shared_skills=shared,
            only_a=only_a,
            only_b=only_b,
            distance=round(d.d, 3),
            band=d.band,
            relation=d.taxonomy_relation,
            rank_gap=d.rank_gap,
            explanation=tuple(d.explain(self.session.config)),
            path=tuple(
                StepView(
                    Ref(s.source, roles[s.source].title),
                    Ref(s.target, roles[s.target].title),
                    s.move,
                    round(s.cost, 3),
                    s.gained,
                    s.lost,
                    _views(s.components),
                )
                for s in path.steps
            ),
            path_found=path.found,
            path_cost=round(path.cost, 3) if path.found else None,
            by=d.by,
            components=_components(d),
        )


# -- reading a role's description ---------------------------------------------------------------------


class Described(RoleDescription):
    """A role's description (:meth:`rolegraph.api.Session.description`, the one way a role is read),
    with the page records of its nodes."""

    @classmethod
    def read(cls, description: RoleDescription) -> Described:
        return cls(description.props, description.role)

    def ref(self, subject: str | None) -> Ref:
        return Ref(self.one(subject, SKOS.notation) or "", self.one(subject, SKOS.prefLabel) or "")

    def ordered(self, subjects: Iterable[str]) -> list[str]:
        return sorted(subjects, key=lambda n: _int(self.one(n, RG.ordinal)) or 0)

    def years(self, level: str | None) -> str | None:
        low = _int(self.one(level, RG.experienceMinYears))
        high = _int(self.one(level, RG.experienceMaxYears))
        if low is None and high is None:
            return None
        return f"{low if low is not None else ''}–{high if high is not None else ''} yrs"

    def pay(self, node: str | None) -> Pay | None:
        median, low, high = (_int(self.one(node, p)) for p in (SDO.median, SDO.minValue, SDO.maxValue))
        if median is None or low is None or high is None:
            return None
        return Pay(
            median=median,
            low=low,
            high=high,
            currency=self.one(node, SDO.currency) or "",
            period=self.one(node, SDO.duration),
            source=self.one(node, RG.sourceLocation),
        )

    def review(self, node: str | None) -> ReviewView | None:
        if node is None:
            return None
        scores = tuple(
            Score(self.one(s, RG.dimension) or "", _float(self.one(s, RG.score)) or 0.0)
            for s in self.ordered(self.all(node, RG.reviewScore))
        )
        return ReviewView(
            scores=scores,
            minimum=_float(self.one(node, RG.minimumScore)) or 0.0,
            threshold=_float(self.one(node, RG.passThreshold)) or 0.0,
            passes=self.one(node, RG.passes) in {"true", "1"},
            sources=_int(self.one(node, RG.sourceCount)) or 0,
            source=self.one(node, RG.sourceLocation),
        )

    def mapping(self, node: str) -> MappingView:
        code = self.one(node, RG.mappedCode)
        broader: list[Ref] = []
        group = self.one(code, SKOS.broader)
        while group is not None and len(broader) < 10:
            broader.append(self.ref(group))
            group = self.one(group, SKOS.broader)
        return MappingView(
            scheme=self.one(node, RG.mappingScheme) or "",
            predicate=_spaced((self.one(node, RG.mappingPredicate) or "").rsplit("#", 1)[-1]),
            code=self.one(code, SKOS.notation) or "",
            title=self.one(code, SKOS.prefLabel),
            broader=tuple(broader),
            tool=self.one(node, RG.mappingTool) or "",
            justification=_spaced((self.one(node, RG.mappingJustification) or "").rsplit("/", 1)[-1]),
            source=self.one(node, RG.sourceLocation),
        )


def _float(value: str | None) -> float | None:
    return None if value is None else float(value)


def _int(value: str | None) -> int | None:
    return None if value is None else int(Decimal(value))


def _spaced(camel: str) -> str:
    """``broadMatch`` -> "broad match", ``UnspecifiedMatching`` -> "unspecified matching"."""
    out = "".join(f" {c.lower()}" if c.isupper() else c for c in camel)
    return out.strip()


# -- said for a reader ----------------------------------------------------------------------------------

#: the differential flags of a page (``PAY``, ``SKILL``) as a reader says them
FLAG_WORDS: Final = {"PAY": "pay", "SKILL": "skills"}


def in_words(flags: Iterable[str]) -> str:
    """``("PAY", "SKILL")`` -> "Pay and skills": the differential flags in words, as a sentence start."""
    words = [FLAG_WORDS.get(flag, flag.lower()) for flag in flags]
    if not words:
        return ""
    said = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return said[0].upper() + said[1:]


def cited(sources: Iterable[str | None]) -> str:
    """Page lines by file, runs joined: ``a.txt:65``, ``a.txt:66``, ``a.txt:67``, ``a.txt:70`` ->
    "a.txt lines 65–67, 70"; files in the order first cited, "" when none is known."""
    lines: dict[str, list[int]] = {}
    for source in sources:
        if source:
            path, _, line = source.rpartition(":")
            if path and line.isdigit():
                lines.setdefault(path, []).append(int(line))
            else:
                lines.setdefault(source, [])
    out = []
    for path, numbers in lines.items():
        runs: list[list[int]] = []
        for n in sorted(set(numbers)):
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        said = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)
        noun = "line" if len(set(numbers)) == 1 else "lines"
        out.append(f"{path} {noun} {said}" if said else path)
    return "; ".join(out)
