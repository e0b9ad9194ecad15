"""Issue #12, items 12 and 15: what one page may hold.

Item 12: ``build`` read a page with no size bound when ``stat`` gave 0 (``/dev/zero``, a FIFO,
``<(cmd)``); now at most the limit + 1 byte is read. Item 15: a page of 9,000 skills took minutes
to validate; each list on a page now has a limit (``parse.MAX_*``), set where one page still
builds in seconds (bench/page_limits); the limit is accepted and limit + 1 refused at its line.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from rolegraph.errors import SeedError
from rolegraph.pages import parse
from rolegraph.pages.parse import MAX_PAGE_BYTES, parse_page, parse_page_text
from tests.helpers import REAL_PAGE

REAL = REAL_PAGE.read_text(encoding="utf-8")
DEFINITION = REAL.split("\n")[12]
SCORES = "Level differentiation4.5Focus specificity5.0Concreteness4.5Factual accuracy4.0Real-world coverage4.5"


def _letters(i: int) -> str:
    return "".join(chr(97 + int(c)) for c in str(i))


def _line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def _nth_line(text: str, first: str, last: str, n: int, keep: Callable[[str], bool]) -> int:
    """The line number of the n-th (from 1) non-blank line that ``keep`` accepts between two headings."""
    lines = text.split("\n")
    start, end = lines.index(first), lines.index(last)
    kept = [i + 1 for i in range(start + 1, end) if lines[i] and keep(lines[i])]
    return kept[n - 1] if n <= len(kept) else 0  # 0: the page has fewer


# -- item 12: read at most the limit + 1 byte ------------------------------------------------------


def test_a_fifo_page_is_refused_after_the_limit_not_read_to_its_end(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    total = 8 * MAX_PAGE_BYTES
    written = [0]

    def writer() -> None:
        chunk = b"x" * 65536
        try:
            with fifo.open("wb") as handle:
                while written[0] < total:
                    handle.write(chunk)
                    written[0] += len(chunk)
        except BrokenPipeError:  # the reader stopped early: what we want
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(
        SeedError, match=rf"^page\.txt: expected a page under 1 MB, found more than {MAX_PAGE_BYTES} bytes$"
    ):
        parse_page(fifo)
    thread.join(30)
    assert not thread.is_alive()
    assert written[0] < total  # the reader closed the pipe long before the writer was done


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))  # an unbounded read fails, not the machine


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_build_dev_zero_is_refused_quickly(tmp_path: Path) -> None:
    rolegraph = Path(sys.executable).parent / "rolegraph"
    result = subprocess.run(
        [str(rolegraph), "build", "/dev/zero", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,  # catches a hang, not a speed
        preexec_fn=_limit_memory,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert f"error: zero: expected a page under 1 MB, found more than {MAX_PAGE_BYTES} bytes" in result.stderr
    assert not (tmp_path / "out").exists()


# -- item 15: how many of each list one page may hold ----------------------------------------------

_PAGE = parse_page_text(REAL, "page.txt")
HAS_SKILLS = len(_PAGE.skills)
HAS_BULLETS = sum(len(block.items) for block in _PAGE.responsibilities)


def skills(n: int) -> tuple[str, int]:
    extra = [f"Skill number {i}\nApplies skill {i} to the work.\n" for i in range(n - HAS_SKILLS)]
    text = REAL.replace("\nProvenance\n", "\n" + "".join(extra) + "\nProvenance\n", 1)
    body = _nth_line(text, "Skills", "Provenance", 2 * parse.MAX_SKILLS + 2, lambda _: True)  # after the intro
    return text, body


def responsibilities(n: int) -> tuple[str, int]:
    bullets = "".join(f"  • Does duty {i}.\n" for i in range(n - HAS_BULLETS))
    text = REAL.replace("P7this profile\n", "P7this profile\n" + bullets)
    bullet = _nth_line(
        text, "Responsibilities by level", "Level guidelines", parse.MAX_RESPONSIBILITIES + 1, lambda t: "•" in t
    )
    return text, bullet


def aliases(n: int) -> tuple[str, int]:
    bullets = "".join(f"  • Alias title {_letters(i)}\n" for i in range(n))
    line = _line_of(REAL, "No title aliases recorded for this profile yet.") + parse.MAX_ALIASES
    return REAL.replace("No title aliases recorded for this profile yet.\n", bullets), line


def mappings(n: int) -> tuple[str, int]:
    bullets = "".join(f"  • code=15-{2000 + i:04d}source=tool{i}\n" for i in range(n)).rstrip("\n")
    line = _line_of(REAL, "  • code=15-2051source=jfm-factory.resolve") + parse.MAX_MAPPINGS
    return REAL.replace("  • code=15-2051source=jfm-factory.resolve", bullets), line


def siblings(n: int) -> tuple[str, int]:
    listed = ", ".join(f"Focus {_letters(i)} (gloss)" for i in range(n))
    new = f"AI / Machine Learning Engineering — builds. Distinct from {listed} in that x."
    return REAL.replace(DEFINITION, new), 13


def scores(n: int) -> tuple[str, int]:
    return REAL.replace(SCORES, "".join(f"Dimension {_letters(i)}4.5" for i in range(n))), _line_of(REAL, SCORES)


LISTS: dict[str, tuple[Callable[[int], tuple[str, int]], str, str]] = {
    "skills": (skills, "MAX_SKILLS", "skills on a page"),
    "responsibilities": (responsibilities, "MAX_RESPONSIBILITIES", "responsibility bullets on a page"),
    "aliases": (aliases, "MAX_ALIASES", "title aliases on a page"),
    "mappings": (mappings, "MAX_MAPPINGS", "classification mappings on a page"),
    "siblings": (siblings, "MAX_SIBLINGS", "focuses after 'Distinct from'"),
    "scores": (scores, "MAX_REVIEW_SCORES", "review scores"),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_a_page_at_the_limit_parses(name: str) -> None:
    grow, limit_name, _ = LISTS[name]
    text, _ = grow(getattr(parse, limit_name))
    parse_page_text(text, "page.txt")


@pytest.mark.parametrize("name", list(LISTS))
def test_one_more_than_the_limit_is_refused_at_its_line(name: str) -> None:
    grow, limit_name, what = LISTS[name]
    limit = getattr(parse, limit_name)
    text, line = grow(limit + 1)
    with pytest.raises(SeedError) as info:
        parse_page_text(text, "page.txt")
    assert str(info.value) == f"page.txt:{line}: expected at most {limit} {what}, found more"


def test_nine_thousand_skills_are_refused_before_any_graph_is_built() -> None:
    text, line = skills(9_000)
    with pytest.raises(SeedError, match=rf"^page\.txt:{line}: expected at most {parse.MAX_SKILLS} skills on a page"):
        parse_page_text(text, "page.txt")
