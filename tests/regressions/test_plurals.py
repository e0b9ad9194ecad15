"""Issue #12: the build summary said "1 pages" (and "1 roles", "1 skills", ...): one is singular."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from rolegraph.api import BuildSummary
from rolegraph.cli import cli
from tests.helpers import REAL_PAGE


def summary(pages: int, roles: int, skills: int, triples: int) -> str:
    return BuildSummary(pages, roles, skills, triples, 0.5, (), (), None).text()


def test_one_of_each_is_singular() -> None:
    assert summary(1, 1, 1, 1).startswith("1 page, 1 role, 1 skill, 1 triple; ")


def test_none_and_many_are_plural() -> None:
    assert summary(0, 2, 13, 609).startswith("0 pages, 2 roles, 13 skills, 609 triples; ")


def test_build_of_one_page_says_one_page_and_one_skipped_page(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_PAGE, seeds / "good.txt")
    (seeds / "bad.txt").write_text("nothing here\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(seeds), "-o", str(tmp_path / "out"), "--keep-going"])
    assert result.exit_code == 2
    assert "1 page, 6 roles, 13 skills" in result.stdout
    assert "error: 1 page was skipped (see above)" in result.stderr
    result = CliRunner().invoke(cli, ["build", str(seeds / "bad.txt"), "-o", str(tmp_path / "out2")])
    assert "error: 1 of 1 page failed to parse" in result.stderr


def test_the_readme_shows_the_summary_build_prints(tmp_path: Path) -> None:
    """The README's first screen showed "1 pages, ..." after the build had learnt to say "1 page"."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = next(line for line in readme.splitlines() if "SHACL: conforms" in line)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_PAGE, seeds / REAL_PAGE.name)
    result = CliRunner().invoke(cli, ["build", str(seeds), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    printed = next(line for line in result.stdout.splitlines() if "SHACL: conforms" in line)
    assert shown.rsplit(";", 1)[0] == printed.rsplit(";", 1)[0]  # all but the seconds
