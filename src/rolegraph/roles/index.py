"""A numpy distance index: ``distance`` and ``nearest`` without walking a graph per query.

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

import dataclasses
import hashlib
import heapq
import json
import logging
import math
import os
import time
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from rolegraph.ask.cache import read_json, write_json
from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import BANDS, Band, Distance, DistanceConfig, make_distance

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
log = logging.getLogger(__name__)


class DistanceIndex:
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

    @classmethod
    def from_arrays(
        cls, catalogue: Catalogue, config: DistanceConfig, levels: list[str], arrays: Ints
    ) -> DistanceIndex:
        """The index of ``catalogue`` from its saved coordinate arrays (:func:`load_index`), without the loop."""
        index = cls.__new__(cls)
        index.catalogue = catalogue
        index.config = config
        index.roles = [catalogue.roles[code] for code in sorted(catalogue.roles)]
        index.position = {role.code: i for i, role in enumerate(index.roles)}
        index.levels = levels
        index.function, index.focus, index.level = arrays[0], arrays[1], arrays[2]
        index._ladder_cache = {}
        return index

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


def config_key(config: DistanceConfig) -> str:
    """A short digest of every distance setting: an index is cached per catalogue and settings."""
    text = json.dumps(dataclasses.asdict(config), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def save_index(index: DistanceIndex, folder: Path) -> None:
    """Write ``index-<settings>.npy`` (function, focus and level ids) and its ``.json`` (levels) into ``folder``."""
    key = config_key(index.config)
    arrays = np.stack([index.function, index.focus, index.level])
    tmp = folder / f".index-{key}.{os.getpid()}.{time.monotonic_ns()}.npy"
    try:
        np.save(tmp, arrays, allow_pickle=False)
        os.replace(tmp, folder / f"index-{key}.npy")
        meta = {"levels": index.levels, "roles": len(index.roles), "config": dataclasses.asdict(index.config)}
        write_json(folder / f"index-{key}.json", meta)
    except OSError as exc:
        log.info("cache: could not write the distance index (%s)", exc)
    finally:
        tmp.unlink(missing_ok=True)


def load_index(catalogue: Catalogue, config: DistanceConfig, folder: Path) -> DistanceIndex | None:
    """The index :func:`save_index` wrote for ``catalogue`` and ``config``, or None (missing or damaged)."""
    key = config_key(config)
    meta = read_json(folder / f"index-{key}.json")
    if not isinstance(meta, dict):
        return None
    try:
        arrays = np.load(folder / f"index-{key}.npy", allow_pickle=False)
        n = len(catalogue.roles)
        levels = meta["levels"]
        if (
            meta["roles"] != n
            or meta["config"] != dataclasses.asdict(config)
            or arrays.shape != (3, n)
            or arrays.dtype != np.int32
            or not isinstance(levels, list)
            or not all(isinstance(x, str) for x in levels)
            or (n and (int(arrays.min()) < 0 or int(arrays[2].max()) > len(levels)))
        ):
            raise ValueError("it does not match the catalogue")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("cache: ignoring the cached distance index (%s); recomputing it", exc)
        return None
    return DistanceIndex.from_arrays(catalogue, config, levels, arrays)
