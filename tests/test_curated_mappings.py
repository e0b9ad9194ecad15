"""``rolegraph build`` reads a taxonomist's decisions from ``mappings.sssom.tsv`` beside the pages (issue 16).

The real file is ``seeds/mappings.sssom.tsv``: an accepted role alignment, a rejected one and an accepted
skill alignment, all to real ESCO concepts. Without the file the build is byte for byte what it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from rolegraph.graph.io import to_turtle
from rolegraph.graph.rdf import BuiltGraph
from rolegraph.graph.vocab import DEFAULT_BASE, RG, SEMAPV, SKOS
from tests.helpers import REAL_PAGE, REAL_ROLE, SEEDS
from tests.helpers import invoke as run

CURATED = SEEDS / "mappings.sssom.tsv"
ROLE = URIRef(f"{DEFAULT_BASE}role/{REAL_ROLE}")
DATA_SCIENTIST = URIRef("http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30")
DATA_ANALYST = URIRef("http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2")
PYTHON = URIRef("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d")


def seeds_with(tmp_path: Path, curated: str | None) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(REAL_PAGE, folder / REAL_PAGE.name)
    if curated is not None:
        (folder / "mappings.sssom.tsv").write_text(curated, encoding="utf-8")
    return folder


def test_build_includes_the_accepted_and_rejected_decisions(tmp_path: Path) -> None:
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path))
    assert code == 0, err
    graph = Graph().parse(tmp_path / "rolegraph.ttl")
    assert (ROLE, SKOS.closeMatch, DATA_SCIENTIST) in graph
    assert not list(graph.triples((ROLE, None, DATA_ANALYST)))  # rejected: never stated
    rejected = graph.value(predicate=RG.mappingObject, object=DATA_ANALYST)
    assert graph.value(rejected, RG.predicateModifier) == Literal("Not")
    assert graph.value(rejected, RG.mappingJustification) == SEMAPV.ManualMappingCuration
    assert graph.value(rejected, RG.sourceLocation) == Literal("mappings.sssom.tsv:14")
    skill = URIRef(f"{DEFAULT_BASE}skill/programming-python-sql-java")
    assert (skill, SKOS.narrowMatch, PYTHON) in graph
    assert graph.value(PYTHON, SKOS.prefLabel) == Literal("Python (computer programming)")
    assert graph.value(DATA_SCIENTIST, SKOS.broader) == URIRef(f"{DEFAULT_BASE}isco/08/2511")


def test_without_the_file_the_build_is_byte_identical(tmp_path: Path, real_built: BuiltGraph) -> None:
    code, _, err = run("build", str(seeds_with(tmp_path, None)), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "rolegraph.ttl").read_bytes() == to_turtle(real_built.triples)


def test_a_page_given_directly_finds_the_file_beside_it(tmp_path: Path) -> None:
    folder = seeds_with(tmp_path, CURATED.read_text(encoding="utf-8"))
    code, _, err = run("build", str(folder / REAL_PAGE.name), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert (ROLE, SKOS.closeMatch, DATA_SCIENTIST) in Graph().parse(tmp_path / "out" / "rolegraph.ttl")


def test_a_bad_row_stops_the_build_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    text = CURATED.read_text(encoding="utf-8").replace("skos:narrowMatch", "skos:sameAs")
    folder = seeds_with(tmp_path, text)
    code, out, err = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == 2, out + err
    first = err.splitlines()[0]
    assert first.startswith(f"error: {folder / 'mappings.sssom.tsv'}:15: expected a predicate_id skos:exactMatch")
    assert first.endswith("found 'skos:sameAs'")
    assert "the curated mappings have 1 bad row; nothing was written" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_keep_going_builds_without_the_bad_rows_and_exits_2(tmp_path: Path) -> None:
    text = CURATED.read_text(encoding="utf-8").replace("ESCOOCC:d3edb8f8", "ESCOOCC:00000000")
    folder = seeds_with(tmp_path, text)
    code, out, err = run("build", "--keep-going", str(folder), "-o", str(tmp_path / "out"))
    assert code == 2, out + err
    assert f"skipped: {folder / 'mappings.sssom.tsv'}:14: expected an object_id in ESCO" in err
    graph = Graph().parse(tmp_path / "out" / "rolegraph.ttl")
    assert (ROLE, SKOS.closeMatch, DATA_SCIENTIST) in graph  # the good rows are in
    assert graph.value(predicate=RG.mappingObject, object=DATA_ANALYST) is None


def test_a_decision_about_an_unknown_role_is_an_error(tmp_path: Path) -> None:
    text = CURATED.read_text(encoding="utf-8").replace(
        "rgrole:DATASC.AIMACHIN97C0.P7\tAI", "rgrole:DATASC.AIMACHIN97C0.P9\tAI", 1
    )
    code, _, err = run("build", str(seeds_with(tmp_path, text)), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "mappings.sssom.tsv:13: expected a subject_id that is a role or a skill of the graph" in err
