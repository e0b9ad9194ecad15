"""Issue #12, item 11: `export -o` and `build -o` never rename over what is not a regular file.

The old ``write_atomic`` renamed its temporary file over any path: a symlink became a regular
file, a FIFO became a regular file, and (as root) ``-o /dev/null`` replaced the machine's device
node. Now a symlink is written through to its target, a character device or a FIFO is written
directly, and anything else is refused with one line and exit 2.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

from click.testing import CliRunner

from rolegraph import api
from rolegraph.cli import cli
from rolegraph.errors import EXIT_BAD_INPUT
from tests.helpers import REAL_PAGE, ROOT

GRAPH = ROOT / "graph" / "rolegraph.ttl"


def export_csv(out: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--graph", str(GRAPH), "-o", str(out)])
    return result.exit_code, result.stderr


def test_export_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "roles.csv"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "roles.csv"
    link.symlink_to(target)
    code, err = export_csv(link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("code,")
    assert not list(target.parent.glob(".*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_export_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    target = tmp_path / "made.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    code, err = export_csv(link)
    assert code == 0, err
    assert link.is_symlink() and target.is_file() and target.read_text(encoding="utf-8").startswith("code,")


def test_export_into_a_fifo_writes_to_its_reader_and_leaves_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is waiting, so the writer never blocks
    try:
        code, err = export_csv(fifo)
        received = os.read(reader, 1 << 20)
    finally:
        os.close(reader)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    assert received.startswith(b"code,")


def test_export_to_dev_null_writes_into_the_device_and_keeps_it() -> None:
    code, err = export_csv("/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_refuses_to_replace_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        code, err = export_csv(path)
        assert code == EXIT_BAD_INPUT
        assert (
            err.strip()
            == f"error: {path}: expected a regular file, a character device or a FIFO to write, found a socket"
        )
        assert stat.S_ISSOCK(path.lstat().st_mode)


def test_export_refuses_to_write_a_folder(tmp_path: Path) -> None:
    code, err = export_csv(tmp_path)
    assert code == EXIT_BAD_INPUT and "found a folder" in err and len(err.strip().splitlines()) == 1
    assert tmp_path.is_dir()


def test_build_writes_through_a_symlinked_output_and_keeps_the_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "published.ttl"
    elsewhere.write_text("# old\n", encoding="utf-8")
    out = tmp_path / "graph"
    out.mkdir()
    (out / "rolegraph.ttl").symlink_to(elsewhere)
    api.build([REAL_PAGE], out, validate=False)
    assert (out / "rolegraph.ttl").is_symlink()
    assert "DATASC.AIMACHIN97C0.P7" in elsewhere.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))
