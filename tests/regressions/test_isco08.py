"""Issue #12, item 10: an ISCO-08 code on a page gets its title and broader groups, like a SOC code.

Before, a role mapped to ISCO 1330 showed ``"title": null`` on its web page, an empty SSSOM
``object_label`` and no ``objectTitle`` in ``rolegraph query mappings``; an unknown ISCO code
passed silently. The page here is a generated one (synth + render) with an ISCO-08 mapping added.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from starlette.testclient import TestClient

from bench.render import render_page
from bench.synth import generate_pages
from rolegraph.api import Session
from rolegraph.cli import cli
from rolegraph.graph.isco import isco_chain, isco_groups
from rolegraph.pages.model import Mapping
from rolegraph.web.app import create_app

ISCO = "https://w3id.org/rolegraph/id/isco/08/"
TITLE_1330 = "Information and communications technology service managers"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def build_with_isco(folder: Path, isco_code: str) -> tuple[int, str, str, str]:
    """Build one generated page that also maps its role to ``isco_code``; returns the exit code,
    stdout, stderr and the role's code."""
    page = generate_pages(3, 1)[0]
    page = dataclasses.replace(page, mappings=(*page.mappings, Mapping("ISCO-08", isco_code, "manual")))
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "page.txt").write_text(render_page(page), encoding="utf-8")
    code, out, err = run("build", str(folder / "pages"), "-o", str(folder / "graph"))
    return code, out, err, page.role_code


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("isco")
    code, out, err, role = build_with_isco(folder, "1330")
    assert code == 0, out + err
    return folder / "graph" / "rolegraph.ttl", role


def test_the_isco_code_has_its_title_and_its_broader_groups_in_the_graph(built: tuple[Path, str]) -> None:
    graph = Graph().parse(built[0])
    unit = URIRef(ISCO + "1330")
    assert graph.value(unit, SKOS.prefLabel) == Literal(TITLE_1330)
    chain = [unit]
    while (up := graph.value(chain[-1], SKOS.broader)) is not None:
        assert isinstance(up, URIRef)
        chain.append(up)
    assert chain == [URIRef(ISCO + c) for c in ("1330", "133", "13", "1")]
    assert (chain[-1], SKOS.topConceptOf, URIRef(ISCO.rstrip("/"))) in graph
    # the source titles no major, sub-major or minor group above 1330: none is invented
    assert [graph.value(g, SKOS.prefLabel) for g in chain[1:]] == [None, None, None]
    assert [str(graph.value(g, SKOS.notation)) for g in chain] == ["1330", "133", "13", "1"]


def test_the_mappings_query_shows_the_isco_title(built: tuple[Path, str]) -> None:
    graph, role = built
    code, out, err = run("query", "mappings", "--graph", str(graph), "-p", f"code={role}", "-f", "json")
    assert code == 0, err
    bindings = json.loads(out)["results"]["bindings"]
    isco = [b for b in bindings if b["notation"]["value"] == "1330"]
    assert [b["objectTitle"]["value"] for b in isco] == [TITLE_1330]
    code, out, err = run("query", "mappings", "--graph", str(graph), "-p", f"code={role}", "-f", "csv")
    assert code == 0, err
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["notation"] == "1330"]
    assert [r["objectTitle"] for r in rows] == [TITLE_1330]


def test_the_sssom_export_labels_the_isco_code(built: tuple[Path, str]) -> None:
    graph, role = built
    code, out, err = run("export", "--graph", str(graph), "-f", "sssom", role)
    assert code == 0, err
    table = "\n".join(line for line in out.splitlines() if not line.startswith("#"))
    rows = [r for r in csv.DictReader(io.StringIO(table), delimiter="\t") if r["object_id"] == "ISCO08:1330"]
    assert [r["object_label"] for r in rows] == [TITLE_1330]


@pytest.fixture(scope="module")
def client(built: tuple[Path, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Session.open(built[0]), built[0]), raise_server_exceptions=False) as c:
        yield c


def test_the_web_role_page_json_shows_the_isco_title_and_groups(built: tuple[Path, str], client: TestClient) -> None:
    r = client.get(f"/role/{built[1]}", params={"format": "json"})
    assert r.status_code == 200
    isco = [m for m in r.json()["mappings"] if m["scheme"] == "ISCO-08"]
    assert [m["title"] for m in isco] == [TITLE_1330]
    assert [[g["code"] for g in m["broader"]] for m in isco] == [["133", "13", "1"]]
    html = client.get(f"/role/{built[1]}").text
    assert f"<code>1330</code> {TITLE_1330}" in html


def test_an_unknown_isco_code_fails_the_build_naming_the_code(tmp_path: Path) -> None:
    code, out, err, _ = build_with_isco(tmp_path, "1399")
    assert code == 1, out + err
    assert "ISCO-08 code 1399 is not an ISCO-08 group" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "graph" / "rolegraph.ttl").exists()


@pytest.mark.parametrize("code", ["133", "13", "1"])
def test_a_page_may_map_to_a_broader_isco_group(tmp_path: Path, code: str) -> None:
    status, out, err, _ = build_with_isco(tmp_path, code)
    assert status == 0, out + err


def test_the_shipped_isco_structure_is_complete_and_titles_only_what_the_source_titles() -> None:
    groups = isco_groups()
    levels = [g.level for g in groups.values()]
    counts = {level: levels.count(level) for level in ("major", "sub-major", "minor", "unit")}
    assert counts == {"major": 10, "sub-major": 43, "minor": 130, "unit": 436}
    assert all(g.title for g in groups.values() if g.level == "unit")
    assert {c for c, g in groups.items() if g.level != "unit" and g.title} == {"211", "315"}
    assert [g.code for g in isco_chain("0110")] == ["0110", "011", "01", "0"]
    assert isco_chain("0211") == []  # the source's padded minor group is 211, not a unit group
