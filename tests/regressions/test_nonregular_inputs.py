"""Issue #12, item 12 (graph files): a FIFO or a device given as a graph is refused at once.

Opening a FIFO for reading waits for a writer, so `validate FIFO.ttl` and `query --graph FIFO.ttl`
used to hang forever. Now every graph reader checks for a regular file before opening it: exit 2
and one line. The console script runs in a subprocess with a generous timeout, so a regression
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rolegraph.errors import EXIT_BAD_INPUT
from tests.helpers import REAL_ROLE
from tests.servers import rolegraph_binary


def run(*args: str) -> tuple[int, str]:
    try:
        done = subprocess.run(
            [rolegraph_binary(), *args], capture_output=True, timeout=60, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"rolegraph {' '.join(args)} hung on a FIFO")
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{}"],
        ["query", "--graph", "{}", "role-skills", "--param", f"code={REAL_ROLE}"],
        ["query", "--engine", "rdflib", "--graph", "{}", "role-skills", "--param", f"code={REAL_ROLE}"],
        ["distance", REAL_ROLE, REAL_ROLE, "--graph", "{}"],
        ["push", "{}", "--endpoint", "http://127.0.0.1:9/query"],
    ],
    ids=["validate", "query", "query-rdflib", "distance", "push"],
)
def test_a_fifo_as_graph_is_refused_not_waited_on(command: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "graph.ttl"
    os.mkfifo(fifo)
    code, err = run(*(part.replace("{}", str(fifo)) for part in command))
    assert code == EXIT_BAD_INPUT, err
    assert err.strip() == f"error: {fifo}: expected a regular file, found a FIFO"


def test_a_character_device_as_graph_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.nt"
    link.symlink_to("/dev/zero")  # endless: read whole, it would exhaust memory
    code, err = run("validate", str(link))
    assert code == EXIT_BAD_INPUT
    assert err.strip() == f"error: {link}: expected a regular file, found a character device"
