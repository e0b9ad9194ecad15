"""Issue #12: titles and aliases with bidi controls, zero-width characters or a word that mixes
Latin with Cyrillic or Greek letters look like other names. ``build`` warns (``warning: path:line:``
on stderr) and still builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.cli import cli
from rolegraph.pages.parse import NO_ALIASES, parse_page_text
from tests.helpers import REAL_PAGE

REAL = REAL_PAGE.read_text(encoding="utf-8")
ALIAS_LINE = REAL.split("\n").index(NO_ALIASES) + 1


def with_alias(alias: str) -> str:
    return REAL.replace(NO_ALIASES, f"  • {alias}")


@pytest.mark.parametrize(
    ("alias", "says"),
    [
        ("Staff ML \u202eEngineer", "has a bidirectional control (U+202E)"),
        ("Staff ML\u200b Engineer", "has an invisible zero-width character (U+200B)"),
        ("Staff ML Еngineer", "has a word mixing Latin and Cyrillic letters ('Еngineer')"),  # Cyrillic Е
        ("Staff ML Εngineer", "has a word mixing Latin and Greek letters ('Εngineer')"),  # Greek Ε
    ],
)
def test_a_confusable_alias_is_warned_about_at_its_line(alias: str, says: str) -> None:
    page = parse_page_text(with_alias(alias), "page.txt")
    assert len(page.warnings) == 1
    assert page.warnings[0].startswith(f"page.txt:{ALIAS_LINE}: alias ")
    assert says in page.warnings[0]


def test_plain_and_wholly_foreign_names_are_not_warned_about() -> None:
    for alias in ("Staff ML Engineer", "Инженер машинного обучения", "Μηχανικός", "Ingénieur ML"):
        assert parse_page_text(with_alias(alias), "page.txt").warnings == (), alias


def test_a_confusable_title_is_warned_about() -> None:
    text = REAL.replace("AI / Machine Learning Engineering", "AI / Machine Lеarning Engineering")  # Cyrillic е
    page = parse_page_text(text, "page.txt")
    assert page.warnings and page.warnings[0].startswith("page.txt:4: title ")


def test_build_prints_the_warning_and_still_builds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(with_alias("Staff ML \u200bEngineer"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(seeds), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert f"warning: page.txt:{ALIAS_LINE}: alias " in result.stderr
    assert (tmp_path / "out" / "rolegraph.ttl").exists()
