"""Distances between roles, nearest roles and career paths, over networkx graphs.

**Coordinates.** A role sits at (function, focus, track, rank).

**Structure.** Two weighted graphs:

- the *taxonomy tree*: a root, one node per function, one per focus; focus-function edges weigh
  ``focus_step``, function-root edges ``function_step``. A sibling focus is ``2 * focus_step`` away,
  a focus in another function ``2 * (focus_step + function_step)``;
- the *level ladders*: ranks 1..max on the P track and on the M track, neighbouring ranks
  ``level_step`` apart; the tracks are joined at equivalent ranks, ``M<n> = P<n + m_offset>``
  (M1 = P4: a first-line manager sits beside a senior professional), by an edge of ``track_switch``.

**Distance.** ``raw(a, b) = tree(focus_a, focus_b) + ladder(level_a, level_b)``, both weighted
shortest paths, which is the shortest path in the product of the two graphs; then
``d = min(1, raw / scale)``. Both steps keep a metric a metric, so d(a, a) = 0, d is symmetric,
obeys the triangle inequality, lies in [0, 1] and grows with the level gap. Roles that cannot
reach each other (a ladder with no equivalent rank) are at d = 1.

**Bands.** strong when d <= ``strong``, partial when d <= ``partial``, weak otherwise.

**Paths.** A career path moves only between roles that exist: one level up or down within a
focus and track (to the next existing rank), to a sibling focus or another function at the same
level, or across tracks at the equivalent rank (``M<n>`` <-> ``P<n + m_offset>``) within the
focus, to a sibling focus or to another function: the move into management (and back) is
reachable wherever an equivalent rank exists. The moves graph mirrors the distance's product
structure: each role hangs off a (function, level) hub, which hangs off a (level) hub, and the
hubs of equivalent ranks are joined by ``track_switch`` edges, as the ladder joins its tracks.
Every edge costs at least the distance between its ends, so a path is never cheaper than the
distance, and it equals it when every step lands on an existing role. When no chain of moves
joins two roles (a ladder with no role at the rank where another role's ladder meets it), the
path has no steps and costs ``inf`` (:attr:`CareerPath.found` is false): that is an answer, not
an error.

**Bounds.** Ranks are whole numbers from 1 to :data:`MAX_RANK` (99, what a level code ``P99``
allows) and ``m_offset`` is at most :data:`MAX_M_OFFSET`; weights and the scale are finite and
at most :data:`MAX_WEIGHT`. The ladders are built rank by rank, so these bounds are what keeps a
hostile graph or ``--set`` from exhausting memory (``roles.load_catalogue`` checks ranks).

**Fast path.** :class:`rolegraph.roles.index.DistanceIndex` answers ``distance`` and ``nearest`` from
integer coordinates grouped by level (what ``api.Session`` uses); :class:`RoleGraph` stays the reference and
``tests/test_index.py`` proves both agree. networkx is imported only where a graph is walked.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, Literal

from rolegraph.errors import RolegraphError
from rolegraph.roles.catalogue import MAX_RANK, Catalogue, RoleInfo, skill_overlap

if TYPE_CHECKING:
    import networkx as nx

Band = Literal["strong", "partial", "weak"]
BANDS: Final[tuple[Band, ...]] = ("strong", "partial", "weak")
ROOT: Final = "*"
#: the largest ``m_offset`` at which M1 still has a P equivalent on a ladder of MAX_RANK ranks
MAX_M_OFFSET: Final = MAX_RANK - 1
#: the largest weight, threshold scale or step a setting may take (finite, so raw stays finite)
MAX_WEIGHT: Final = 1e6


@dataclass(frozen=True, slots=True)
class DistanceConfig:
    """Weights and thresholds; every field can be set from the CLI (``--set name=value``)."""

    level_step: float = 1.0
    focus_step: float = 1.0
    function_step: float = 1.0
    track_switch: float = 1.0
    m_offset: int = 3
    scale: float = 10.0
    strong: float = 0.2
    partial: float = 0.5
    # the skill-aware blend (rolegraph.align.similarity, docs/distance.md): component weights, its bands, moves
    w_structure: float = 0.2
    w_skills: float = 0.45
    w_text: float = 0.25
    w_level: float = 0.1
    blend_strong: float = 0.3
    blend_partial: float = 0.5
    level_span: float = 4.0
    jump_penalty: float = 0.1
    skill_spread: float = 4.0  # how much a skill's related skills (listed beside it elsewhere) weigh in the profile

    def __post_init__(self) -> None:
        for f in ("level_step", "focus_step", "function_step", "track_switch", "scale"):
            if not 0 < getattr(self, f) <= MAX_WEIGHT:  # also refuses nan and inf
                expected = f"a number > 0 and <= {MAX_WEIGHT:g}"
                raise RolegraphError(f"distance setting {f}: expected {expected}, found {getattr(self, f)}")
        for f in ("w_structure", "w_skills", "w_text", "w_level", "jump_penalty", "skill_spread"):
            if not 0 <= getattr(self, f) <= MAX_WEIGHT:
                raise RolegraphError(
                    f"distance setting {f}: expected a number >= 0 and <= {MAX_WEIGHT:g}, found {getattr(self, f)}"
                )
        if not 0 < self.level_span <= MAX_RANK:
            raise RolegraphError(
                f"distance setting level_span: expected a number > 0 and <= {MAX_RANK}, found {self.level_span}"
            )
        for strong, partial in (("strong", "partial"), ("blend_strong", "blend_partial")):
            if not 0 <= getattr(self, strong) <= getattr(self, partial) <= 1:
                found = f"{strong}={getattr(self, strong)} {partial}={getattr(self, partial)}"
                raise RolegraphError(f"distance bands: expected 0 <= {strong} <= {partial} <= 1, found {found}")
        offset = self.m_offset
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_M_OFFSET:
            expected = f"a whole number 0 to {MAX_M_OFFSET}"
            raise RolegraphError(f"distance setting m_offset: expected {expected}, found {offset!r}")

    def band(self, d: float, by: str = "structure") -> Band:
        """The band of ``d``: ``strong``/``partial`` for the structure alone, ``blend_*`` for any other ``by``."""
        strong, partial = (self.strong, self.partial) if by == "structure" else (self.blend_strong, self.blend_partial)
        if d <= strong:
            return "strong"
        if d <= partial:
            return "partial"
        return "weak"

    def with_settings(self, settings: Iterable[str]) -> DistanceConfig:
        """Apply ``name=value`` overrides (from ``--set``)."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, float | int] = {}
        for item in settings:
            name, sep, value = item.partition("=")
            if not sep or name not in known:
                raise RolegraphError(f"expected --set NAME=VALUE with NAME one of {', '.join(known)}, found {item!r}")
            try:
                changes[name] = _whole(value) if name == "m_offset" else float(value)
            except ValueError:
                kind = "a whole number" if name == "m_offset" else "a number"
                raise RolegraphError(f"--set {name}: expected {kind}, found {_clip(value)!r}") from None
        return replace(self, **changes)  # type: ignore[arg-type]


def _finite(x: float) -> float | None:
    """``x``, or None where it is infinite: JSON has no infinity (``allow_nan=False``)."""
    return None if math.isinf(x) or math.isnan(x) else x


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a distance: its value in [0, 1], its weight, and what it adds to d (value x weight)."""

    name: str
    value: float
    weight: float
    contribution: float
    why: str = ""  # the reason for the value, in words ("shares 3 of 16 skills, 21% of their weight")

    def record(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "value": self.value,
            "weight": self.weight,
            "contribution": self.contribution,
        }
        if self.why:
            out["why"] = self.why
        return out


@dataclass(frozen=True, slots=True)
class Distance:
    a: str
    b: str
    d: float
    band: Band
    taxonomy: float  # tree part of raw
    taxonomy_relation: str  # same role, same focus, sibling focus, other function
    levels: float  # ladder part of raw
    rank_gap: int
    track_switch: bool
    raw: float
    #: what d measures (``structure``, ``skills``, ``text`` or ``blend``) and its parts when not the structure alone
    by: str = "structure"
    parts: tuple[Component, ...] = ()

    @property
    def components(self) -> tuple[Component, ...]:
        """The parts of d, whose contributions add up to d: ``structure`` alone (weight 1) unless blended."""
        return self.parts or (Component("structure", self.d, 1.0, self.d),)

    def record(self) -> dict[str, object]:
        """The JSON shape of ``rolegraph distance -f json`` (docs/json.md): plain values, no infinity."""
        return {
            "a": self.a,
            "b": self.b,
            "d": self.d,
            "band": self.band,
            "relation": self.taxonomy_relation,
            "rank_gap": self.rank_gap,
            "track_switch": self.track_switch,
            "taxonomy": _finite(self.taxonomy),
            "levels": _finite(self.levels),
            "raw": _finite(self.raw),
            "by": self.by,
            "components": [c.record() for c in self.components],
        }

    def explain(self, config: DistanceConfig) -> list[str]:
        raw = "unreachable" if math.isinf(self.raw) else f"{self.raw:g}"
        structure = 1.0 if math.isinf(self.raw) else min(1.0, self.raw / config.scale)
        lines = [
            f"taxonomy: {self.taxonomy_relation} -> {self.taxonomy:g}",
            f"levels: rank gap {self.rank_gap}{', track switch' if self.track_switch else ''} -> {self.levels:g}",
        ]
        if not self.parts:
            lines.append(f"raw = taxonomy + levels = {raw}; d = min(1, raw / scale {config.scale:g}) = {self.d:.3f}")
            lines.append(f"band: {self.band} (strong <= {config.strong:g} < partial <= {config.partial:g} < weak)")
            return lines
        lines.append(f"structure = min(1, (taxonomy + levels = {raw}) / scale {config.scale:g}) = {structure:.3f}")
        for c in self.parts:
            why = f" ({c.why})" if c.why else ""
            lines.append(f"{c.name}: {c.value:.3f} x weight {c.weight:.3f} = {c.contribution:.3f}{why}")
        total = " + ".join(f"{c.contribution:.3f}" for c in self.parts)
        lines.append(f"d ({self.by}) = {total} = {self.d:.3f}")
        strong, partial = config.blend_strong, config.blend_partial
        lines.append(f"band: {self.band} (strong <= {strong:g} < partial <= {partial:g} < weak)")
        return lines


@dataclass(frozen=True, slots=True)
class Step:
    source: str
    target: str
    move: str  # level up, level down, track switch, sibling focus, other function (", track switch")
    cost: float
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    #: the parts of ``cost`` when it is a ``--by`` distance other than the structure's raw cost (which has none)
    components: tuple[Component, ...] = ()

    def record(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "move": self.move,
            "cost": self.cost,
            "gained": list(self.gained),
            "lost": list(self.lost),
            "components": [c.record() for c in self.components],
        }


@dataclass(frozen=True, slots=True)
class CareerPath:
    """The cheapest moves from ``source`` to ``target``; no steps and cost ``inf`` when there is no path."""

    source: str
    target: str
    steps: tuple[Step, ...]
    cost: float
    #: what a step costs: ``structure`` (the moves graph's weights, today's) or the ``--by`` distance of its two roles
    by: str = "structure"

    @property
    def found(self) -> bool:
        """False when no chain of moves between existing roles joins the two roles."""
        return not math.isinf(self.cost)

    def record(self) -> dict[str, object]:
        """The JSON shape of ``rolegraph path -f json``: no path is ``found: false``, no steps, cost null."""
        return {
            "a": self.source,
            "b": self.target,
            "found": self.found,
            "by": self.by,
            "cost": _finite(self.cost),
            "steps": [step.record() for step in self.steps],
        }


class RoleGraph:
    """The taxonomy tree and level ladders of a catalogue, with distance, nearest and path."""

    def __init__(self, catalogue: Catalogue, config: DistanceConfig | None = None) -> None:
        self.catalogue = catalogue
        self.config = config or DistanceConfig()
        self.tree = self._tree()
        self.ladder = self._ladder()
        self._moves: nx.Graph[Any] | None = None

    # -- structure ----------------------------------------------------------------------------

    def _tree(self) -> nx.Graph[Any]:
        import networkx as nx  # noqa: PLC0415 - `nearest` and `distance` use the index instead

        c = self.config
        tree: nx.Graph[Any] = nx.Graph()
        for role in self.catalogue.roles.values():
            tree.add_edge(ROOT, role.function, weight=c.function_step)
            tree.add_edge(role.function, role.focus, weight=c.focus_step)
        return tree

    def _ladder(self) -> nx.Graph[Any]:
        import networkx as nx  # noqa: PLC0415

        c = self.config
        ladder: nx.Graph[Any] = nx.Graph()
        tops = {"P": 1, "M": 1}
        for role in self.catalogue.roles.values():
            tops[role.track] = max(tops[role.track], role.rank)
        tops["P"] = max(tops["P"], tops["M"] + c.m_offset)
        for track, top in tops.items():
            ladder.add_node(f"{track}1")
            for rank in range(1, top):
                ladder.add_edge(f"{track}{rank}", f"{track}{rank + 1}", weight=c.level_step)
        for rank in range(1, tops["M"] + 1):
            ladder.add_edge(f"M{rank}", f"P{rank + c.m_offset}", weight=c.track_switch)
        return ladder

    # -- distance -------------------------------------------------------------------------------

    def distance(self, a: RoleInfo, b: RoleInfo) -> Distance:
        taxonomy = _path_length(self.tree, a.focus, b.focus)
        levels = _path_length(self.ladder, a.level, b.level)
        return self._distance(a, b, taxonomy, levels)

    def _distance(self, a: RoleInfo, b: RoleInfo, taxonomy: float, levels: float) -> Distance:
        return make_distance(a, b, taxonomy, levels, self.config)

    def nearest(
        self,
        a: RoleInfo,
        k: int = 10,
        band: Band | None = None,
        within: Literal["function", "focus"] | None = None,
    ) -> list[Distance]:
        """The ``k`` roles closest to ``a`` (itself excluded), ties broken by code."""
        import networkx as nx  # noqa: PLC0415

        tree = nx.single_source_dijkstra_path_length(self.tree, a.focus)
        ladder = nx.single_source_dijkstra_path_length(self.ladder, a.level)
        allowed = BANDS[: BANDS.index(band) + 1] if band else BANDS
        found: list[tuple[float, str, Distance]] = []
        for role in self.catalogue.roles.values():
            if role.code == a.code:
                continue
            if (within == "function" and role.function != a.function) or (within == "focus" and role.focus != a.focus):
                continue
            dist = self._distance(
                a, role, float(tree.get(role.focus, math.inf)), float(ladder.get(role.level, math.inf))
            )
            if dist.band in allowed:
                found.append((dist.d, role.code, dist))
        return [dist for _, _, dist in heapq.nsmallest(k, found, key=lambda t: (t[0], t[1]))]

    # -- career paths --------------------------------------------------------------------------

    def moves(self) -> nx.Graph[Any]:
        """Roles joined by single moves; (function, level) and (level) hubs keep it linear in size.

        Track switches join a manager role to its twin in the same focus, and the hubs of
        equivalent levels (``M<n>`` and ``P<n + m_offset>``) at both the function and the root,
        so that a move into management can also change focus or function.
        """
        if self._moves is not None:
            return self._moves
        import networkx as nx  # noqa: PLC0415

        c = self.config
        g: nx.Graph[Any] = nx.Graph()
        by_ladder: dict[tuple[str, str], list[RoleInfo]] = {}
        for role in self.catalogue.roles.values():
            g.add_node(role.code)
            g.add_edge(role.code, ("function", role.function, role.level), weight=c.focus_step)
            g.add_edge(("function", role.function, role.level), ("level", role.level), weight=c.function_step)
            by_ladder.setdefault((role.focus, role.track), []).append(role)
        for roles in by_ladder.values():
            roles.sort(key=lambda r: r.rank)
            for low, high in pairwise(roles):
                g.add_edge(low.code, high.code, weight=c.level_step * (high.rank - low.rank))
        for role in self.catalogue.roles.values():
            if role.track == "M":
                twin = f"{role.focus}.P{role.rank + c.m_offset}"
                if twin in self.catalogue.roles:
                    g.add_edge(role.code, twin, weight=c.track_switch)
                twin_level = f"P{role.rank + c.m_offset}"
                for hub, twin_hub in (
                    (("function", role.function, role.level), ("function", role.function, twin_level)),
                    (("level", role.level), ("level", twin_level)),
                ):
                    if twin_hub in g:
                        g.add_edge(hub, twin_hub, weight=c.track_switch)
        self._moves = g
        return g

    def path(self, a: RoleInfo, b: RoleInfo) -> CareerPath:
        """The cheapest sequence of moves from ``a`` to ``b``; no steps and cost ``inf`` when there is none."""
        import networkx as nx  # noqa: PLC0415

        g = self.moves()
        try:
            nodes = nx.dijkstra_path(g, a.code, b.code)
        except nx.NetworkXNoPath:
            return CareerPath(a.code, b.code, (), math.inf)
        roles = [n for n in nodes if isinstance(n, str)]
        steps: list[Step] = []
        total = 0.0
        for source, target in pairwise(roles):
            cost = _path_length(g, source, target)
            total += cost
            steps.append(self._step(source, target, cost))
        return CareerPath(a.code, b.code, tuple(steps), total)

    def _step(self, source: str, target: str, cost: float) -> Step:
        return make_step(self.catalogue, source, target, cost)


def make_step(
    catalogue: Catalogue, source: str, target: str, cost: float, components: tuple[Component, ...] = ()
) -> Step:
    """One move of a career path: its kind and the skills it gains and loses (shared by every ``--by``)."""
    a, b = catalogue.roles[source], catalogue.roles[target]
    if a.focus == b.focus:
        move = "track switch" if a.track != b.track else ("level up" if b.rank > a.rank else "level down")
    else:
        move = "sibling focus" if a.function == b.function else "other function"
        if a.track != b.track:
            move += ", track switch"
    _, lost, gained = skill_overlap(catalogue.skills_of(source), catalogue.skills_of(target))
    return Step(source, target, move, cost, gained, lost, components)


def make_distance(a: RoleInfo, b: RoleInfo, taxonomy: float, levels: float, config: DistanceConfig) -> Distance:
    """A :class:`Distance` from its two parts (shared by :class:`RoleGraph` and the index)."""
    raw = taxonomy + levels
    d = 1.0 if math.isinf(raw) else min(1.0, raw / config.scale)
    if a.code == b.code:
        relation = "same role"
    elif a.focus == b.focus:
        relation = "same focus"
    elif a.function == b.function:
        relation = "sibling focus"
    else:
        relation = "other function"
    gap = abs(_equivalent_rank(a, config) - _equivalent_rank(b, config))
    return Distance(a.code, b.code, d, config.band(d), taxonomy, relation, levels, gap, a.track != b.track, raw)


def _path_length(graph: nx.Graph[Any], a: object, b: object) -> float:
    import networkx as nx  # noqa: PLC0415

    if a not in graph or b not in graph:
        return math.inf
    try:
        return float(nx.shortest_path_length(graph, a, b, weight="weight"))
    except nx.NetworkXNoPath:
        return math.inf


def _equivalent_rank(role: RoleInfo, config: DistanceConfig) -> int:
    return role.rank + config.m_offset if role.track == "M" else role.rank


def _whole(text: str) -> int:
    """A whole number written with at most a few digits (``int()`` of a huge string is slow)."""
    digits = text.strip().removeprefix("+").removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        raise ValueError(text)
    return int(text)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
