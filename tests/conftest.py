"""Shared fixtures: the repository's paths, the real page, and its parsed records and graph."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from rolegraph.graph.rdf import BuiltGraph, build_graph
from rolegraph.pages.model import Page
from rolegraph.pages.parse import parse_page
from tests.helpers import REAL_PAGE, ROOT, SEEDS
from tests.servers import Oxigraph, Virtuoso, virtuoso_binary


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Graphs opened by the tests (and the CLIs they start) are cached here, never in the user's cache."""
    folder = tmp_path_factory.mktemp("rolegraph-cache")
    # the test graphs are small: cache them all, as the graphs of 10,000 pages the cache is for
    settings = {"ROLEGRAPH_CACHE_DIR": str(folder), "ROLEGRAPH_CACHE_MIN_BYTES": "0"}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield folder
    for name, value in before.items():
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def real_text() -> str:
    return REAL_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_page() -> Page:
    return parse_page(REAL_PAGE, SEEDS)


@pytest.fixture(scope="session")
def real_built(real_page: Page) -> BuiltGraph:
    return build_graph([real_page])


@pytest.fixture(scope="session")
def real_graph(real_built: BuiltGraph) -> Graph:
    return real_built.to_rdflib()


@pytest.fixture(scope="session")
def synth_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated multi-function corpus (12 functions, both tracks), built without SHACL for speed."""
    from bench.synth import write_corpus
    from rolegraph import api

    root = tmp_path_factory.mktemp("synth")
    write_corpus(root / "seeds", 120, seed=7)
    api.build([root / "seeds"], root / "graph", validate=False)
    return root / "graph" / "rolegraph.ttl"


@pytest.fixture(scope="session")
def synth_and_real_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus of :func:`synth_graph` plus the real page (its Data Science function gains AI/ML Engineering)."""
    import shutil

    from bench.synth import write_corpus
    from rolegraph import api

    root = tmp_path_factory.mktemp("synth-and-real")
    write_corpus(root / "seeds", 120, seed=7)
    shutil.copy(REAL_PAGE, root / "seeds" / REAL_PAGE.name)
    api.build([root / "seeds"], root / "graph", validate=False)
    return root / "graph" / "rolegraph.ttl"


@pytest.fixture(scope="session")
def real_graph_file() -> Path:
    return ROOT / "graph" / "rolegraph.ttl"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A real Virtuoso (Debian's virtuoso-opensource) for the whole session: skipped when it is not installed,
    unless ``ROLEGRAPH_REQUIRE_VIRTUOSO=1`` (set by ``.ci/run``) makes that a failure."""
    import secrets

    if virtuoso_binary() is None:
        if os.environ.get("ROLEGRAPH_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("no virtuoso-t found, and ROLEGRAPH_REQUIRE_VIRTUOSO=1: apt-get install virtuoso-opensource")
        pytest.skip("no virtuoso-t on this machine (apt-get install virtuoso-opensource)")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"), secrets.token_hex(12))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """A real `oxigraph serve` for the whole session (a module may still start its own)."""
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph-session"))
    server.start()
    yield server
    server.stop()
