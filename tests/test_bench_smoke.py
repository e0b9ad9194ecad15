"""bench/run at tiny N writes every row (a smoke run: no timing is asserted, ever)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rolegraph.ask.query import library
from tests.helpers import ROOT


@pytest.mark.slow
def test_bench_run_quick_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run"), "--quick", "--sizes", "12", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for header in ("- date: ", "- machine: ", "nproc", "- python ", "rdflib ", "pyoxigraph ", "pyshacl ", "networkx "):
        assert header in text
    assert "pyshacl-turbo " in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| N ")]
    steps = [line.split(" | ")[1] for line in rows if not line.startswith("| ---")]

    def has(prefix: str) -> bool:
        return any(step.startswith(prefix) for step in steps)

    expected = [
        "rolegraph --help",
        "rolegraph nearest ",
        "parse a page at the bounds (",
        "refuse a 50 MB page",
        "query rdf:rest*/rdf:first from every cell",
        "build the distance index",
        "RoleGraph (networkx) construction",
        "nearest -k 10 (index",
        "parse pages",
        "build triples",
        "Turtle export",
        "JSON-LD export",
        "SHACL (turbo",
        "SHACL (pySHACL reference; same report as turbo: True)",
        "`rolegraph build` end to end",
        "peak RSS of `rolegraph build`",
        "load graph into the embedded store",
        "Session.nearest ",
        "RoleGraph.nearest ",
        "Session.path ",
        "rolegraph query role -p code=",  # at each N, warm, as `rolegraph nearest CODE --graph (warm cache)`
        "rolegraph --no-cache nearest ",
        "`rolegraph serve` start-up, until it listens (warm cache)",
        "`rolegraph serve` start-up, until it listens (--no-cache)",
        *(f"query {name} " for name in library()),
    ]
    missing = [e for e in expected if not has(e)]
    assert not missing, f"rows missing from bench/RESULTS.md: {missing}\n{text}"
    for row in rows:  # every row has a figure
        assert row.split(" | ")[2].strip(), row
    # the SHACL profile: a time or "within noise", never a negative time; the Why section quotes it
    profile = text.partition("## Profile: where SHACL time goes")[2].partition("\n## ")[0]
    cells = [line.split(" | ")[2] for line in profile.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(cells) > 3, profile
    assert not [c for c in cells[1:] if c.strip().startswith("-")], profile
    assert "- Per shape: at 20 pages, every shape together adds" in text  # --quick runs N=20
    assert "{shapes}" not in text
