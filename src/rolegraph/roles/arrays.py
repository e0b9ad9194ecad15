"""The structural distance as numpy arrays, for the skill-aware blend (:mod:`rolegraph.align.similarity`).

The CLI's structural ``distance`` and ``nearest`` use :mod:`rolegraph.roles.index` (plain Python: a
warm command imports no numpy); the blend adds the structure component of every role at once, so it
takes the arrays kept here.

The distance of :mod:`rolegraph.roles.distance` depends only on a role's coordinates (function, focus,
track, rank), so the index keeps one integer array per coordinate and computes the two parts of
``raw`` for every role at once:

- *taxonomy*: 0 for the same focus, ``focus_step + focus_step`` for a sibling focus and
  ``((focus_step + function_step) + function_step) + focus_step`` for a focus in another function:
  the tree's shortest paths, added in the order Dijkstra adds them, so the floats are identical;
- *levels*: the ladder (P and M ranks, joined at ``M<n> = P<n + m_offset>``) has a few dozen
  nodes; its shortest paths from the query's level come from a small Dijkstra over the same
  edges as :meth:`RoleGraph._ladder`.

Roles are held in code order, so a stable sort on ``d`` breaks ties by code, as
:meth:`RoleGraph.nearest` does. ``tests/test_index.py`` checks both agree on generated catalogues.
Among 100,000 roles a ``nearest`` query takes a few milliseconds (``bench/RESULTS.md``).
"""

from __future__ import annotations

import heapq
import logging
import math
from typing import Literal

import numpy as np
import numpy.typing as npt

from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import BANDS, Band, Distance, DistanceConfig, make_distance

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
log = logging.getLogger(__name__)


class ArrayIndex:
    """Coordinates of every role as arrays; answers like :class:`~rolegraph.roles.distance.RoleGraph`."""

    def __init__(self, catalogue: Catalogue, config: DistanceConfig | None = None) -> None:
        self.catalogue = catalogue
        self.config = config or DistanceConfig()
        self.roles: list[RoleInfo] = [catalogue.roles[code] for code in sorted(catalogue.roles)]
        self.position = {role.code: i for i, role in enumerate(self.roles)}
        functions: dict[str, int] = {}
        focuses: dict[str, int] = {}
        self.levels = self._ladder_nodes()
        level_ids = {name: i for i, name in enumerate(self.levels)}
        n = len(self.roles)
        self.function: Ints = np.empty(n, dtype=np.int32)
        self.focus: Ints = np.empty(n, dtype=np.int32)
        self.level: Ints = np.empty(n, dtype=np.int32)
        for i, role in enumerate(self.roles):
            self.function[i] = functions.setdefault(role.function, len(functions))
            self.focus[i] = focuses.setdefault(role.focus, len(focuses))
            self.level[i] = level_ids.get(role.level, len(self.levels))  # the last slot: unreachable
        self._ladder_cache: dict[str, Floats] = {}

    # -- the ladder --------------------------------------------------------------------------

    def _tops(self) -> dict[str, int]:
        tops = {"P": 1, "M": 1}
        for role in self.roles:
            tops[role.track] = max(tops[role.track], role.rank)
        tops["P"] = max(tops["P"], tops["M"] + self.config.m_offset)
        return tops

    def _ladder_nodes(self) -> list[str]:
        return [f"{track}{rank}" for track, top in self._tops().items() for rank in range(1, top + 1)]

    def _ladder_edges(self) -> dict[str, list[tuple[str, float]]]:
        c = self.config
        tops = self._tops()
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

    def ladder_from(self, level: str) -> Floats:
        """Shortest ladder distances from ``level`` to every ladder node (inf where unreachable)."""
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
        out: Floats = np.array([*(dist.get(name, math.inf) for name in self.levels), math.inf], dtype=np.float64)
        self._ladder_cache[level] = out
        return out

    # -- queries -----------------------------------------------------------------------------

    def _parts(self, a: RoleInfo) -> tuple[Floats, Floats]:
        """The taxonomy and ladder parts of raw from ``a`` to every role, in index order."""
        c = self.config
        i = self.position[a.code]
        sibling = c.focus_step + c.focus_step
        other = ((c.focus_step + c.function_step) + c.function_step) + c.focus_step
        taxonomy: Floats = np.where(
            self.focus == self.focus[i], 0.0, np.where(self.function == self.function[i], sibling, other)
        )
        levels: Floats = self.ladder_from(a.level)[self.level]
        return taxonomy, levels

    def distance(self, a: RoleInfo, b: RoleInfo) -> Distance:
        taxonomy, levels = self._parts(a)
        j = self.position[b.code]
        return make_distance(a, b, float(taxonomy[j]), float(levels[j]), self.config)

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
        taxonomy, levels = self._parts(a)
        raw = taxonomy + levels
        with np.errstate(invalid="ignore"):
            d: Floats = np.where(np.isinf(raw), 1.0, np.minimum(1.0, raw / c.scale))
        keep = np.ones(len(self.roles), dtype=bool)
        keep[i] = False
        if within == "function":
            keep &= self.function == self.function[i]
        elif within == "focus":
            keep &= self.focus == self.focus[i]
        if band is not None and band != BANDS[-1]:
            keep &= d <= (c.strong if band == "strong" else c.partial)
        candidates = np.flatnonzero(keep)
        if candidates.size > k:
            # every candidate at or below the k-th smallest d, then a stable sort (ties by code)
            kth = np.partition(d[candidates], k - 1)[k - 1]
            candidates = candidates[d[candidates] <= kth]
        order = candidates[np.argsort(d[candidates], kind="stable")][:k]
        return [
            make_distance(a, self.roles[j], float(taxonomy[j]), float(levels[j]), self.config) for j in order.tolist()
        ]


# -- persisted in a cache entry (rolegraph.ask.cache) as .npy arrays and JSON, never pickled -----------
