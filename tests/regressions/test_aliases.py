"""Issue #12: an alias equal to another role's code or title made one name point at two roles; it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph import api
from rolegraph.cli import cli
from rolegraph.errors import SeedError
from rolegraph.pages.parse import NO_ALIASES
from tests.helpers import REAL_PAGE

REAL = REAL_PAGE.read_text(encoding="utf-8")
ALIAS_LINE = REAL.split("\n").index(NO_ALIASES) + 1


def page_with_alias(tmp_path: Path, alias: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(REAL.replace(NO_ALIASES, f"  • {alias}"), encoding="utf-8")
    return seeds


@pytest.mark.parametrize(
    ("alias", "other"),
    [
        ("DATASC.AIMACHIN97C0.P6", "DATASC.AIMACHIN97C0.P6"),  # another level's role code
        ("ai / machine learning engineering — p5", "DATASC.AIMACHIN97C0.P5"),  # another role's title, any case
    ],
)
def test_an_alias_naming_another_role_is_refused_at_its_line(tmp_path: Path, alias: str, other: str) -> None:
    seeds = page_with_alias(tmp_path, alias)
    with pytest.raises(SeedError) as info:
        api.build([seeds], tmp_path / "out", validate=False)
    assert str(info.value) == (
        f"page.txt:{ALIAS_LINE}: expected an alias that names no other role, found {alias!r}, the code or title of {other}"
    )
    result = CliRunner().invoke(cli, ["build", str(seeds), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and f"error: page.txt:{ALIAS_LINE}: expected an alias" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_alias_naming_its_own_role_or_no_role_is_kept(tmp_path: Path) -> None:
    seeds = page_with_alias(tmp_path, "DATASC.AIMACHIN97C0.P7")
    assert api.build([seeds], tmp_path / "a", validate=False).pages == 1
    other = tmp_path / "b"
    other.mkdir()
    assert api.build([page_with_alias(other, "Staff ML Engineer")], tmp_path / "c", validate=False).pages == 1
