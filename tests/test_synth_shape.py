"""The synthetic corpus's real profile matches the real page in size and shape (#15 item 0).

Benchmarks quote figures at the size users will see, so a generated page must be as big as the real
one (``seeds/000_cf26a15490124fcc.txt``) and shaped like it: the same sections with about as many
lines each. The comparison is with the median of 300 generated pages, within 15%.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bench.render import render_page
from bench.synth import generate_pages, write_corpus
from rolegraph import api
from rolegraph.pages.model import Page
from rolegraph.pages.parse import SECTIONS, parse_page, parse_page_text
from tests.helpers import REAL_PAGE, SEEDS

TOLERANCE = 0.15
SAMPLE = 300


def section_lines(text: str) -> dict[str, int]:
    """Non-blank lines per section ('header' before the first heading), the heading included."""
    counts = {"header": 0}
    current = "header"
    for line in text.split("\n"):
        spec = next((s for s in SECTIONS if s.matches(line)), None)
        if spec is not None:
            current = spec.key
            counts[current] = 0
        if line.strip():
            counts[current] += 1
    return counts


def _within(value: float, target: float) -> bool:
    return abs(value - target) <= TOLERANCE * target


def _median(values: list[int]) -> float:
    return float(statistics.median(values))


@pytest.fixture(scope="module")
def generated() -> list[tuple[Page, str]]:
    return [(page, render_page(page)) for page in generate_pages(SAMPLE, seed=1)]


def test_generated_pages_parse_back(generated: list[tuple[Page, str]]) -> None:
    for page, text in generated:
        assert parse_page_text(text, page.path) == page


def test_page_bytes_and_lines_match_the_real_page(generated: list[tuple[Page, str]]) -> None:
    real = REAL_PAGE.read_text(encoding="utf-8")
    size = _median([len(text.encode("utf-8")) for _, text in generated])
    lines = _median([len(text.split("\n")) for _, text in generated])
    assert _within(size, len(real.encode("utf-8"))), (size, len(real.encode("utf-8")))
    assert _within(lines, len(real.split("\n"))), (lines, len(real.split("\n")))


def test_every_section_has_about_the_real_pages_line_count(generated: list[tuple[Page, str]]) -> None:
    real = section_lines(REAL_PAGE.read_text(encoding="utf-8"))
    assert set(real) == {"header", *(s.key for s in SECTIONS)}
    shapes = [section_lines(text) for _, text in generated]
    off = {}
    for key, count in real.items():
        median = _median([shape.get(key, 0) for shape in shapes])
        if not _within(median, count):
            off[key] = (median, count)
    assert not off, f"sections off by more than {TOLERANCE:.0%} (generated median, real): {off}"


def test_record_counts_match_the_real_page(generated: list[tuple[Page, str]]) -> None:
    real = parse_page(REAL_PAGE, SEEDS)
    pages = [page for page, _ in generated]
    assert _within(_median([len(p.skills) for p in pages]), len(real.skills))
    per_level = [len(block.items) for p in pages for block in p.responsibilities]
    real_per_level = [len(block.items) for block in real.responsibilities]
    assert _within(_median(per_level), _median(real_per_level))
    # rubric rows: one per level of the focus's ladder, as on the real page; the corpus's ladders
    # (3 to 8 levels, kept from the small profile) have a median of 5 levels, the real page's 6
    assert all(len(p.guidelines) == len(p.responsibilities) for p in pages)
    assert abs(_median([len(p.guidelines) for p in pages]) - len(real.guidelines)) <= 1
    assert {len(p.descriptor.attributes) for p in pages} == {len(real.descriptor.attributes)}
    assert _within(_median([len(p.focus.definition) for p in pages]), len(real.focus.definition))
    # aliases and mappings: the real page has none and one; the corpus has a few, some pages none
    assert _median([len(p.aliases) for p in pages]) <= 1
    assert _median([len(p.mappings) for p in pages]) == len(real.mappings)


def test_profiles_share_the_corpus_structure() -> None:
    real = generate_pages(200, seed=4)
    small = generate_pages(200, seed=4, profile="small")
    assert [p.role_code for p in real] == [p.role_code for p in small]
    for big, little in zip(real, small, strict=True):
        assert (big.status, big.pay, big.aliases, big.mappings) == (
            little.status,
            little.pay,
            little.aliases,
            little.mappings,
        )
        assert [s.name for s in little.skills] == [s.name for s in big.skills[: len(little.skills)]]
        assert len(render_page(big)) > len(render_page(little))
    with pytest.raises(ValueError, match="profile"):
        generate_pages(1, profile="huge")  # type: ignore[arg-type]


def test_a_real_size_corpus_builds_and_validates(tmp_path: Path) -> None:
    write_corpus(tmp_path / "seeds", 40, seed=2)
    summary = api.build([tmp_path / "seeds"], tmp_path / "graph")  # raises ValidationFailed if not conforming
    assert (summary.pages, summary.bad_pages, summary.warnings) == (40, (), ())
    assert summary.report is not None
    assert (tmp_path / "graph" / "rolegraph.ttl").stat().st_size > 0
