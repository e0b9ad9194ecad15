"""Issue #12, item 13: errors of the user's environment exit 2 with one line, not 4 "internal error".

A full disk (``ENOSPC``: ``/dev/full``), a file-size limit (``EFBIG``: ``RLIMIT_FSIZE``), a path
through a file (``ENOTDIR``) and a read-only folder (``EACCES``, as an unprivileged user) each
give exit 2 and one line naming the path and the operating system's reason; so does standard
output that cannot be written (``rolegraph query > /dev/full``).
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.cli import cli
from rolegraph.errors import EXIT_BAD_INPUT
from tests.helpers import REAL_PAGE, REAL_ROLE, ROOT
from tests.servers import rolegraph_binary

GRAPH = ROOT / "graph" / "rolegraph.ttl"


def run(
    args: list[str], stdout: int = subprocess.DEVNULL, preexec: Callable[[], None] | None = None
) -> tuple[int, str]:
    done = subprocess.run(
        [rolegraph_binary(), *args], stdout=stdout, stderr=subprocess.PIPE, timeout=120, preexec_fn=preexec, check=False
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [["queries"], ["query", "--graph", str(GRAPH), "role-skills", "--param", f"code={REAL_ROLE}", "--format", "json"]],
    ids=["queries", "query"],
)
def test_stdout_on_a_full_disk_exits_2_with_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        code, err = run(args, stdout=full.fileno())
    assert code == EXIT_BAD_INPUT, err
    assert "No space left on device" in one_line(err)


def test_export_to_dev_full_exits_2_and_keeps_the_device() -> None:
    code, err = run(["export", "--format", "csv", "--graph", str(GRAPH), "-o", "/dev/full"])
    assert code == EXIT_BAD_INPUT
    assert one_line(err) == "error: /dev/full: expected a writable file, found No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_build_past_the_file_size_limit_exits_2_with_one_line(tmp_path: Path) -> None:
    code, err = run(["build", str(REAL_PAGE), "-o", str(tmp_path / "graph"), "--no-validate"], preexec=_small_files)
    assert code == EXIT_BAD_INPUT, err
    line = one_line(err)
    assert "File too large" in line and str(tmp_path / "graph") in line


def test_build_into_a_path_through_a_file_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = tmp_path / "plain" / "graph"
    result = CliRunner().invoke(cli, ["build", str(REAL_PAGE), "-o", str(out), "--no-validate"])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert one_line(result.stderr) == f"error: {out}: expected a writable folder, found Not a directory"


def test_export_into_a_path_through_a_file_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = tmp_path / "plain" / "roles.csv"
    result = CliRunner().invoke(cli, ["export", "-f", "csv", "--graph", str(GRAPH), "-o", str(out)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Not a directory" in one_line(result.stderr)


def _without_permission_override() -> None:
    """Root ignores file modes; drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the child's
    bounding set, so the console script it executes obeys them like any user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("command", ["build", "export"])
def test_writing_into_a_read_only_folder_exits_2_with_one_line(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if command == "build":
        args = ["build", str(REAL_PAGE), "-o", str(folder), "--no-validate"]
    else:
        args = ["export", "-f", "csv", "--graph", str(GRAPH), "-o", str(folder / "roles.csv")]
    code, err = run(args, preexec=_without_permission_override if os.geteuid() == 0 else None)
    assert code == EXIT_BAD_INPUT, err
    assert "Permission denied" in one_line(err) and str(folder) in err
    assert list(folder.iterdir()) == []
