"""The build lock: while another process holds the output folder's lock, `rolegraph build` waits and publishes nothing.

Deterministic, no timing: the kernel's /proc/locks lists a process blocked on an flock with ``->``;
the test holds the lock, starts a build, and waits until the kernel shows the build waiting for it.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import HANG_SECONDS, SEEDS

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")


def _waiting_for_a_lock(pid: int) -> bool:
    lines = Path("/proc/locks").read_text(encoding="utf-8").splitlines()
    return any(" -> FLOCK " in line and line.split()[5] == str(pid) for line in lines)


def test_a_build_waits_for_the_folder_lock_and_publishes_nothing_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "graph"
    out.mkdir()
    with (out / ".rolegraph.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # as a build in progress holds it
        build = subprocess.Popen(
            [sys.executable, "-m", "rolegraph", "build", str(SEEDS), "-o", str(out), "--no-validate"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
        deadline = time.monotonic() + HANG_SECONDS
        while build.poll() is None and not _waiting_for_a_lock(build.pid) and time.monotonic() < deadline:
            time.sleep(0.01)  # polling, not a timing claim
        assert build.poll() is None, f"the build did not wait for the lock: {build.communicate()}"
        assert _waiting_for_a_lock(build.pid)
        assert sorted(p.name for p in out.iterdir()) == [".rolegraph.lock"]  # nothing published, no temporary
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    _, err = build.communicate(timeout=HANG_SECONDS)
    assert build.returncode == 0, err
    assert {"rolegraph.ttl", "rolegraph.jsonld"} <= {p.name for p in out.iterdir()}
