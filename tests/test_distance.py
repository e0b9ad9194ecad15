"""Properties of the role distance, the bands, nearest and career paths, on generated taxonomies."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolegraph.errors import RolegraphError
from rolegraph.roles.catalogue import Catalogue, RoleInfo, skill_overlap
from rolegraph.roles.distance import DistanceConfig, RoleGraph
from tests.helpers import catalogues, configs, mixed_catalogues


@settings(max_examples=60, deadline=None)
@given(catalogues(), configs)
def test_metric_properties(catalogue: Catalogue, config: DistanceConfig) -> None:
    graph = RoleGraph(catalogue, config)
    roles = list(catalogue.roles.values())
    d = {(a.code, b.code): graph.distance(a, b).d for a in roles for b in roles}
    for a in roles:
        assert d[a.code, a.code] == 0
    for a, b in itertools.product(roles, repeat=2):
        assert 0 <= d[a.code, b.code] <= 1
        assert d[a.code, b.code] == pytest.approx(d[b.code, a.code])
        if a.code != b.code:
            assert d[a.code, b.code] > 0
    for a, b, c in itertools.product(roles, repeat=3):
        assert d[a.code, c.code] <= d[a.code, b.code] + d[b.code, c.code] + 1e-9


@settings(max_examples=60, deadline=None)
@given(catalogues(), configs)
def test_monotone_in_level_gap_and_taxonomy_order(catalogue: Catalogue, config: DistanceConfig) -> None:
    graph = RoleGraph(catalogue, config)
    for a in catalogue.roles.values():
        same_ladder = sorted(
            (r for r in catalogue.roles.values() if r.focus == a.focus and r.track == a.track and r.rank >= a.rank),
            key=lambda r: r.rank,
        )
        ds = [graph.distance(a, r).d for r in same_ladder]
        assert ds == sorted(ds)
    # at the same level: same focus < sibling focus < other function (before the cap at 1)
    base = RoleInfo("A.X.P3", "t", "A", "A", "A.X", "A.X", "P3", "P", 3)
    probe = Catalogue(
        {
            r.code: r
            for r in (
                base,
                RoleInfo("A.X.P4", "t", "A", "A", "A.X", "A.X", "P4", "P", 4),
                RoleInfo("A.Y.P4", "t", "A", "A", "A.Y", "A.Y", "P4", "P", 4),
                RoleInfo("B.Z.P4", "t", "B", "B", "B.Z", "B.Z", "P4", "P", 4),
            )
        },
        {},
    )
    g = RoleGraph(probe, DistanceConfig(scale=1000))
    same, sibling, other = (g.distance(base, probe.roles[c]).d for c in ("A.X.P4", "A.Y.P4", "B.Z.P4"))
    assert same < sibling < other


def test_band_thresholds_at_their_edges() -> None:
    c = DistanceConfig(strong=0.2, partial=0.5)
    assert c.band(0.0) == "strong"
    assert c.band(0.2) == "strong"
    assert c.band(math.nextafter(0.2, 1)) == "partial"
    assert c.band(0.5) == "partial"
    assert c.band(math.nextafter(0.5, 1)) == "weak"
    assert c.band(1.0) == "weak"
    with pytest.raises(RolegraphError):
        DistanceConfig(strong=0.6, partial=0.5)
    with pytest.raises(RolegraphError, match="level_step"):
        DistanceConfig().with_settings(["level_step=0"])
    with pytest.raises(RolegraphError, match="expected --set"):
        DistanceConfig().with_settings(["nonsense=1"])
    assert DistanceConfig().with_settings(["scale=20", "m_offset=2"]) == DistanceConfig(scale=20, m_offset=2)


def _equivalent(a: RoleInfo, b: RoleInfo, config: DistanceConfig) -> bool:
    """A manager and a professional at equivalent ranks (M<n> = P<n + m_offset>)."""
    if a.track == b.track:
        return False
    m, p = (a, b) if a.track == "M" else (b, a)
    return p.rank == m.rank + config.m_offset


def explicit_moves(graph: RoleGraph) -> nx.Graph[str]:
    """The same moves as RoleGraph.moves, written out role to role (no hubs) for brute force."""
    c, roles = graph.config, list(graph.catalogue.roles.values())
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(r.code for r in roles)
    for a, b in itertools.combinations(roles, 2):
        tree = 2 * c.focus_step if a.function == b.function else 2 * (c.focus_step + c.function_step)
        if a.level == b.level and a.focus != b.focus:
            g.add_edge(a.code, b.code, weight=tree)
        elif a.focus == b.focus and a.track == b.track:
            between = [
                r
                for r in roles
                if r.focus == a.focus and r.track == a.track and min(a.rank, b.rank) < r.rank < max(a.rank, b.rank)
            ]
            if not between:
                g.add_edge(a.code, b.code, weight=c.level_step * abs(a.rank - b.rank))
        elif _equivalent(a, b, c):  # a track switch, in the focus or into a sibling focus or another function
            g.add_edge(a.code, b.code, weight=c.track_switch + (0 if a.focus == b.focus else tree))
    return g


@settings(max_examples=40, deadline=None)
@given(catalogues(max_functions=2, max_focuses=2, max_levels=3), configs)
def test_path_is_optimal_against_brute_force(catalogue: Catalogue, config: DistanceConfig) -> None:
    graph = RoleGraph(catalogue, config)
    brute = explicit_moves(graph)
    roles = sorted(catalogue.roles)
    for a, b in itertools.combinations(roles, 2):
        paths = list(nx.all_simple_paths(brute, a, b))
        if not paths:
            none = graph.path(catalogue.roles[a], catalogue.roles[b])
            assert (none.found, none.steps, none.cost) == (False, (), math.inf)
            continue
        best = min(nx.path_weight(brute, p, weight="weight") for p in paths)
        found = graph.path(catalogue.roles[a], catalogue.roles[b])
        assert found.cost == pytest.approx(best)
        assert sum(s.cost for s in found.steps) == pytest.approx(best)
        assert found.steps[0].source == a and found.steps[-1].target == b
        # a path only lands on existing roles and is never cheaper than the distance
        assert all(s.target in catalogue.roles for s in found.steps)
        assert found.cost >= graph.distance(catalogue.roles[a], catalogue.roles[b]).raw - 1e-9


@settings(max_examples=40, deadline=None)
@given(mixed_catalogues(), configs)
def test_path_across_tracks_focuses_and_functions_against_brute_force(
    catalogue: Catalogue, config: DistanceConfig
) -> None:
    """Both tracks in one focus and across functions: every path is the cheapest chain of single moves
    (Floyd-Warshall over the moves written out role to role), never cheaper than the distance, and
    equal to it when one move joins the two roles (same level, or equivalent ranks on the two tracks)."""
    graph = RoleGraph(catalogue, config)
    brute = explicit_moves(graph)
    best = nx.floyd_warshall(brute, weight="weight")
    for a, b in itertools.permutations(sorted(catalogue.roles), 2):
        ra, rb = catalogue.roles[a], catalogue.roles[b]
        found = graph.path(ra, rb)
        if math.isinf(best[a][b]):
            assert (found.found, found.steps, found.cost) == (False, (), math.inf)
            continue
        assert found.found and found.cost == pytest.approx(best[a][b])
        assert sum(s.cost for s in found.steps) == pytest.approx(found.cost)
        assert found.steps[0].source == a and found.steps[-1].target == b
        for step in found.steps:  # each step is one move, with the label and cost of that move
            assert brute.has_edge(step.source, step.target), step
            assert step.cost == pytest.approx(brute[step.source][step.target]["weight"])
            s, t = catalogue.roles[step.source], catalogue.roles[step.target]
            assert ("track switch" in step.move) == (s.track != t.track)
        raw = graph.distance(ra, rb).raw
        assert found.cost >= raw - 1e-9
        if ra.level == rb.level or _equivalent(ra, rb, config):
            assert found.cost == pytest.approx(raw)


def test_move_into_management_in_another_function() -> None:
    """An individual contributor reaches a manager of another function (M1 = P4), and back."""
    roles = {
        "A.X.P3": RoleInfo("A.X.P3", "x3", "A", "A", "A.X", "X", "P3", "P", 3),
        "A.X.P4": RoleInfo("A.X.P4", "x4", "A", "A", "A.X", "X", "P4", "P", 4),
        "B.Y.M1": RoleInfo("B.Y.M1", "y1", "B", "B", "B.Y", "Y", "M1", "M", 1),
        "A.Z.M1": RoleInfo("A.Z.M1", "z1", "A", "A", "A.Z", "Z", "M1", "M", 1),
    }
    graph = RoleGraph(Catalogue(roles, {}))
    found = graph.path(roles["A.X.P3"], roles["B.Y.M1"])
    assert [(s.move, s.target, s.cost) for s in found.steps] == [
        ("level up", "A.X.P4", 1.0),
        ("other function, track switch", "B.Y.M1", 5.0),
    ]
    assert found.cost == graph.distance(roles["A.X.P3"], roles["B.Y.M1"]).raw == 6.0
    sibling = graph.path(roles["A.X.P4"], roles["A.Z.M1"])
    assert [(s.move, s.cost) for s in sibling.steps] == [("sibling focus, track switch", 3.0)]
    back = graph.path(roles["B.Y.M1"], roles["A.X.P3"])
    assert [s.move for s in back.steps] == ["other function, track switch", "level down"]


@settings(max_examples=40, deadline=None)
@given(catalogues())
def test_nearest_agrees_with_distance(catalogue: Catalogue) -> None:
    graph = RoleGraph(catalogue)
    for a in catalogue.roles.values():
        every = graph.nearest(a, k=len(catalogue.roles))
        expected = sorted((graph.distance(a, b).d, b.code) for b in catalogue.roles.values() if b.code != a.code)
        assert [(x.d, x.b) for x in every] == expected
        strong = graph.nearest(a, k=100, band="strong")
        assert all(x.band == "strong" for x in strong)
        focus_only = graph.nearest(a, k=100, within="focus")
        assert all(catalogue.roles[x.b].focus == a.focus for x in focus_only)


def test_skills_gained_and_lost_along_a_path() -> None:
    roles = {
        "A.X.P3": RoleInfo("A.X.P3", "x3", "A", "A", "A.X", "X", "P3", "P", 3),
        "A.Y.P3": RoleInfo("A.Y.P3", "y3", "A", "A", "A.Y", "Y", "P3", "P", 3),
        "A.Y.P4": RoleInfo("A.Y.P4", "y4", "A", "A", "A.Y", "Y", "P4", "P", 4),
    }
    graph = RoleGraph(Catalogue(roles, {"A.X": ("sql", "python"), "A.Y": ("python", "spark")}))
    found = graph.path(roles["A.X.P3"], roles["A.Y.P4"])
    assert [(s.move, s.gained, s.lost) for s in found.steps] == [
        ("sibling focus", ("spark",), ("sql",)),
        ("level up", (), ()),
    ]
    assert found.cost == 3.0


def test_a_rung_missing_from_a_ladder_still_costs_each_level() -> None:
    """A focus with P3 and P5 but no P4 (a level without its own page): the step costs two levels."""
    roles = {
        "A.X.P3": RoleInfo("A.X.P3", "p3", "A", "A", "A.X", "X", "P3", "P", 3),
        "A.X.P5": RoleInfo("A.X.P5", "p5", "A", "A", "A.X", "X", "P5", "P", 5),
    }
    graph = RoleGraph(Catalogue(roles, {}), DistanceConfig(level_step=1.5))
    found = graph.path(roles["A.X.P3"], roles["A.X.P5"])
    assert [(s.move, s.cost) for s in found.steps] == [("level up", 3.0)]
    assert found.cost == graph.distance(roles["A.X.P3"], roles["A.X.P5"]).raw == 3.0


def test_track_switch_at_equivalent_rank() -> None:
    roles = {
        "A.X.P4": RoleInfo("A.X.P4", "p4", "A", "A", "A.X", "X", "P4", "P", 4),
        "A.X.M1": RoleInfo("A.X.M1", "m1", "A", "A", "A.X", "X", "M1", "M", 1),
        "A.X.M2": RoleInfo("A.X.M2", "m2", "A", "A", "A.X", "X", "M2", "M", 2),
    }
    graph = RoleGraph(Catalogue(roles, {}))
    d = graph.distance(roles["A.X.P4"], roles["A.X.M1"])
    assert (d.raw, d.rank_gap, d.track_switch) == (1.0, 0, True)
    found = graph.path(roles["A.X.P4"], roles["A.X.M2"])
    assert [s.move for s in found.steps] == ["track switch", "level up"]


@given(st.lists(st.sampled_from("abcdefg"), unique=True), st.lists(st.sampled_from("abcdefg"), unique=True))
def test_skill_overlap_splits_both_sides_in_their_order(a: list[str], b: list[str]) -> None:
    shared, only_a, only_b = skill_overlap(a, b)
    assert [s for s in a if s in shared] == list(shared) == [s for s in a if s in b]
    assert sorted(shared + only_a) == sorted(a)
    assert sorted(shared + only_b) == sorted(b)
    assert not set(only_a) & set(b)
    assert not set(only_b) & set(a)
