"""Issue #12, items 1 and 2: a career move into management across functions, and pairs with no path.

The corpora are real page files (rendered by ``render.render_page`` from ``synth.generate_pages``),
built and asked through the real CLI:

- ``ic-and-managers``: one function whose focus has only P roles (P2..P8) and another whose focus
  has only M roles (M1..M6). P6 sits beside M3 (M<n> = P<n+3>), so an individual contributor
  reaches a manager of the other function by levelling up, then switching track and function.
- ``no-meeting-rank``: a P1..P3 focus and an M1..M6 focus. No role sits at P4 or above, where
  the M ladder meets the P ladder, so no chain of moves joins them, though their distance is < 1.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from bench.render import render_page
from bench.synth import generate_pages
from rolegraph.api import Session
from rolegraph.cli import cli
from rolegraph.web.app import create_app

IC = "DATASC.AIMACHIN25E2"  # P2..P8 in generate_pages(22, seed=0)
JUNIOR_IC = "SALESB.ENTERPRICA4C"  # P1..P3
MANAGERS = "HRPEOP.TALENTACD817"  # M1..M6


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def build_corpus(root: Path, focuses: set[str]) -> Path:
    """Write the pages of ``focuses`` as page files and build them with `rolegraph build` (SHACL on)."""
    pages = [p for p in generate_pages(22, seed=0) if p.focus.code in focuses]
    assert {p.focus.code for p in pages} == focuses
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    for page in pages:
        (seeds / page.path).write_bytes(render_page(page).encode("utf-8"))
    code, out, err = run("build", str(seeds), "-o", str(root / "graph"), "--no-progress")
    assert code == 0, err
    assert "SHACL: conforms" in out
    return root / "graph" / "rolegraph.ttl"


@pytest.fixture(scope="module")
def ic_and_managers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("ic-and-managers"), {IC, MANAGERS})


@pytest.fixture(scope="module")
def no_meeting_rank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("no-meeting-rank"), {JUNIOR_IC, MANAGERS})


def test_path_from_an_ic_to_a_manager_of_another_function(ic_and_managers: Path) -> None:
    g = ("--graph", str(ic_and_managers), "--by", "structure")  # the moves' own costs
    session = Session.open(ic_and_managers)
    assert {r.track for r in session.catalogue.roles.values() if r.function == "DATASC"} == {"P"}
    assert {r.track for r in session.catalogue.roles.values() if r.function == "HRPEOP"} == {"M"}
    code, out, err = run("path", f"{IC}.P2", f"{MANAGERS}.M3", *g)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{IC}.P2 -> {MANAGERS}.M3: 5 steps, cost 9"
    moves = [line.split(":")[0].strip().split(". ", 1)[1] for line in lines[1:] if not line.startswith("       ")]
    # four levels up and one switch of function and track, the switch at P4 = M1 .. P6 = M3 (ties)
    assert sorted(moves) == ["level up"] * 4 + ["other function, track switch"]
    assert "other function, track switch (cost 5)" not in out and "(cost 5)" in out
    # the path equals the distance: every step lands on an existing role
    code, out, _ = run("distance", f"{IC}.P2", f"{MANAGERS}.M3", "--explain", *g)
    assert code == 0 and "d = 0.900" in out and "raw = taxonomy + levels = 9;" in out


def test_path_back_from_a_manager_to_an_ic_of_another_function(ic_and_managers: Path) -> None:
    g = ("--graph", str(ic_and_managers))
    code, out, err = run("path", f"{MANAGERS}.M2", f"{IC}.P7", "--by", "structure", *g)
    assert code == 0, err
    assert out.splitlines()[0] == f"{MANAGERS}.M2 -> {IC}.P7: 3 steps, cost 7"
    assert out.count("other function, track switch:") == 1 and out.count("level up:") == 2
    code, out, err = run("path", f"{MANAGERS}.M2", f"{IC}.P7", *g)  # by the blend: across tracks too
    assert code == 0 and out.startswith(f"{MANAGERS}.M2 -> {IC}.P7: ") and "(by blend)" in out, err
    assert "track switch" in out


def test_no_path_is_an_answer_with_exit_0(no_meeting_rank: Path) -> None:
    for by in ("structure", "blend"):  # the same moves, whatever they cost
        g = ("--graph", str(no_meeting_rank), "--by", by)
        code, out, err = run("path", f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1", *g)
        assert (code, err) == (0, "")
        no_path = f"no career path from {JUNIOR_IC}.P3 to {MANAGERS}.M1 (no chain of moves between existing roles)\n"
        assert out == no_path
        code, out, err = run("path", f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1", "-f", "json", *g)
        assert (code, err) == (0, "")  # as JSON (issue #18): found false, no steps, a null cost (JSON has no infinity)
        expected = {"a": f"{JUNIOR_IC}.P3", "b": f"{MANAGERS}.M1", "found": False, "by": by, "cost": None, "steps": []}
        assert json.loads(out) == expected
        found = Session.open(no_meeting_rank).path(f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1", by=by)
        assert (found.found, found.steps, found.cost) == (False, (), math.inf)
    code, out, _ = run("distance", f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1", *g[:2], "--by", "structure")
    assert code == 0 and "d = 0.600" in out  # the distance still answers


def test_path_help_documents_no_path() -> None:
    code, out, _ = run("path", "--help")
    text = " ".join(out.split())
    assert code == 0 and "prints `no career path from A to B` and exits 0" in text


def test_cli_compare_says_no_path_and_counts_the_track_switch(no_meeting_rank: Path) -> None:
    code, out, err = run(
        "compare", f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1", "--graph", str(no_meeting_rank), "--by", "structure"
    )
    assert code == 0, err
    assert "distance      0.600 (weak; other function, rank gap 1, track switch)" in out
    assert "career path   no path" in out
    assert "shared skills" in out


def test_cli_compare_shows_the_path_when_there_is_one(ic_and_managers: Path) -> None:
    code, out, err = run("compare", f"{IC}.P2", f"{MANAGERS}.M3", "--graph", str(ic_and_managers), "--by", "structure")
    assert code == 0, err
    assert "rank gap 4, track switch)" in out and "career path   5 steps, cost 9" in out


@pytest.fixture(scope="module")
def web(no_meeting_rank: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Session.open(no_meeting_rank), no_meeting_rank), raise_server_exceptions=False) as c:
        yield c


def test_web_compare_shows_the_comparison_and_says_no_path(web: TestClient) -> None:
    a, b = f"{JUNIOR_IC}.P3", f"{MANAGERS}.M1"
    r = web.get("/compare", params={"a": a, "b": b, "by": "structure"})
    assert r.status_code == 200, r.text
    text = " ".join(r.text.split())
    assert "No path: no chain of moves between existing roles leads from" in text
    assert 'Distance <strong class="num">0.600</strong>' in text and "Same role" not in text
    data = web.get("/compare", params={"a": a, "b": b, "format": "json"}).json()
    assert (data["path"], data["path_found"], data["path_cost"]) == ([], False, None)
    same = web.get("/compare", params={"a": a, "b": a, "format": "json"}).json()
    assert (same["path"], same["path_found"], same["path_cost"]) == ([], True, 0.0)


def test_every_compare_link_of_a_role_page_answers(web: TestClient) -> None:
    page = web.get(f"/role/{JUNIOR_IC}.P3").text
    links = [href for href in _hrefs(page.replace("&amp;", "&")) if href.startswith("/compare?a=") and "&b=" in href]
    assert any(MANAGERS in link for link in links)
    for link in links:
        r = web.get(link)
        assert r.status_code == 200, (link, r.text[:200])


def _hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]
