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
