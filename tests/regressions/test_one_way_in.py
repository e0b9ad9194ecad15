"""Issue #14 ("One way in"): a role is read one way, pictures use the numpy index, views take any session.

- `compare` read a role with ``role.rq`` + ``role-responsibilities.rq`` while the web read
  ``role-description.rq``: two readings that could drift. Both now read ``role-description.rq``
  through :meth:`rolegraph.api.Session.description`.
- `draw` asked networkx's ``RoleGraph.nearest`` (0.36 s among 100,000 roles) where the numpy
  ``DistanceIndex`` answers the same in about 1 ms.
- ``Views.over`` refused any store but the embedded Oxigraph one; the pages now read through the
  session, so an rdflib session shows the same role page.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rolegraph.api import Session
from rolegraph.ask.query import QuerySpec
from rolegraph.cli import cli
from rolegraph.roles.distance import RoleGraph
from rolegraph.web.views import Views
from tests.helpers import REAL_FOCUS, REAL_ROLE


def test_compare_reads_each_role_through_the_role_description_only(
    real_graph_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    values, query = Session.values, Session.query

    def record_values(self: Session, name: str, **params: str) -> list[tuple[str | None, ...]]:
        asked.append(name)
        return values(self, name, **params)

    def record_query(
        self: Session, name: str | Path | QuerySpec, params: Mapping[str, str] | None = None, **kw: Any
    ) -> Any:
        asked.append(name.name if isinstance(name, QuerySpec) else str(name))
        return query(self, name, params, **kw)

    monkeypatch.setattr(Session, "values", record_values)
    monkeypatch.setattr(Session, "query", record_query)
    result = CliRunner().invoke(cli, ["compare", REAL_ROLE, f"{REAL_FOCUS}.P5", "--graph", str(real_graph_file)])
    assert result.exit_code == 0, result.output
    assert "responsibilities of DATASC.AIMACHIN97C0.P7:" in result.stdout
    assert "pay (median)" in result.stdout
    assert [name for name in asked if name.startswith("role")] == ["role-description", "role-description"]


def test_compare_shows_what_the_role_page_shows(real_graph_file: Path) -> None:
    page = Views.over(Session.open(real_graph_file)).role(REAL_ROLE, nearest=0)
    details = Session.open(real_graph_file).details(REAL_ROLE)
    assert details.responsibilities == tuple(r.text for r in page.responsibilities)
    assert page.pay is not None
    assert details.pay == (page.pay.median, page.pay.low, page.pay.high, page.pay.currency)
    assert details.level_title == page.level.title


def test_draw_asks_the_numpy_index_not_networkx_for_nearest_roles(
    real_graph_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")

    def networkx_nearest(*_: object, **__: object) -> None:
        raise AssertionError("draw walked the networkx graph for nearest roles")

    monkeypatch.setattr(RoleGraph, "nearest", networkx_nearest)
    for name, out in ((REAL_FOCUS, "ladder.svg"), (REAL_ROLE, "role.svg")):
        result = CliRunner().invoke(cli, ["draw", name, "--graph", str(real_graph_file), "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / out).read_bytes().startswith(b"<?xml")


def test_views_over_an_rdflib_session_show_the_same_role(real_graph_file: Path) -> None:
    embedded = Views.over(Session.open(real_graph_file)).role(REAL_ROLE)
    rdflib = Views.over(Session.open(real_graph_file, engine="rdflib")).role(REAL_ROLE)
    assert rdflib == embedded
