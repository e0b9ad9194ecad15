"""Issue #12 (rough edge): a memory limit while a graph loads ends with one line, not a Rust abort.

When an allocation fails inside Oxigraph, Rust aborts the process (exit 134 and a backtrace;
no exception reaches Python). Under ``ulimit -v 200M`` even the 40 KB published graph aborted,
because ``Store.bulk_load`` first reserves 200 MB. Now the store loads with ``Store.load``, and a
graph too big for the limit is refused before loading (exit 2, one line); Python's MemoryError
(the rdflib engine) is one line too.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from rolegraph.errors import EXIT_BAD_INPUT
from tests.helpers import ROOT
from tests.servers import rolegraph_binary

MIB = 1024 * 1024


def limited(mib: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mib * MIB, mib * MIB))

    return apply


def run(mib: int, *args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [rolegraph_binary(), *args], capture_output=True, timeout=300, preexec_fn=limited(mib), check=False
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 25 MB of N-Triples: more than a 200 MiB address space can load."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w", encoding="utf-8") as out:
        for n in range(240_000):
            out.write(f'<https://e.org/thing/{n}> <https://e.org/label> "a label long enough to take room {n}" .\n')
    return path


def test_the_published_graph_loads_under_a_200_mib_address_space() -> None:
    code, out, err = run(200, "query", "--graph", str(ROOT / "graph" / "rolegraph.ttl"), "roles", "--format", "csv")
    assert code == 0, err[-2000:]
    assert out.startswith("code,")


@pytest.mark.parametrize(
    "command", [["query", "--graph", "{}", "roles"], ["validate", "{}"]], ids=["query", "validate"]
)
def test_a_graph_too_big_for_the_limit_is_refused_with_one_line(command: list[str], big_graph: Path) -> None:
    code, _, err = run(200, *(part.replace("{}", str(big_graph)) for part in command))
    assert code == EXIT_BAD_INPUT, err[-2000:]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-2000:]
    assert lines[0].startswith(f"error: {big_graph}: expected about ")
    assert "MiB of memory to load it, found a limit of 200 MiB (ulimit -v)" in lines[0]


def test_running_out_of_memory_in_python_is_one_line_not_an_internal_error(big_graph: Path) -> None:
    # enough for Oxigraph to parse the file, not for rdflib's graph of it (about 30x the file)
    code, _, err = run(450, "query", "--engine", "rdflib", "--graph", str(big_graph), "roles")
    assert code == EXIT_BAD_INPUT, err[-2000:]
    assert err.strip() == "error: out of memory (a bigger graph than this machine or its ulimit -v allows)"
