"""rolegraph imports on any platform and leans only on its dependencies' public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

SRC = ROOT / "src" / "rolegraph"


def _imported_modules(path: Path) -> list[str]:
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            modules.append(node.module)
    return modules


def test_importing_the_api_does_not_import_fcntl() -> None:
    """fcntl exists on POSIX only: a top-level import made `import rolegraph.api` fail on Windows."""
    code = "import sys, rolegraph.api, rolegraph.cli; print('fcntl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.skipif(sys.platform == "win32", reason="probes the lock with fcntl")
def test_build_lock_still_serialises_writers(tmp_path: Path) -> None:
    """The lock moved into a helper: a second holder must still wait for the first."""
    from rolegraph.api import _locked

    out = tmp_path / "graph"
    holder = (
        "import sys, time\nfrom pathlib import Path\nfrom rolegraph.api import _locked\n"
        "with _locked(Path(sys.argv[1])):\n    print('held', flush=True)\n    sys.stdin.readline()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", holder, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "held"
        waiter = (
            "import sys, fcntl\nfrom pathlib import Path\n"
            "f = (Path(sys.argv[1]) / '.rolegraph.lock').open('a')\n"
            "try:\n    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n"
            "    print('busy')\nelse:\n    print('free')\n"
        )
        probe = subprocess.run([sys.executable, "-c", waiter, str(out)], capture_output=True, text=True, check=True)
        assert probe.stdout.strip() == "busy"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
    with _locked(out):  # released: taken again at once
        assert (out / ".rolegraph.lock").exists()


def test_no_private_pyshacl_turbo_module_is_imported() -> None:
    """`pyshacl_turbo.rdf.Input` is not public; its fields may change in any release."""
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted(SRC.rglob("*.py"))
        for module in _imported_modules(path)
        if module.startswith("pyshacl_turbo.")
    ]
    assert offenders == []
