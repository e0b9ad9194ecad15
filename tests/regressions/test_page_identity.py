"""Issue #12, item 8: a page is named by its path relative to the seed root given, not by its file name alone.

``build dA dB``, each with ``x.txt``, made one ``rg:SourcePage`` of two pages, ``void.ttl`` listed one
source, and errors said only ``x.txt``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS

from rolegraph import api
from rolegraph.cli import cli
from rolegraph.errors import SeedError
from tests.helpers import REAL_PAGE, ROOT, SEEDS

RG = Namespace("https://w3id.org/rolegraph/ontology#")
PAGE = "https://w3id.org/rolegraph/id/page/"


def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    """dA/x.txt is the real page; dB/x.txt the same page for another focus."""
    a, b = tmp_path / "dA", tmp_path / "dB"
    a.mkdir()
    b.mkdir()
    text = REAL_PAGE.read_text(encoding="utf-8")
    (a / "x.txt").write_text(text, encoding="utf-8")
    (b / "x.txt").write_text(text.replace("AIMACHIN97C0", "AIMACHINB0B0"), encoding="utf-8")
    return a, b


def test_same_file_name_in_two_folders_gives_two_source_pages(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    summary = api.build([a, b], tmp_path / "out", validate=False)
    assert summary.pages == 2
    graph = Graph().parse(tmp_path / "out" / "rolegraph.ttl")
    names = sorted(str(o) for s in graph.subjects(None, RG.SourcePage) for o in graph.objects(s, DCTERMS.identifier))
    assert names == ["dA/x.txt", "dB/x.txt"]
    void = Graph().parse(tmp_path / "out" / "void.ttl")
    sources = sorted(str(o) for o in void.objects(None, DCTERMS.source))
    assert sources == [PAGE + "dA/x.txt", PAGE + "dB/x.txt"]


def test_errors_name_the_page_with_its_folder(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    bad = (b / "x.txt").read_text(encoding="utf-8").replace("P7P7 — Staff", "P7Q7 — Staff")
    (b / "x.txt").write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(a), str(b), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error: dB/x.txt:11: expected a status line" in result.stderr


def test_two_files_with_one_name_given_directly_are_refused(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    with pytest.raises(SeedError, match=r"dB/x\.txt: expected a page name of its own \('x\.txt'\)"):
        api.build([a / "x.txt", b / "x.txt"], tmp_path / "out", validate=False)
    assert not (tmp_path / "out").exists()


def test_one_seed_folder_keeps_the_names_the_published_graph_uses(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    api.build([seeds], tmp_path / "out")
    for name in ("rolegraph.ttl", "void.ttl"):
        assert (tmp_path / "out" / name).read_bytes() == (ROOT / "graph" / name).read_bytes(), name
    graph = Graph().parse(tmp_path / "out" / "rolegraph.ttl")
    assert (None, DCTERMS.identifier, Literal(REAL_PAGE.name)) in graph


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path: Path) -> None:
    summary = api.build([REAL_PAGE], tmp_path / "out", validate=False)
    assert summary.pages == 1
    graph = Graph().parse(tmp_path / "out" / "rolegraph.ttl")
    assert (None, DCTERMS.identifier, Literal(REAL_PAGE.name)) in graph
