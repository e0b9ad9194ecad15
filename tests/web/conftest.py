"""Fixtures for the web tests: the app over the real graph and over a generated multi-function graph, and the
real server process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from rolegraph.api import Session
from rolegraph.web.app import create_app
from tests.servers import Served, rolegraph_serve


@pytest.fixture(scope="session")
def real_session(real_graph_file: Path) -> Session:
    return Session.open(real_graph_file)


@pytest.fixture(scope="session")
def client(real_session: Session, real_graph_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(real_session, real_graph_file), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def served(real_graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`rolegraph serve` over the real graph as a real process (one per test module)."""
    with rolegraph_serve(real_graph_file, tmp_path_factory.mktemp("serve")) as server:
        yield server


@pytest.fixture(scope="session")
def synth_client(synth_graph: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Session.open(synth_graph), synth_graph), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def two_track_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A generated corpus whose one focus has both tracks (:func:`tests.helpers.write_two_track_corpus`),
    built without SHACL for speed; the graph file and that focus's code."""
    from rolegraph import api
    from tests.helpers import write_two_track_corpus

    root = tmp_path_factory.mktemp("two-track")
    focus = write_two_track_corpus(root / "seeds")
    api.build([root / "seeds"], root / "graph", validate=False)
    return root / "graph" / "rolegraph.ttl", focus


@pytest.fixture(scope="session")
def two_track_session(two_track_graph: tuple[Path, str]) -> Session:
    return Session.open(two_track_graph[0])


@pytest.fixture(scope="session")
def two_track_client(two_track_session: Session, two_track_graph: tuple[Path, str]) -> Iterator[TestClient]:
    with TestClient(create_app(two_track_session, two_track_graph[0]), raise_server_exceptions=False) as c:
        yield c
