"""``rolegraph align --write``, ``--check`` and ``-f sssom`` end to end: the real CLI, the real aligner and model,
the real vocabularies, on a copy of the real page's graph (with the taxonomist's decisions of seeds/).

Skipped only until the aligner's ``align`` command is merged into this branch (``align`` on the ``align``
branch); from then on they run, and fail if an option is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from rolegraph.cli import cli
from rolegraph.graph.vocab import DEFAULT_BASE, RG
from tests.helpers import REAL_ROLE, ROOT
from tests.helpers import invoke as run

pytestmark = pytest.mark.skipif("align" not in cli.commands, reason="the aligner's `align` command is not merged yet")

DATA_ANALYST = URIRef("http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2")
DATA_SCIENTIST = URIRef("http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30")


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graph")
    shutil.copy(ROOT / "graph" / "rolegraph.ttl", folder / "rolegraph.ttl")
    return folder / "rolegraph.ttl"


def test_write_publishes_sssom_and_rdf_beside_the_graph(graph: Path) -> None:
    code, out, err = run("align", "--graph", str(graph), "--write")
    assert code == 0, out + err
    tsv, ttl = graph.with_name("alignments.sssom.tsv"), graph.with_name("alignments.ttl")
    assert f"wrote {tsv}, {ttl}" in out
    text = tsv.read_text(encoding="utf-8")
    assert "\tsemapv:SemanticSimilarityThresholdMatching\t" in text
    assert f"rgrole:{REAL_ROLE}\t" in text and "ESCOSKILL:" in text and "ONETSOC:" in text and "ISCO08:" in text
    rdf = Graph().parse(ttl)
    role = URIRef(f"{DEFAULT_BASE}role/{REAL_ROLE}")  # the taxonomist decided for this role (not its P2 ... P6)
    proposed = {o for a in rdf.subjects(RG.mappingSubject, role) for o in rdf.objects(a, RG.mappingObject)}
    assert DATA_ANALYST not in proposed  # rejected by the taxonomist
    assert DATA_SCIENTIST not in proposed  # accepted by the taxonomist
    assert len([c for c in proposed if "/esco/occupation/" in str(c)]) == 5  # the next ones move up
    first = (tsv.read_bytes(), ttl.read_bytes())
    code, out, err = run("align", "--graph", str(graph), "--write")
    assert code == 0, out + err
    assert (tsv.read_bytes(), ttl.read_bytes()) == first


def test_sssom_output_is_the_written_rows_of_one_role(graph: Path) -> None:
    code, out, err = run("align", REAL_ROLE, "--graph", str(graph), "-f", "sssom")
    assert code == 0, err
    assert out.startswith("#curie_map:\n")
    rows = [line for line in out.splitlines() if line.startswith(f"rgrole:{REAL_ROLE}\t")]
    assert len(rows) == 5
    code, out, err = run("align", REAL_ROLE, "--graph", str(graph), "--target", "esco", "-f", "sssom")
    assert code == 0, err
    assert "d3edb8f8" not in out and "258e46f9" not in out  # a decided pair is never proposed


def test_check_confirms_the_real_page_and_exits_0(graph: Path) -> None:
    code, out, err = run("align", "--graph", str(graph), "--check")
    assert code in (0, 1), out + err
    assert out.splitlines()[-1].endswith("stated SOC codes confirmed (in the aligner's top 5)")
    assert code == (0 if out.splitlines()[-1].startswith("1 of 1") else 1)


def test_check_exits_1_when_a_page_states_a_soc_code_the_aligner_does_not_confirm(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "000_cf26a15490124fcc.txt").read_text(encoding="utf-8")
    assert "code=15-2051source" in text
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(text.replace("code=15-2051source", "code=35-2014source"), encoding="utf-8")
    code, _, err = run("build", str(seeds), "-o", str(tmp_path / "graph"))
    assert code == 0, err
    code, out, err = run("align", "--graph", str(tmp_path / "graph" / "rolegraph.ttl"), "--check")
    assert code == 1, out + err
    assert f"{REAL_ROLE} (AI / Machine Learning Engineering — P7): the page states SOC 35-2014" in out
    assert out.splitlines()[-1] == "0 of 1 stated SOC codes confirmed (in the aligner's top 5)"


def test_the_role_page_reads_what_was_written(graph: Path) -> None:
    from starlette.testclient import TestClient

    from rolegraph import api
    from rolegraph.web.app import create_app

    run("align", "--graph", str(graph), "--write")
    app = create_app(api.Session.open(graph, cache=False), graph, query_timeout=10, max_queries=4)
    with TestClient(app) as client:
        data = client.get(f"/role/{REAL_ROLE}?format=json").json()
    schemes = {a["scheme"] for a in data["alignments"]}
    assert {"O*NET-SOC 2019", "ESCO occupations", "ISCO-08"} <= schemes
    assert any(s["concepts"] for s in data["skills"])
