"""The console script's global behaviour: exit 4 and --debug on a bug, -v / -vv log levels, a broken pipe.

These run the installed ``rolegraph`` script (or ``python -c`` calling its entry point, when an
internal function must fail on purpose) in a subprocess, so the output is what a shell sees.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REAL_ROLE
from tests.servers import fault_server, rolegraph_binary

# `rolegraph` with one internal function broken: the distance computation raises as a bug would
BROKEN = """
import rolegraph.api

def broken(*args, **kwargs):
    raise RuntimeError("distance table is inconsistent")

rolegraph.api.Session.distance = broken
from rolegraph.cli import main
main()
"""


def broken_rolegraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BROKEN, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_bug_is_exit_4_with_one_line_and_debug_shows_the_traceback(real_graph_file: Path) -> None:
    command = ("distance", REAL_ROLE, REAL_ROLE, "--graph", str(real_graph_file))
    plain = broken_rolegraph(*command)
    assert plain.returncode == 4
    assert plain.stdout == ""
    assert plain.stderr == (
        "internal error: RuntimeError: distance table is inconsistent (rerun with --debug and report it)\n"
    )
    debug = broken_rolegraph("--debug", *command)
    assert debug.returncode != 0
    assert debug.stderr.startswith("Traceback (most recent call last):\n")
    assert debug.stderr.endswith(", in broken\nRuntimeError: distance table is inconsistent\n")
    assert "internal error" not in debug.stderr


def test_verbose_shows_info_records(real_graph_file: Path) -> None:
    """A push that the store answers with 503 retries; the retry is an INFO record, shown with -v only."""

    def push(base: str, *verbosity: str) -> str:
        proc = subprocess.run(
            [
                rolegraph_binary(), *verbosity, "push", str(real_graph_file), "--endpoint", base + "/ok",
                "--store-endpoint", base + "/503", "--retries", "1", "--timeout", "10",
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 3, proc.stderr
        return proc.stderr

    with fault_server() as base:
        quiet, verbose = push(base), push(base, "-v")
    assert "INFO" not in quiet and len(quiet.splitlines()) == 1
    retry = verbose.splitlines()[0]
    assert re.fullmatch(r"INFO rolegraph\.remote: http://\S+/503\S* answered 503; retrying in [0-9.]+ s", retry)
    assert verbose.splitlines()[1:] == quiet.splitlines()


def serve_stderr(graph: Path, logs: Path, *verbosity: str) -> str:
    """Start `rolegraph [-v...] serve`, wait until it listens, stop it with SIGINT; its stderr."""
    logs.mkdir()
    out, err = logs / "stdout.txt", logs / "stderr.txt"
    with out.open("wb") as out_file, err.open("wb") as err_file:
        process = subprocess.Popen(
            [rolegraph_binary(), *verbosity, "serve", "--graph", str(graph), "--port", "0"],
            stdout=out_file,
            stderr=err_file,
        )
    try:
        deadline = time.monotonic() + 120  # a bound that only catches a hang
        while "serving" not in out.read_text(encoding="utf-8"):
            assert process.poll() is None and time.monotonic() < deadline, err.read_text(encoding="utf-8")
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    return err.read_text(encoding="utf-8")


def test_very_verbose_shows_debug_records(real_graph_file: Path, tmp_path: Path) -> None:
    """Starting the server's event loop logs a DEBUG record (asyncio's selector): -vv shows it, -v does not."""
    debug = serve_stderr(real_graph_file, tmp_path / "vv", "-vv")
    assert re.search(r"^DEBUG [\w.]+: .+$", debug, re.MULTILINE), debug  # asyncio: "Using selector: ..."
    info = serve_stderr(real_graph_file, tmp_path / "v", "-v")
    assert "DEBUG" not in info


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_reader_that_went_away_is_exit_141_without_a_traceback(real_graph_file: Path, fmt: str) -> None:
    """`rolegraph query ... | head` once head has exited: the write fails with EPIPE; the script stops quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: every write fails
    try:
        proc = subprocess.run(
            [rolegraph_binary(), "query", "roles", "--graph", str(real_graph_file), "-f", fmt],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == ""
