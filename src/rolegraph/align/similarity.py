"""Skill-aware similarity: the components of the blended distance, and directional moves.

Every component is a distance in [0, 1] between two roles (0 = the same), rounded to 6 decimals so
that it is symmetric and prints the same on every machine:

- **structure**: today's distance (:mod:`rolegraph.roles.distance`), unchanged;
- **skills**: the weighted Jaccard (Ruzicka) distance ``1 - sum(min) / sum(max)`` between the two focuses'
  skill profiles. A profile holds each skill the focus requires, weighted by its IDF over focuses,
  ``1 + ln((1 + F) / (1 + df))`` (a skill every focus lists counts less than one only a few list), plus
  ``skill_spread`` times its *related* skills: those listed beside it by other focuses, the co-occurrence row of
  each of its skills normalised to sum 1, also IDF-weighted. Skills are compared as *concepts*: names equal after
  case, punctuation, word order and plural endings are ignored count as one (:func:`concept_key`), and so do
  skills mapped to the same ESCO skill (``concept_of``, from the published alignments), transitively;
- **text**: ``1 - max(0, cos)`` of the embeddings of what the roles do (the focus definition and the role's
  responsibilities), from the aligner's offline model (the ``align`` extra);
- **level**: ``min(1, rank gap / level_span)`` on equivalent ranks (``M<n> = P<n + m_offset>``), averaged
  with ``1 - low / high`` of the two pay medians where both are known.

The blend is ``sum(w_i * value_i) / sum(w_i)`` over the components in use, with the weights of
:class:`~rolegraph.roles.distance.DistanceConfig` (``--set w_skills=...``): each component's
contribution is ``value * w_i / sum(w)``, and d is the sum of the contributions, in order. A weighted sum of
symmetric, zero-on-the-diagonal distances in [0, 1] is one too. The triangle inequality holds for structure,
skills (Ruzicka's distance is a metric on non-negative vectors) and level, up to the rounding; text breaks it, so
the blend with text claims none.

A **move** A -> B is directional: the share of B's weighted skills that A covers, less
``jump_penalty`` for each equivalent rank above the next one up; it lists B's missing skills, heaviest
first. ``score(A -> B)`` differs from ``score(B -> A)`` when one skill set holds the other.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Final, Literal

import numpy as np

from rolegraph.errors import RolegraphError
from rolegraph.roles.distance import BANDS, Band, Component, Distance, DistanceConfig, make_distance

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from rolegraph.align.embed import Encoder
    from rolegraph.ask.store import QueryStore
    from rolegraph.roles.arrays import ArrayIndex
    from rolegraph.roles.catalogue import RoleInfo
    from rolegraph.roles.distance import CareerPath

    Floats = NDArray[np.float64]

#: page skill name -> reference concept (an ESCO skill's IRI), as a map or as pairs (a skill may map to several)
Concepts = Mapping[str, str] | Sequence[tuple[str, str]]
log = logging.getLogger(__name__)
By = Literal["structure", "skills", "text", "blend"]
BYS: Final[tuple[By, ...]] = ("structure", "skills", "text", "blend")
COMPONENTS: Final = ("structure", "skills", "text", "level")
DIGITS: Final = 6
_NON_WORD: Final = re.compile(r"[^0-9a-z+#]+")


def concept_key(name: str) -> str:
    """A skill name with case, punctuation, word order and plural endings ignored: near-identical names meet."""
    words = []
    for raw in _NON_WORD.split(name.casefold()):
        word = raw[:-1] if len(raw) > 3 and raw.endswith("s") and not raw.endswith("ss") else raw
        if word:
            words.append(word)
    return " ".join(sorted(words))


#: the cache entry's file of role vectors; v2: a role's text is its focus's definition (v1 added its responsibilities)
ROLE_VECTORS: Final = "role-vectors-v2-{model}.npy"
_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+")


def without_contrasts(text: str) -> str:
    """``text`` less its "Distinct from X (...)" sentences, which name the occupations a focus is not."""
    return " ".join(s for s in _SENTENCE.split(text) if not s.lower().startswith(("distinct from", "unlike ")))


@dataclass(frozen=True, slots=True)
class RoleText:
    """What a role does (its focus's definition, less the sentences naming what the focus is not) and its pay
    median, where known. The text is the focus's, shared by its levels (the level component tells them apart),
    so a graph of 10,000 roles in 2,234 focuses embeds 2,234 texts, not 10,000."""

    text: str
    median: float | None = None


def load_role_texts(store: QueryStore) -> dict[str, RoleText]:
    """Every role's :class:`RoleText`, from the shipped ``role-texts`` query."""
    from rolegraph.ask.query import get_spec, run  # noqa: PLC0415

    found: dict[str, RoleText] = {}
    for code, definition, median in run(get_spec("role-texts"), {}, store).values():
        key = str(code)
        if key not in found:
            text = without_contrasts(str(definition)) if definition else ""
            found[key] = RoleText(text, float(str(median)) if median is not None else None)
    return found


#: page skills that a published alignment (``alignments.ttl``, the curated ``mappings.sssom.tsv``) states to be
#: the same concept as a reference concept: exact and close matches (a broad, narrow or related match is not the same)
_SAME_CONCEPT: Final = """PREFIX rg: <https://w3id.org/rolegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name ?concept WHERE {
  ?skill a rg:Skill ; skos:prefLabel ?name ; skos:exactMatch|skos:closeMatch ?concept .
}
ORDER BY ?name ?concept
"""


def load_skill_concepts(store: QueryStore) -> list[tuple[str, str]]:
    """(page skill name, reference concept IRI) for every exact or close match the graph states on a skill."""
    rows = store.select(_SAME_CONCEPT, {}).rows
    return [(str(name), str(concept)) for name, concept in rows if name is not None and concept is not None]


@dataclass(frozen=True, slots=True)
class Side:
    """What the blend reads besides the catalogue, kept in the graph's cache entry (``similarity.json``):
    each role's pay median and the skills' concept pairs."""

    medians: dict[str, float | None]
    concepts: list[tuple[str, str]]

    def to_json(self) -> dict[str, object]:
        return {"medians": self.medians, "concepts": [list(pair) for pair in self.concepts]}

    @classmethod
    def from_json(cls, value: object) -> Side:
        """The sidecar read back; ValueError when it is not the shape :meth:`to_json` writes."""
        if not isinstance(value, dict) or not isinstance(value.get("medians"), dict):
            raise ValueError("expected medians")
        medians = {str(k): None if v is None else float(v) for k, v in value["medians"].items()}
        pairs = value.get("concepts")
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise ValueError("expected concept pairs")
        return cls(medians, [(str(a), str(b)) for a, b in pairs])

    @classmethod
    def of(cls, store: QueryStore, texts: Mapping[str, RoleText]) -> Side:
        return cls({code: t.median for code, t in sorted(texts.items())}, load_skill_concepts(store))


def read_vectors(path: Path, rows: int) -> NDArray[np.float32] | None:
    """The role vectors kept in a cache entry, or None when absent or not ``rows`` unit rows of the model's width."""
    from rolegraph.align.embed import DIM  # noqa: PLC0415

    try:
        found: NDArray[np.float32] = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return found if found.shape == (rows, DIM) and found.dtype == np.float32 else None


def write_vectors(path: Path, vectors: NDArray[np.float32]) -> None:
    """Keep the role vectors in a cache entry (atomically); a cache that cannot be written is only slower."""
    import io  # noqa: PLC0415

    from rolegraph.errors import FileAccessError  # noqa: PLC0415
    from rolegraph.graph.io import write_atomic  # noqa: PLC0415

    buffer = io.BytesIO()
    np.save(buffer, vectors, allow_pickle=False)
    try:
        write_atomic(path, buffer.getvalue())
    except (OSError, FileAccessError) as exc:
        log.info("cache: could not write %s (%s)", path, exc)


@dataclass(frozen=True, slots=True)
class Move:
    """How ready someone in ``a`` is for ``b``: the weighted share of b's skills a covers, less the level jump."""

    a: str
    b: str
    score: float
    coverage: float
    penalty: float
    rank_jump: int
    covered: tuple[str, ...]
    gain: tuple[tuple[str, float], ...]  # b's skills a lacks, with their weight, heaviest first
    distance: Distance | None = None  # the (symmetric) distance of a and b, with its components, beside the score

    def record(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "coverage": self.coverage,
            "penalty": self.penalty,
            "rank_jump": self.rank_jump,
            "covered": list(self.covered),
            "gain": [{"skill": s, "weight": w} for s, w in self.gain],
            "distance": None if self.distance is None else self.distance.record(),
        }

    def explain(self) -> list[str]:
        return [
            f"covers {self.coverage:.0%} of {self.b}'s skills by weight ({len(self.covered)} of "
            f"{len(self.covered) + len(self.gain)})",
            f"level jump {self.rank_jump:+d} -> penalty {self.penalty:.2f}",
            f"score = max(0, {self.coverage:.3f} - {self.penalty:.3f}) = {self.score:.3f}",
        ]


class Similarity:
    """The components of every role against one, as arrays in the index's order (roles sorted by code)."""

    def __init__(
        self,
        index: ArrayIndex,
        texts: Mapping[str, RoleText] | None = None,
        encoder: Encoder | Callable[[], Encoder] | None = None,
        concept_of: Concepts | None = None,
        *,
        medians: Mapping[str, float | None] | None = None,
        vectors: NDArray[np.float32] | None = None,
    ) -> None:
        """``encoder`` (or a function that loads it, called only when the vectors are not cached yet) gives the
        text component; without one, or without ``texts``, there is none, unless ``vectors`` (one unit row per
        role, in the index's order) are given already. ``medians`` (role code -> pay median) stand in for the
        texts' medians when the texts are not read."""
        self.index = index
        self.config: DistanceConfig = index.config
        catalogue = index.catalogue
        self._last: tuple[str, Floats, Floats] | None = None
        self._keys: dict[str, str] = {}
        self._merged = _merge_concepts(concept_of or {}, self._key)
        # skills: one row per focus, one column per concept, IDF over focuses
        focuses = sorted(set(index.focus_codes) | set(catalogue.skills))
        self.focus_row = {f: i for i, f in enumerate(focuses)}
        self.names: list[dict[str, str]] = []  # per focus: concept -> its first page name
        concepts: dict[str, int] = {}
        for f in focuses:
            named: dict[str, str] = {}
            for name in catalogue.skills.get(f, ()):
                named.setdefault(self.concept(name), name)
            self.names.append(named)
            for c in named:
                concepts.setdefault(c, len(concepts))
        self.concepts = concepts
        member = np.zeros((len(focuses), len(concepts)), dtype=np.float64)
        for i, named in enumerate(self.names):
            member[i, [concepts[c] for c in named]] = 1.0
        df = member.sum(axis=0)
        self.idf: Floats = 1.0 + np.log((1.0 + len(focuses)) / (1.0 + df))
        self.member = member
        self.profile: Floats = _profiles(member, self.idf, self.config.skill_spread)
        self.profile_total: Floats = self.profile.sum(axis=1)
        self.role_focus = np.array([self.focus_row[f] for f in index.focus_codes], dtype=np.int64)
        # level: equivalent ranks and pay medians
        offset = self.config.m_offset
        self.eq_rank: Floats = np.array(index.ranks, dtype=np.float64) + np.where(
            np.array(index.tracks) == "M", float(offset), 0.0
        )
        if medians is None:
            medians = {code: t.median for code, t in (texts or {}).items()}
        pay = [medians.get(code) for code in index.codes]
        self.median: Floats = np.array([m if m and m > 0 else np.nan for m in pay], dtype=np.float64)
        # text: unit vectors of what each role does (None without the model)
        self.vectors: NDArray[np.float32] | None = vectors
        if vectors is None and encoder is not None and texts is not None:
            self.vectors = role_vectors(index, texts, encoder)

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = concept_key(name)
        return key

    def concept(self, name: str) -> str:
        """The concept a page skill name stands for: its :func:`concept_key`, or the least key it is merged with."""
        key = self._key(name)
        return self._merged.get(key, key)

    @property
    def has_text(self) -> bool:
        return self.vectors is not None

    def weights(self, by: By) -> dict[str, float]:
        """The weight of each component ``by`` uses, normalised to sum to 1."""
        c = self.config
        if by == "blend":
            raw = {"structure": c.w_structure, "skills": c.w_skills, "text": c.w_text, "level": c.w_level}
            if not self.has_text:
                raw.pop("text")
        elif by == "text" and not self.has_text:
            from rolegraph.align.embed import INSTALL_HINT  # noqa: PLC0415
            from rolegraph.errors import AlignUnavailable  # noqa: PLC0415

            raise AlignUnavailable("--by text needs the embedding model of the align extra", hint=INSTALL_HINT)
        else:
            raw = {by: 1.0}
        total = sum(raw.values())
        if total <= 0:
            raise RolegraphError(f"--by {by}: expected weights that add up to more than 0, found {raw}")
        return {name: w / total for name, w in raw.items() if w > 0}

    # -- every role against one ---------------------------------------------------------------

    def values(self, a: RoleInfo, names: Sequence[str]) -> dict[str, Floats]:
        """Each named component from ``a`` to every role, in index order."""
        i = self.index.position[a.code]
        out: dict[str, Floats] = {}
        for name in names:
            if name == "structure":
                taxonomy, levels = self._parts(a)
                raw = taxonomy + levels
                with np.errstate(invalid="ignore"):
                    out[name] = np.where(np.isinf(raw), 1.0, np.minimum(1.0, raw / self.config.scale))
            elif name == "skills":
                fa = self.role_focus[i]
                mine = self.profile[fa]
                support = np.flatnonzero(mine)  # min() is 0 off a's profile: only its columns count
                if 2 * support.size < mine.size:  # a few columns: gather them
                    shared = np.minimum(self.profile[:, support], mine[support]).sum(axis=1)
                else:  # most columns (related skills spread wide): gathering would cost more than it saves
                    shared = np.minimum(self.profile, mine).sum(axis=1)
                union = self.profile_total + self.profile_total[fa] - shared
                with np.errstate(invalid="ignore", divide="ignore"):
                    per_focus = np.where(union > 0, 1.0 - shared / np.where(union > 0, union, 1.0), 1.0)
                per_focus[fa] = 0.0
                out[name] = np.round(np.clip(per_focus, 0.0, 1.0)[self.role_focus], DIGITS).astype(np.float64)
            elif name == "text" and self.vectors is not None:  # weights() refuses text without vectors
                cos = (self.vectors @ self.vectors[i]).astype(np.float64)
                value = np.round(1.0 - np.clip(cos, 0.0, 1.0), DIGITS)
                value[i] = 0.0
                out[name] = value
            elif name == "level":
                gap = np.minimum(1.0, np.abs(self.eq_rank - self.eq_rank[i]) / self.config.level_span)
                m = self.median
                with np.errstate(invalid="ignore"):
                    pay = 1.0 - np.minimum(m, m[i]) / np.maximum(m, m[i])
                value = np.where(np.isnan(pay), gap, (gap + pay) / 2.0)
                out[name] = np.round(value, DIGITS)
        return out

    def _parts(self, a: RoleInfo) -> tuple[Floats, Floats]:
        """The index's taxonomy and ladder parts from ``a``, computed once per query role."""
        if self._last is None or self._last[0] != a.code:
            self._last = (a.code, *self.index._parts(a))
        return self._last[1], self._last[2]

    def _blend(self, a: RoleInfo, by: By) -> tuple[dict[str, float], dict[str, Floats], Floats]:
        weights = self.weights(by)
        values = self.values(a, list(weights))
        d: Floats = np.zeros(len(self.index.roles), dtype=np.float64)
        for name, w in weights.items():
            d = d + values[name] * w
        return weights, values, d

    def _distance(self, a: RoleInfo, j: int, by: By, weights: dict[str, float], values: dict[str, Floats]) -> Distance:
        b = self.index.roles[j]
        taxonomy, levels = self._parts(a)
        base = make_distance(a, b, float(taxonomy[j]), float(levels[j]), self.config)
        if by == "structure":
            return base
        parts = tuple(
            Component(
                name, float(values[name][j]), w, float(values[name][j]) * w, self._why(name, a, b, values[name][j])
            )
            for name, w in weights.items()
        )
        d = 0.0
        for part in parts:
            d += part.contribution
        return Distance(
            base.a,
            base.b,
            d,
            self.config.band(d, by),
            base.taxonomy,
            base.taxonomy_relation,
            base.levels,
            base.rank_gap,
            base.track_switch,
            base.raw,
            by,
            parts,
        )

    def distance(self, a: RoleInfo, b: RoleInfo, by: By = "blend") -> Distance:
        weights = self.weights(by)
        values = self.values(a, list(weights)) if by != "structure" else {}
        return self._distance(a, self.index.position[b.code], by, weights, values)

    def nearest(
        self,
        a: RoleInfo,
        k: int = 10,
        band: Band | None = None,
        within: Literal["function", "focus"] | None = None,
        by: By = "blend",
    ) -> list[Distance]:
        """The ``k`` roles closest to ``a`` by ``by`` (itself excluded), ties broken by code."""
        if by == "structure":
            return self.index.nearest(a, k=k, band=band, within=within)
        weights, values, d = self._blend(a, by)
        i = self.index.position[a.code]
        keep = np.ones(len(self.index.roles), dtype=bool)
        keep[i] = False
        if within == "function":
            keep &= self.index.function == self.index.function[i]
        elif within == "focus":
            keep &= self.index.focus == self.index.focus[i]
        if band is not None and band != BANDS[-1]:
            keep &= d <= (self.config.blend_strong if band == "strong" else self.config.blend_partial)
        candidates = np.flatnonzero(keep)
        if candidates.size > k:
            kth = np.partition(d[candidates], k - 1)[k - 1]
            candidates = candidates[d[candidates] <= kth]
        order = candidates[np.argsort(d[candidates], kind="stable")][:k]
        return [self._distance(a, j, by, weights, values) for j in order.tolist()]

    # -- career paths ---------------------------------------------------------------------------

    def path(self, a: RoleInfo, b: RoleInfo, by: By = "blend") -> CareerPath:
        """The cheapest career path from ``a`` to ``b`` over the moves of
        :meth:`~rolegraph.roles.distance.RoleGraph.moves` (a level up or down in a ladder, any focus at the same
        level, a track switch at the equivalent rank), each move costing the ``by`` distance of its two roles.
        No steps and cost inf when no moves join them. Ties go to the lower cost, then the lower code."""
        from rolegraph.roles.distance import CareerPath, make_step  # noqa: PLC0415

        roles, position = self.index.roles, self.index.position
        neighbours = self._move_neighbours()
        start, goal = position[a.code], position[b.code]
        best: dict[int, float] = {start: 0.0}
        came: dict[int, int] = {}
        done: set[int] = set()
        heap: list[tuple[float, str, int]] = [(0.0, a.code, start)]
        while heap:
            cost, _, i = heapq.heappop(heap)
            if i in done:
                continue
            done.add(i)
            if i == goal:
                break
            _, _, d = self._blend(roles[i], by)
            for j in neighbours(i):
                if j in done:
                    continue
                through = cost + float(d[j])
                if through < best.get(j, math.inf):
                    best[j], came[j] = through, i
                    heapq.heappush(heap, (through, roles[j].code, j))
        if goal not in done:
            return CareerPath(a.code, b.code, (), math.inf, by)
        chain = [goal]
        while chain[-1] != start:
            chain.append(came[chain[-1]])
        chain.reverse()
        steps = []
        for i, j in pairwise(chain):
            step = self.distance(roles[i], roles[j], by)
            steps.append(make_step(self.index.catalogue, roles[i].code, roles[j].code, step.d, step.components))
        return CareerPath(a.code, b.code, tuple(steps), best[goal], by)

    def _move_neighbours(self) -> Callable[[int], list[int]]:
        """Role position -> the positions one move away, in index (code) order."""
        roles, offset = self.index.roles, self.config.m_offset
        at_level: dict[str, list[int]] = {}
        ladders: dict[tuple[str, str], list[int]] = {}
        for i, r in enumerate(roles):
            at_level.setdefault(r.level, []).append(i)
            ladders.setdefault((r.focus, r.track), []).append(i)
        step: dict[int, list[int]] = {}
        for members in ladders.values():
            members.sort(key=lambda i: roles[i].rank)
            for low, high in pairwise(members):
                step.setdefault(low, []).append(high)
                step.setdefault(high, []).append(low)

        def twin(level: str) -> str:
            track, rank = level[0], int(level[1:])
            return f"P{rank + offset}" if track == "M" else f"M{rank - offset}"

        def near(i: int) -> list[int]:
            r = roles[i]
            found = {*step.get(i, ()), *at_level.get(r.level, ()), *at_level.get(twin(r.level), ())}
            found.discard(i)
            return sorted(found)

        return near

    # -- explanations and moves -----------------------------------------------------------------

    def _skill_sets(self, a: RoleInfo, b: RoleInfo) -> tuple[dict[str, str], dict[str, str]]:
        return self.names[self.focus_row[a.focus]], self.names[self.focus_row[b.focus]]

    def weight_of(self, concept: str) -> float:
        return round(float(self.idf[self.concepts[concept]]), DIGITS)

    def _why(self, name: str, a: RoleInfo, b: RoleInfo, value: float) -> str:
        if name == "skills":
            sa, sb = self._skill_sets(a, b)
            shared = [c for c in sa if c in sb]
            union = len(set(sa) | set(sb))
            w_shared = sum(self.weight_of(c) for c in shared)
            w_union = sum(self.weight_of(c) for c in set(sa) | set(sb))
            share = w_shared / w_union if w_union else 0.0
            why = f"shares {len(shared)} of {union} skills, {share:.0%} of their weight"
            if self.config.skill_spread > 0 and a.focus != b.focus:
                why += f"; {1 - value:.0%} with related skills"
            return why
        if name == "level":
            gap = abs(self.eq_rank[self.index.position[a.code]] - self.eq_rank[self.index.position[b.code]])
            ma, mb = self.median[self.index.position[a.code]], self.median[self.index.position[b.code]]
            pay = "" if np.isnan(ma) or np.isnan(mb) else f", pay medians {ma:,.0f} and {mb:,.0f}"
            return f"rank gap {gap:g}{pay}"
        if name == "text":
            return "embeddings of the focus definitions"
        return ""

    def move(self, a: RoleInfo, b: RoleInfo, by: By = "blend") -> Move:
        """How ready someone in ``a`` is for ``b`` (directional), with their ``by`` distance and its components."""
        sa, sb = self._skill_sets(a, b)
        total = sum(self.weight_of(c) for c in sb)
        covered = tuple(sb[c] for c in sb if c in sa)
        covered_w = sum(self.weight_of(c) for c in sb if c in sa)
        coverage = round(covered_w / total, DIGITS) if total else (1.0 if a.focus == b.focus else 0.0)
        i, j = self.index.position[a.code], self.index.position[b.code]
        jump = int(self.eq_rank[j] - self.eq_rank[i])
        penalty = round(min(1.0, self.config.jump_penalty * max(0, jump - 1)), DIGITS)
        gain = sorted(((sb[c], self.weight_of(c)) for c in sb if c not in sa), key=lambda t: (-t[1], t[0]))
        score = round(max(0.0, coverage - penalty), DIGITS)
        return Move(a.code, b.code, score, coverage, penalty, jump, covered, tuple(gain), self.distance(a, b, by))


def _merge_concepts(concept_of: Concepts, key: Callable[[str], str]) -> dict[str, str]:
    """Concept keys joined through the reference concepts they map to (union-find, transitively): key -> the
    least key of its group, for keys in a group of two or more. Deterministic whatever the pairs' order."""
    pairs = list(concept_of.items() if isinstance(concept_of, Mapping) else concept_of)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for name, concept in pairs:
        a, b = find(key(name)), find("\0" + concept)  # a reference concept never equals a key
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for name, _ in pairs:
        k = key(name)
        groups.setdefault(find(k), []).append(k)
    merged: dict[str, str] = {}
    for members in groups.values():
        if len(set(members)) > 1:
            least = min(members)
            merged.update((k, least) for k in members)
    return merged


def _profiles(member: Floats, idf: Floats, spread: float) -> Floats:
    """Each focus's skill profile: its skills, plus ``spread`` times the skills other focuses list beside them
    (each skill's co-occurrence row, without itself, normalised to sum 1), all IDF-weighted."""
    if spread <= 0 or member.size == 0:
        return member * idf
    together = member.T @ member
    np.fill_diagonal(together, 0.0)
    rows = together.sum(axis=1, keepdims=True)
    related = together / np.where(rows > 0, rows, 1.0)
    return (member + spread * (member @ related)) * idf


def role_vectors(
    index: ArrayIndex,
    texts: Mapping[str, RoleText],
    encoder: Encoder | Callable[[], Encoder],
    cache: bool = True,
) -> NDArray[np.float32]:
    """One unit vector per role of ``index`` (its order): the embedding of what the role does; with ``cache``
    False (``--no-cache``), computed and never read from or written to the embeddings cache."""
    docs = []
    for j, code in enumerate(index.codes):
        found = texts.get(code)
        docs.append(found.text if found is not None and found.text else index.roles[j].title)
    return _vectors(encoder, docs, cache)


def _vectors(encoder: Encoder | Callable[[], Encoder], docs: list[str], cache: bool = True) -> NDArray[np.float32]:
    """The unit vectors of ``docs``, one cache file per text (`vectors.embed_texts`): the model is loaded only
    when some text is not cached, and a graph with one page edited embeds that page's roles again, not all.
    Without ``cache`` (``--no-cache``) they are computed and nothing is read or saved."""
    from rolegraph.align.embed import Encoder  # noqa: PLC0415
    from rolegraph.align.vectors import embed_texts  # noqa: PLC0415

    if not cache:
        model = encoder if isinstance(encoder, Encoder) else encoder()
        return model.encode(docs, progress="role texts")
    return embed_texts(encoder, docs, progress="role texts")


def precision_at_k(labels: Sequence[str | None], distances: NDArray[np.float64], k: int = 5) -> float:
    """Mean over labelled items of the share of their ``k`` nearest others (by ``distances``) with the same label.

    Ties are broken by position (a stable sort), so the figure is reproducible.
    """
    scores = []
    for i, label in enumerate(labels):
        if label is None:
            continue
        order = [j for j in np.argsort(distances[i], kind="stable").tolist() if j != i and labels[j] is not None]
        top = order[:k]
        if top:
            scores.append(sum(labels[j] == label for j in top) / len(top))
    return float(sum(scores) / len(scores)) if scores else math.nan
