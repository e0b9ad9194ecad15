"""The distance index gives what the networkx RoleGraph gives: same distances, same order, same ties."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import BANDS, DistanceConfig, RoleGraph
from rolegraph.roles.index import DistanceIndex
from tests.helpers import catalogues, configs


def _same(a: object, b: object) -> None:
    for name in ("a", "b", "band", "taxonomy_relation", "rank_gap", "track_switch"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("d", "taxonomy", "levels", "raw"):
        x, y = getattr(a, name), getattr(b, name)
        assert (math.isinf(x) and math.isinf(y)) or abs(x - y) <= 1e-9, name


@settings(max_examples=80, deadline=None)
@given(
    catalogues(max_functions=4, max_focuses=4, max_levels=6),
    configs,
    st.integers(1, 30),
    st.sampled_from([None, *BANDS]),
    st.sampled_from([None, "function", "focus"]),
)
def test_index_matches_rolegraph(
    catalogue: Catalogue, config: DistanceConfig, k: int, band: str | None, within: str | None
) -> None:
    graph = RoleGraph(catalogue, config)
    index = DistanceIndex(catalogue, config)
    for a in catalogue.roles.values():
        expected = graph.nearest(a, k=k, band=band, within=within)  # type: ignore[arg-type]
        found = index.nearest(a, k=k, band=band, within=within)  # type: ignore[arg-type]
        assert [d.b for d in found] == [d.b for d in expected]
        for x, y in zip(found, expected, strict=True):
            _same(x, y)
        for b in catalogue.roles.values():
            _same(index.distance(a, b), graph.distance(a, b))


def test_ties_are_broken_by_code() -> None:
    roles = {
        code: RoleInfo(code, code, "A", "A", focus, focus, "P3", "P", 3)
        for code, focus in (("A.Z.P3", "A.Z"), ("A.B.P3", "A.B"), ("A.M.P3", "A.M"), ("A.X.P3", "A.X"))
    }
    catalogue = Catalogue(roles, {})
    a = roles["A.X.P3"]
    found = [d.b for d in DistanceIndex(catalogue).nearest(a, k=2)]
    assert found == ["A.B.P3", "A.M.P3"] == [d.b for d in RoleGraph(catalogue).nearest(a, k=2)]


def test_the_cli_nearest_does_not_import_networkx() -> None:
    """`rolegraph nearest` reads the graph and answers from the index: no networkx, builder or SHACL."""

    code = (
        "import sys\n"
        "from rolegraph.cli import main\n"
        "try:\n"
        "    main(['nearest', 'DATASC.AIMACHIN97C0.P7', '-k', '2', '--graph', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "print(status, 'networkx' in sys.modules, 'pyshacl' in sys.modules, 'rolegraph.graph.rdf' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    graph = str(root / "graph" / "rolegraph.ttl")
    done = subprocess.run([sys.executable, "-c", code, graph], capture_output=True, text=True, check=True, cwd=root)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 4 and lines[1].split()[2] == "DATASC.AIMACHIN97C0.P6", done.stdout + done.stderr  # it answered
    assert lines[-1] == "0 False False False", done.stdout + done.stderr


def test_ties_across_relations_and_levels_are_broken_by_code() -> None:
    """A role two levels up in the same focus and one in a sibling focus at the same level are both 0.2
    away: they come from different groups of the index, and still in code order."""
    roles = {
        code: RoleInfo(code, code, "A", "A", code[:3], code[:3], code[4:], "P", int(code[5:]))
        for code in ("A.X.P3", "A.X.P5", "A.Z.P3", "A.X.P9")
    }
    catalogue = Catalogue(roles, {})
    a = roles["A.X.P3"]
    found = [(d.b, d.d) for d in DistanceIndex(catalogue).nearest(a, k=3)]
    assert found == [("A.X.P5", 0.2), ("A.Z.P3", 0.2), ("A.X.P9", 0.6)]
    assert found == [(d.b, d.d) for d in RoleGraph(catalogue).nearest(a, k=3)]
