"""graphio.write_atomic: a new file renamed into place, so nobody ever reads half of one."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

from rolegraph.graph.io import write_atomic
from tests.helpers import SEEDS, invoke


def test_a_reader_of_the_old_file_keeps_reading_the_old_bytes(tmp_path: Path) -> None:
    """The new bytes arrive by rename (a new inode): a reader that opened the file before the write,
    as `rolegraph serve` or a concurrent `rolegraph query` may have, still reads every old byte."""
    path = tmp_path / "rolegraph.ttl"
    old, new = b"old\n" * 50_000, b"new\n" * 70_000
    path.write_bytes(old)
    before = path.stat().st_ino
    with path.open("rb") as reader:
        write_atomic(path, new)
        seen = reader.read()
    # compared as a flag: pytest's diff of two 200 kB values takes minutes with CI=true (no truncation)
    kept_old = seen == old
    assert kept_old, f"the open reader saw {len(seen)} bytes starting {seen[:8]!r}, not the old file"
    written = path.read_bytes() == new
    assert written, "the file does not hold the new bytes"
    assert path.stat().st_ino != before
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # an ordinary file, not mkstemp's 0600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rolegraph.ttl"]


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """A file-size limit (RLIMIT_FSIZE, as a full disk would) stops the write after 64 kB."""
    path = tmp_path / "rolegraph.ttl"
    path.write_bytes(b"old\n")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from rolegraph.graph.io import write_atomic\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "try:\n"
        "    write_atomic(Path(sys.argv[1]), b'new\\n' * 100_000)\n"
        "except Exception as exc:  # OSError, or the one-line error that wraps it\n"
        "    print('failed:', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.startswith("failed: "), done.stdout + done.stderr  # the write did fail half way
    assert os.strerror(errno.EFBIG) in done.stdout, done.stdout
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rolegraph.ttl"]


def test_a_build_sweeps_the_temporaries_a_killed_build_left(tmp_path: Path) -> None:
    out = tmp_path / "graph"
    out.mkdir()
    stale = [out / ".rolegraph.ttl.k1ll3d.tmp", out / ".rolegraph.jsonld.x.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    keep = out / ".rolegraph.ttl.notes"  # not write_atomic's pattern: not ours to remove
    keep.write_bytes(b"")
    code, _, err = invoke("build", str(SEEDS), "-o", str(out), "--no-validate")
    assert code == 0, err
    assert not any(path.exists() for path in stale)
    assert keep.exists()
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
