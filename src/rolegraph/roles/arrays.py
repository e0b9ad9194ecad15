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
- *levels*: the ladder's shortest paths from the query's level, as
  :meth:`rolegraph.roles.index.DistanceIndex.ladder_from` computes them.

Roles are held in code order, so a stable sort on ``d`` breaks ties by code, as
:meth:`RoleGraph.nearest` does. ``tests/test_index.py`` checks both agree on generated catalogues.
Among 100,000 roles a ``nearest`` query takes a few milliseconds (``bench/RESULTS.md``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import BANDS, Band, Distance, DistanceConfig, make_distance
from rolegraph.roles.index import DistanceIndex

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
log = logging.getLogger(__name__)


class _Roles(Sequence[RoleInfo]):
    """The roles in index order, each :class:`RoleInfo` made when first asked for: a blended ``nearest``
    among 10,000 roles reads the ten it prints (the arrays come from the catalogue's columns)."""

    __slots__ = ("_codes", "_table")

    def __init__(self, catalogue: Catalogue, codes: list[str]) -> None:
        self._table, self._codes = catalogue.roles, codes

    @overload
    def __getitem__(self, j: int) -> RoleInfo: ...
    @overload
    def __getitem__(self, j: slice) -> list[RoleInfo]: ...
    def __getitem__(self, j: int | slice) -> RoleInfo | list[RoleInfo]:
        if isinstance(j, slice):
            return [self._table[code] for code in self._codes[j]]
        return self._table[self._codes[j]]

    def __len__(self) -> int:
        return len(self._codes)


class ArrayIndex:
    """The coordinates of :class:`~rolegraph.roles.index.DistanceIndex` as numpy arrays (same order, same
    ladder); answers like :class:`~rolegraph.roles.distance.RoleGraph`."""

    def __init__(self, catalogue: Catalogue, config: DistanceConfig | None = None) -> None:
        plain = DistanceIndex(catalogue, config)
        self.catalogue = catalogue
        self.config = plain.config
        self.roles: Sequence[RoleInfo] = _Roles(catalogue, plain.codes)  # each made when first asked for
        self.codes: list[str] = plain.codes
        _codes, _functions, focuses, _levels, tracks, ranks = plain.coordinates
        self.focus_codes: list[str] = [focuses[i] for i in plain.order]
        self.tracks: list[str] = [tracks[i] for i in plain.order]
        self.ranks: list[int] = [ranks[i] for i in plain.order]
        self.position = plain.position
        self.levels = plain.levels
        self.function: Ints = np.array(plain.function, dtype=np.int32)
        self.focus: Ints = np.array(plain.focus, dtype=np.int32)
        self.level: Ints = np.array(plain.level, dtype=np.int32)
        self._plain = plain

    def ladder_from(self, level: str) -> Floats:
        """Shortest ladder distances from ``level`` to every ladder node, then inf (the unreachable slot)."""
        return np.array(self._plain.ladder_from(level), dtype=np.float64)

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
