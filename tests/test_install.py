"""The built wheel, installed into a fresh virtual environment, builds and serves the graph outside the repository."""

from __future__ import annotations

import re
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REAL_PAGE, REAL_ROLE, ROOT


@pytest.mark.slow
def test_wheel_in_fresh_venv_builds_and_serves_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("rolegraph-*.whl"))
    # test and benchmark tools (bench/: the page renderer, the synthetic corpus) stay out of the wheel
    shipped = zipfile.ZipFile(wheel).namelist()
    assert not {"rolegraph/synth.py", "rolegraph/render.py"} & set(shipped)
    assert not [name for name in shipped if name.startswith("bench/")]
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Install the wheel with this interpreter's pip; dependencies come from the test environment
    # through a .pth file (no network, and .pth files are not followed there, so the editable
    # rolegraph of the test environment stays out of sight).
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    deps = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (target / "zz_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    entry_points = next(target.glob("rolegraph-*.dist-info")) / "entry_points.txt"
    assert "rolegraph = rolegraph.cli:main" in entry_points.read_text(encoding="utf-8")

    work = tmp_path / "elsewhere"
    (work / "pages").mkdir(parents=True)
    shutil.copy(REAL_PAGE, work / "pages" / REAL_PAGE.name)
    shutil.copy(REAL_PAGE.parent / "mappings.sssom.tsv", work / "pages")  # the curated decisions graph/ was built with
    where = subprocess.run(
        [str(python), "-c", "import rolegraph; print(rolegraph.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(target) in where, where
    result = subprocess.run(
        [str(python), "-m", "rolegraph", "build", "pages", "-o", "out"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "SHACL: conforms" in result.stdout
    assert (work / "out" / "rolegraph.ttl").read_bytes() == (ROOT / "graph" / "rolegraph.ttl").read_bytes()

    # the web server runs from the wheel alone: templates, stylesheet and queries ship inside it
    server = subprocess.Popen(
        [str(python), "-m", "rolegraph", "serve", "--graph", "out/rolegraph.ttl", "--port", "0"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = re.search(r"at (http://\S+/) ", server.stdout.readline())
        assert url is not None
        for path, expected in [
            (f"role/{REAL_ROLE}", "Level guidelines"),
            ("static/style.css", "--ink"),
            ("sparql", "focus-rubric"),
        ]:
            with urllib.request.urlopen(url.group(1) + path, timeout=30) as response:
                assert response.status == 200
                assert expected in response.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=15) == 0


def test_package_never_imports_the_bench_tools() -> None:
    """bench/ is not in the wheel, so an installed rolegraph that imported it would fail."""
    bad = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "src" / "rolegraph").rglob("*.py"))
        if re.search(r"^\s*(from|import) bench\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert bad == []
