"""A distance index: ``distance`` and ``nearest`` without walking a graph per query, and without numpy.

The distance of :mod:`rolegraph.roles.distance` depends only on a role's coordinates (function, focus,
track, rank), so the index keeps one integer per coordinate and role:

- *taxonomy*: 0 for the same focus, ``focus_step + focus_step`` for a sibling focus and
  ``((focus_step + function_step) + function_step) + focus_step`` for a focus in another function:
  the tree's shortest paths, added in the order Dijkstra adds them, so the floats are identical;
- *levels*: the ladder (P and M ranks, joined at ``M<n> = P<n + m_offset>``) has a few dozen
  nodes; its shortest paths from the query's level come from a small Dijkstra over the same
  edges as :meth:`RoleGraph._ladder`.

So from one role, every other role's distance is one of at most three values per ladder level.
``nearest`` walks those (relation, level) groups in order of distance: the roles of each group
come from lists kept per level, per (function, level) and per (focus, level), in code order, and
the groups of one distance are merged by code. A query touches the roles it returns (and, in the
groups it reads, the roles of the excluded relations), not the whole catalogue; ties are broken
by code, as :meth:`RoleGraph.nearest` does. ``tests/test_index.py`` checks both agree on generated
catalogues. Plain Python: a single ``rolegraph nearest`` does not pay numpy's import (0.13 s),
and among 100,000 roles a query takes well under a millisecond (``bench/RESULTS.md``).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from typing import Literal

from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import BANDS, Band, Distance, DistanceConfig, make_distance

Lists = dict[int, list[int]]


class DistanceIndex:
    """Coordinates of every role as integers; answers like :class:`~rolegraph.roles.distance.RoleGraph`."""

    def __init__(self, catalogue: Catalogue, config: DistanceConfig | None = None) -> None:
        self.catalogue = catalogue
        self.config = config or DistanceConfig()
        codes, functions, focuses, levels, tracks, ranks = catalogue.coordinates()
        order = sorted(range(len(codes)), key=codes.__getitem__)
        self.codes: list[str] = [codes[i] for i in order]  # index order: by code
        self.position = dict(zip(self.codes, range(len(self.codes)), strict=True))
        self.levels = self._ladder_nodes(tracks, ranks)
        level_ids = dict(zip(self.levels, range(len(self.levels)), strict=True))
        unreachable = len(self.levels)  # the last slot of a ladder row: inf
        function_ids: dict[str, int] = {}
        focus_ids: dict[str, int] = {}
        self.function = [function_ids.setdefault(functions[i], len(function_ids)) for i in order]
        self.focus = [focus_ids.setdefault(focuses[i], len(focus_ids)) for i in order]
        self.level = [level_ids.get(levels[i], unreachable) for i in order]
        self.order = order  # catalogue position of each index position: with coordinates, what the blend's arrays read
        self.coordinates = (codes, functions, focuses, levels, tracks, ranks)
        self._ladder_cache: dict[str, list[float]] = {}
        self._groups: tuple[Lists, Lists, Lists] | None = None

    # -- the ladder --------------------------------------------------------------------------

    def _tops(self, tracks: Iterable[str], ranks: Iterable[int]) -> dict[str, int]:
        levels = set(zip(tracks, ranks, strict=True))  # a few dozen (track, rank) pairs
        tops = {track: max([1, *(rank for t, rank in levels if t == track)]) for track in ("P", "M")}
        tops["P"] = max(tops["P"], tops["M"] + self.config.m_offset)
        return tops

    def _ladder_nodes(self, tracks: Iterable[str], ranks: Iterable[int]) -> list[str]:
        self._top = self._tops(tracks, ranks)
        return [f"{track}{rank}" for track, top in self._top.items() for rank in range(1, top + 1)]

    def _ladder_edges(self) -> dict[str, list[tuple[str, float]]]:
        c = self.config
        tops = self._top
        edges: dict[str, list[tuple[str, float]]] = {name: [] for name in self.levels}

        def link(u: str, v: str, w: float) -> None:
            edges[u].append((v, w))
            edges[v].append((u, w))

        for track, top in tops.items():
            for rank in range(1, top):
                link(f"{track}{rank}", f"{track}{rank + 1}", c.level_step)
        for rank in range(1, tops["M"] + 1):
            link(f"M{rank}", f"P{rank + c.m_offset}", c.track_switch)
        return edges

    def ladder_from(self, level: str) -> list[float]:
        """Shortest ladder distances from ``level`` to every ladder node, then inf (the unreachable slot)."""
        cached = self._ladder_cache.get(level)
        if cached is not None:
            return cached
        dist: dict[str, float] = {}
        if level in self.levels:
            edges = self._ladder_edges()
            seen: dict[str, float] = {level: 0.0}
            heap: list[tuple[float, str]] = [(0.0, level)]
            while heap:
                d, u = heapq.heappop(heap)
                if u in dist:
                    continue
                dist[u] = d
                for v, w in edges[u]:
                    candidate = d + w
                    if v not in dist and (v not in seen or candidate < seen[v]):
                        seen[v] = candidate
                        heapq.heappush(heap, (candidate, v))
        out = [*(dist.get(name, math.inf) for name in self.levels), math.inf]
        self._ladder_cache[level] = out
        return out

    # -- queries -----------------------------------------------------------------------------

    def _steps(self) -> tuple[float, float]:
        """The taxonomy part of raw for a sibling focus and for a focus in another function."""
        c = self.config
        return c.focus_step + c.focus_step, ((c.focus_step + c.function_step) + c.function_step) + c.focus_step

    def _taxonomy(self, i: int, j: int) -> float:
        sibling, other = self._steps()
        if self.focus[j] == self.focus[i]:
            return 0.0
        return sibling if self.function[j] == self.function[i] else other

    def _distance(self, a: RoleInfo, j: int, ladder: list[float]) -> Distance:
        b = self.catalogue.roles[self.codes[j]]
        return make_distance(a, b, self._taxonomy(self.position[a.code], j), ladder[self.level[j]], self.config)

    def distance(self, a: RoleInfo, b: RoleInfo) -> Distance:
        return self._distance(a, self.position[b.code], self.ladder_from(a.level))

    def _lists(self) -> tuple[Lists, Lists, Lists]:
        """Role positions (ascending) per level, per (function, level) and per (focus, level), the pairs
        as ``id * stride + level`` (an int hashes faster than a tuple): built once, at the first query."""
        if self._groups is None:
            stride = len(self.levels) + 1
            by_level: Lists = {}
            by_function: Lists = {}
            by_focus: Lists = {}
            for j, (function, focus, level) in enumerate(zip(self.function, self.focus, self.level, strict=True)):
                by_level.setdefault(level, []).append(j)
                by_function.setdefault(function * stride + level, []).append(j)
                by_focus.setdefault(focus * stride + level, []).append(j)
            self._groups = (by_level, by_function, by_focus)
        return self._groups

    def nearest(
        self,
        a: RoleInfo,
        k: int = 10,
        band: Band | None = None,
        within: Literal["function", "focus"] | None = None,
    ) -> list[Distance]:
        """The ``k`` roles closest to ``a`` (itself excluded), ties broken by code."""
        c = self.config
        i = self.position[a.code]
        focus, function = self.focus[i], self.function[i]
        ladder = self.ladder_from(a.level)
        limit = None if band is None or band == BANDS[-1] else (c.strong if band == "strong" else c.partial)
        by_level, by_function, by_focus = self._lists()
        stride = len(self.levels) + 1
        sibling, other = self._steps()
        # every group of roles at one distance from a: (relation, level) -> the roles, in code order
        groups: dict[float, list[Iterable[int]]] = {}
        for level, members in by_level.items():
            parts: list[tuple[float, Iterable[int]]] = [(0.0, by_focus.get(focus * stride + level, ()))]
            if within != "focus":
                same_function = by_function.get(function * stride + level, ())
                parts.append((sibling, (j for j in same_function if self.focus[j] != focus)))
            if within is None:
                parts.append((other, (j for j in members if self.function[j] != function and self.focus[j] != focus)))
            for taxonomy, roles in parts:
                raw = taxonomy + ladder[level]
                d = 1.0 if math.isinf(raw) else min(1.0, raw / c.scale)
                if limit is None or d <= limit:
                    groups.setdefault(d, []).append(roles)
        found: list[int] = []
        for d in sorted(groups):
            found.extend(_take(heapq.merge(*groups[d]), i, k - len(found)))
            if len(found) >= k:
                break
        return [self._distance(a, j, ladder) for j in found]


def _take(positions: Iterator[int], skip: int, n: int) -> list[int]:
    """The first ``n`` of ``positions`` other than ``skip`` (the role asked about is not its own neighbour)."""
    out: list[int] = []
    for j in positions:
        if len(out) >= n:
            break
        if j != skip:
            out.append(j)
    return out
