"""Publishing alignments (``align --write``'s api) and using them: the graph's ``alignments.ttl`` loads with it,
the role page shows the matches, ``roles-with-skill`` and the web search find a role by an ESCO skill.

Candidates are built by hand from real vocabulary entries; the real graph (graph/rolegraph.ttl) carries the
taxonomist's decisions of seeds/mappings.sssom.tsv, which the aligner never overwrites.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from rolegraph import api
from rolegraph.align.candidates import ESCO_OCCUPATION, ESCO_SKILL, Candidate, Target
from rolegraph.align.vocab import concepts
from rolegraph.errors import ValidationFailed
from rolegraph.graph.vocab import DEFAULT_BASE, RG, SKOS
from tests.helpers import REAL_ROLE, ROOT

ROLE = f"{DEFAULT_BASE}role/{REAL_ROLE}"
MLOPS = f"{DEFAULT_BASE}skill/mlops"
ONET = f"{DEFAULT_BASE}onet/2019/"
DATA_SCIENTIST = ESCO_OCCUPATION + "258e46f9-0075-4a2e-adae-1ff0477e0f30"  # accepted by the taxonomist
DATA_ANALYST = ESCO_OCCUPATION + "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"  # rejected by the taxonomist
DEVELOPER = ESCO_OCCUPATION + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"
CLOUD = ESCO_SKILL + "bd14968e-e409-45af-b362-3495ed7b10e0"


def candidate(subject: str, target: Target, obj: str, confidence: float, rank: int) -> Candidate:
    label = concepts(target)[obj].label
    return Candidate(subject, "s", target, obj, label, confidence, rank, f"title: {label}")


CANDIDATES = [
    candidate(ROLE, "onet", ONET + "15-2051.00", 0.91, 1),
    candidate(ROLE, "onet", ONET + "15-1221.00", 0.55, 2),
    candidate(ROLE, "esco", DATA_ANALYST, 0.8, 1),
    candidate(ROLE, "esco", DATA_SCIENTIST, 0.78, 2),
    candidate(ROLE, "esco", DEVELOPER, 0.6, 3),
    candidate(MLOPS, "esco-skills", CLOUD, 0.74, 1),
]


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(ROOT / "graph" / "rolegraph.ttl", folder / "rolegraph.ttl")
    return folder / "rolegraph.ttl"


def test_write_publishes_both_files_without_the_decided_pairs(graph: Path) -> None:
    written = api.write_alignments(graph, CANDIDATES, k=5)
    tsv, ttl = graph.with_name("alignments.sssom.tsv"), graph.with_name("alignments.ttl")
    assert written.outputs == (tsv, ttl)
    assert (written.alignments, written.decided) == (4, 2)
    text = tsv.read_text(encoding="utf-8")
    assert "d3edb8f8" not in text and "258e46f9" not in text  # rejected, and accepted: the taxonomist's
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    esco = [r for r in rows[1:] if r[3].startswith("ESCOOCC:")]
    assert [(r[3], r[rows[0].index("rank")]) for r in esco] == [("ESCOOCC:f2b15a0e-e65a-438a-affb-29b9d50b77d1", "1")]
    rdf = Graph().parse(ttl)
    assert (URIRef(MLOPS), SKOS.closeMatch, URIRef(CLOUD)) in rdf
    assert not list(rdf.triples((None, RG.mappingObject, URIRef(DATA_ANALYST))))
    first = (tsv.read_bytes(), ttl.read_bytes())
    api.write_alignments(graph, list(reversed(CANDIDATES)), k=5)
    assert (tsv.read_bytes(), ttl.read_bytes()) == first  # deterministic
    assert not list(graph.parent.glob("*.tmp"))


def test_write_refuses_alignments_that_do_not_conform_and_writes_nothing(graph: Path) -> None:
    stranger = candidate(f"{DEFAULT_BASE}role/DATASC.AIMACHIN97C0.P9", "onet", ONET + "15-2051.00", 0.9, 1)
    with pytest.raises(ValidationFailed) as caught:
        api.write_alignments(graph, [*CANDIDATES, stranger], k=5)
    assert "does not conform" in str(caught.value)
    assert any("neither a role" in f.message for f in caught.value.report.findings)
    assert not graph.with_name("alignments.ttl").exists()
    assert not graph.with_name("alignments.sssom.tsv").exists()


def test_the_graph_loads_its_alignments_and_the_role_page_shows_them(graph: Path) -> None:
    api.write_alignments(graph, CANDIDATES, k=5)
    for cache in (False, True):
        session = api.Session.open(graph, cache=cache)
        found = api.role_alignments(session, REAL_ROLE)
        shown = {(a.kind, a.label, a.rank, a.curated, a.rejected) for a in found}
        assert ("role", "Data Scientists", 1, False, False) in shown
        assert ("role", "data scientist", None, True, False) in shown  # the taxonomist's, from the build
        assert ("role", "data analyst", None, True, True) in shown  # rejected, flagged
        assert ("skill", "cloud technologies", 1, False, False) in shown
        without = api.Session.open(graph, cache=cache, alignments=False)
        assert {a.rank for a in api.role_alignments(without, REAL_ROLE)} == {None}  # only the curated ones


def test_role_page_lists_matches_with_confidence(graph: Path) -> None:
    from rolegraph.web.app import create_app

    api.write_alignments(graph, CANDIDATES, k=5)
    app = create_app(api.Session.open(graph, cache=False), graph, query_timeout=10, max_queries=4)
    with TestClient(app) as client:
        page = client.get(f"/role/{REAL_ROLE}")
        assert page.status_code == 200
        html = page.text
        assert "ESCO, O*NET and ISCO matches" in html
        assert "Data Scientists</span> <code>15-2051.00</code> <small>(closeMatch, confidence 0.91, rank 1)" in html
        assert "data scientist</span> <small>(closeMatch, curated)" in html
        assert "data analyst" not in html  # rejected: not a match
        assert "ESCO: <span" in html and "cloud technologies" in html  # the MLOps skill's ESCO concept
        data = client.get(f"/role/{REAL_ROLE}?format=json").json()
        assert {a["label"] for a in data["alignments"]} == {
            "Data Scientists",
            "Computer and Information Research Scientists",
            "software developer",
            "data scientist",
        }
        hits = client.get("/", params={"q": CLOUD, "format": "json"}).json()["hits"]
        assert {h["code"] for h in hits} == {f"DATASC.AIMACHIN97C0.P{n}" for n in range(2, 8)}
        hits = client.get("/", params={"q": "cloud technologies", "format": "json"}).json()["hits"]
        assert any("ESCO skill: cloud technologies" in h["matched"] for h in hits)


def test_roles_with_skill_finds_roles_by_an_aligned_esco_skill(graph: Path) -> None:
    api.write_alignments(graph, CANDIDATES, k=5)
    session = api.Session.open(graph, cache=False)
    by_label = session.query("roles-with-skill", {"skill": "Cloud Technologies"}).values()
    assert {(r[0], r[3]) for r in by_label} == {("cloud technologies", "MLOps")}
    assert len(by_label) == 6
    assert session.query("roles-with-skill", {"skill": CLOUD}).values() == by_label
    # the taxonomist's accepted skill alignment works without any aligner output
    curated = api.Session.open(graph, cache=False, alignments=False)
    assert len(curated.query("roles-with-skill", {"skill": "python (computer programming)"}).values()) == 6


def test_align_shows_no_decided_pair(graph: Path) -> None:
    shown = api.without_decisions(CANDIDATES, graph, k=5)
    assert {c.object_id for c in shown if c.target == "esco"} == {DEVELOPER}
    assert [c.rank for c in shown if c.target == "esco"] == [1]


def test_the_published_files_validate_together_with_the_graph_from_the_cli(graph: Path, tmp_path: Path) -> None:
    from tests.helpers import invoke as run

    api.write_alignments(graph, CANDIDATES, k=5)
    both = tmp_path / "both.ttl"
    both.write_bytes(graph.read_bytes() + graph.with_name("alignments.ttl").read_bytes())
    code, out, err = run("validate", str(both))
    assert code == 0, out + err
    code, out, err = run("validate", str(graph.with_name("alignments.ttl")))
    assert code == 1  # alone, it names roles and skills it does not describe
    assert "is neither a role" in out
