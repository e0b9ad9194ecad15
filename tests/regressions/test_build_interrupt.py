"""Issue #12, item 19: Ctrl-C on ``rolegraph build`` exits 130 (not 1, "does not conform"), and soon.

During SHACL, pyshacl-turbo runs in Rust for many seconds without coming back to Python, so the
interrupt waited for it (up to 38 s). Real processes of the installed console script, a real
SIGINT; the previous outputs stay as they were. The bounds only catch a hang.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bench.synth import write_corpus
from rolegraph.errors import EXIT_INTERRUPTED
from tests.helpers import SEEDS

ROLEGRAPH = Path(sys.executable).parent / "rolegraph"
HANG = 30  # seconds: far more than a second or two, only to fail instead of hanging


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background shell may have set it to be ignored


def start_build(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(ROLEGRAPH), "-v", "build", "--no-progress", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_default,  # noqa: PLW1509 - one signal reset before exec
    )


def interrupt_when(proc: subprocess.Popen[str], marker: str) -> tuple[int, str]:
    """Read stderr until ``marker``, send SIGINT, return the exit code and the rest of stderr."""
    assert proc.stderr is not None
    seen: list[str] = []
    timer = threading.Timer(600, proc.kill)  # a build that never logs the marker must not hang the suite
    timer.start()
    try:
        for line in proc.stderr:
            seen.append(line)
            if marker in line:
                break
        else:
            pytest.fail(f"{marker!r} never logged: {''.join(seen)}")
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("the build did not stop after SIGINT")
    finally:
        timer.cancel()
    return code, proc.stderr.read()


def published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough that SHACL runs for seconds: SIGINT lands while it runs."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 600, seed=3)
    return folder


def test_ctrl_c_during_shacl_exits_130_and_keeps_the_old_graph(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph"
    subprocess.run([str(ROLEGRAPH), "build", str(SEEDS), "-o", str(out)], check=True, capture_output=True)
    before = published(out)
    code, err = interrupt_when(start_build(str(corpus), "-o", str(out)), "SHACL: validating")
    assert code == EXIT_INTERRUPTED, err
    assert err.strip().splitlines() == ["interrupted (Ctrl-C)"]
    assert published(out) == before  # nothing new written, no temporary left beside the files


def test_ctrl_c_while_reading_a_page_exits_130(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)  # nobody writes: reading it waits until the interrupt
    code, err = interrupt_when(start_build(str(fifo), "-o", str(tmp_path / "out")), "reading pages: 1")
    assert code == EXIT_INTERRUPTED, err
    assert "interrupted (Ctrl-C)" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_exit_code_130_is_documented() -> None:
    help_text = subprocess.run([str(ROLEGRAPH), "build", "--help"], capture_output=True, text=True, check=True).stdout
    assert "130" in help_text and "interrupted" in help_text
