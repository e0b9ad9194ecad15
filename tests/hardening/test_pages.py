"""Bad pages (issue #7): every input gives a Page or one SeedError, and the CLI says ``file:line`` with exit 2.

``tests/test_parse_errors.py`` covers single bad lines; this file covers what it does not: every
prefix of the real page, the size bounds (memory measured; their time is measured by bench/run,
never asserted here), pay and role-code corner cases, conflicts across pages, and the whole path
through ``rolegraph build``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from rolegraph import api
from rolegraph.errors import EXIT_BAD_INPUT, MergeConflictError, RolegraphError, SeedError
from rolegraph.graph.rdf import Ids
from rolegraph.pages.model import Page
from rolegraph.pages.parse import (
    MAX_LINE_CHARS,
    MAX_PAGE_BYTES,
    MAX_PAGE_LINES,
    parse_page,
    parse_page_bytes,
    parse_page_text,
)
from tests.helpers import REAL_PAGE, invoke, lines_of, no_hang, with_line

NAME = "page.txt"
LOCATED = re.compile(r"^error: [^\s:]+\.txt(:\d+)?: expected .+, found .+$")


def page_or_seed_error(parse: Callable[[], Page]) -> Page | SeedError:
    """The contract: a Page, or one SeedError whose message is one line ``path[:line]: expected ...``."""
    try:
        return parse()
    except SeedError as exc:
        message = str(exc)
        assert "\n" not in message
        assert message.startswith(NAME) and ": expected " in message, message
        return exc


# -- truncation: every prefix ---------------------------------------------------------------------


def test_every_line_prefix_parses_or_gives_a_seed_error(real_text: str) -> None:
    lines = lines_of(real_text)
    outcomes = [page_or_seed_error(partial(parse_page_text, "\n".join(lines[:n]), NAME)) for n in range(len(lines))]
    # the page is complete once its last required section (the level descriptor) is in
    complete = [n for n, o in enumerate(outcomes) if isinstance(o, Page)]
    assert complete and complete[0] >= 136, complete[:3]
    for n, outcome in enumerate(outcomes):
        if isinstance(outcome, SeedError):
            assert 0 <= outcome.line <= max(n, 1), (n, str(outcome))
    assert isinstance(page_or_seed_error(lambda: parse_page_text(real_text, NAME)), Page)


def test_every_byte_prefix_parses_or_gives_a_seed_error(real_text: str) -> None:
    data = real_text.encode("utf-8")
    for n in range(0, len(data) + 1, 5):  # every 5th byte: cuts inside multi-byte characters too
        page_or_seed_error(partial(parse_page_bytes, data[:n], NAME))


# -- size: refused before reading, bounded below the limit -----------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    with pytest.raises(SeedError, match=r"big\.txt: expected a page under 1 MB, found 52428800 bytes"):
        parse_page(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1024 * 1024  # nothing near the file's size was allocated: it was never read


@pytest.mark.parametrize("kind", ["text", "bytes"])
def test_a_50_mb_string_is_refused_without_copying_it(kind: str) -> None:
    text = "x\n" * (25 * 1024 * 1024)
    parse: Callable[[], Page] = (
        (lambda: parse_page_text(text, NAME)) if kind == "text" else (lambda: parse_page_bytes(text.encode(), NAME))
    )
    data = text.encode() if kind == "bytes" else None
    if data is not None:
        parse = lambda: parse_page_bytes(data, NAME)  # noqa: E731 - the encoded copy is made outside the measure
    tracemalloc.start()
    with pytest.raises(SeedError, match="expected a page under 1 MB"):
        parse()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1024 * 1024


def _worst_pages(real_text: str) -> dict[str, str]:
    """Pages at the bounds, built to make the parser work as hard as it can (bench/run times them)."""
    definition = lines_of(real_text)[12]
    long_line = MAX_LINE_CHARS - 100
    return {
        "most-lines": "\n" * (MAX_PAGE_LINES - 2),
        "most-short-lines": "ab\n" * (MAX_PAGE_LINES - 2),
        "many-bullets": real_text.replace("P7this profile\n", "P7this profile\n" + "  • x\n" * (MAX_PAGE_LINES - 200)),
        "long-status": with_line(real_text, 11, "P7P7 — Staff / Distinguished Professionalhigh0.80" + "a" * long_line),
        "long-siblings": real_text.replace(definition, "X — " + "Distinct from " * (long_line // 14)),
        "long-guideline-row": with_line(real_text, 76, "P2" + "Ab.C" * (long_line // 4)),
        "long-scores": with_line(real_text, 118, "a" * long_line),
        "long-mapping": with_line(real_text, 151, "  • code=" + "source=" * (long_line // 7)),
        "long-lines-everywhere": "\n".join(line + "." * (6_500 - len(line)) for line in lines_of(real_text)),
    }


@pytest.mark.parametrize("name", list(_worst_pages(REAL_PAGE.read_text(encoding="utf-8"))))
def test_pages_at_the_bounds_parse_in_little_memory(name: str, real_text: str) -> None:
    text = _worst_pages(real_text)[name]
    assert len(text) <= MAX_PAGE_BYTES
    tracemalloc.start()
    with no_hang(name):
        page_or_seed_error(lambda: parse_page_text(text, NAME))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{name}: {peak / 1e6:.0f} MB"


def test_a_line_over_the_bound_is_refused(real_text: str) -> None:
    error = page_or_seed_error(lambda: parse_page_text(with_line(real_text, 20, "$" * (MAX_LINE_CHARS + 1)), NAME))
    assert isinstance(error, SeedError)
    assert error.line == 20
    assert f"a line under {MAX_LINE_CHARS} characters" in str(error)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_page_of_more_than_the_line_bound_is_refused(real_text: str, newline: str) -> None:
    """The real page padded with blank lines: one line under the bound parses; at the bound it is refused
    whole (line 0), whichever line ending it uses, before any line is read."""
    text = real_text.replace("\n", newline)
    padding = MAX_PAGE_LINES - 1 - text.count(newline)
    assert isinstance(parse_page_text(text + newline * padding, NAME), Page)
    error = page_or_seed_error(lambda: parse_page_text(text + newline * (padding + 1), NAME))
    assert isinstance(error, SeedError)
    assert (error.line, str(error)) == (0, f"{NAME}: expected a page under {MAX_PAGE_LINES} lines, found more")


# -- content corner cases not in tests/test_parse_errors.py --------------------------------------


@pytest.mark.parametrize(
    ("line", "new", "words"),
    [
        (20, "£30k–£40k", "market pay like"),  # a range without a median
        (20, "N/A", "market pay like"),
        (20, "-1", "market pay like"),
        (20, "$-1k ($-2k–$3k)", "market pay like"),
        (20, "$231.5 ($182k–$294k)", "whole currency units"),
        (118, "Level differentiation7Focus specificity5.0", "between 1 and 5"),
        (118, "Level differentiation0.5Focus specificity5.0", "between 1 and 5"),
        (3, "DATASC.AIMACHIN97C0>.P7", "role code"),
        (3, "DATASC.AIMACHIN97C0#x.P7", "role code"),
        (3, "DATASC.AIMACHIN 97C0.P7", "role code"),
        (3, "DATASC.AIMACHIN97C0.P7 ", None),  # a trailing blank is form, not content: accepted
    ],
)
def test_bad_values_are_located(real_text: str, line: int, new: str, words: str | None) -> None:
    outcome = page_or_seed_error(lambda: parse_page_text(with_line(real_text, line, new), NAME))
    if words is None:
        assert isinstance(outcome, Page)
        return
    assert isinstance(outcome, SeedError)
    assert outcome.line == line and words in str(outcome), str(outcome)


@pytest.mark.parametrize(
    "code",
    ["DATASC.AIMACHIN97C0.P7 ", "DATASC.AI MACHIN.P7", "DATASC.<X>.P7", "DATASC.X>.P7", "DATASC.X#Y.P7", "A.B.P7#"],
)
def test_ids_refuse_a_bad_code_before_minting_an_iri(code: str) -> None:
    ids = Ids()
    with pytest.raises(RolegraphError, match="expected a role code"):
        ids.role(code)
    for bad_focus in ("DATASC.AI MACHIN", "DATASC.<X>", "DATASC.X>", "DATASC.X#Y", "DATASC.X ", "DAT ASC.X"):
        with pytest.raises(RolegraphError, match="expected a focus code"):
            ids.focus(bad_focus)
    for bad_function in ("DAT ASC", "DAT<ASC", "DAT>ASC", "DAT#ASC"):
        with pytest.raises(RolegraphError, match="expected a function code"):
            ids.function(bad_function)
    for bad_level in ("P7 ", "P<7", "P7>", "P#7"):
        with pytest.raises(RolegraphError, match="expected a level code"):
            ids.level(bad_level)


def test_own_level_missing_from_responsibilities(real_text: str) -> None:
    lines = lines_of(real_text)
    assert lines[63] == "P7this profile"
    without_own = "\n".join(lines[:63] + lines[69:])  # the P7 block and its bullets are gone
    error = page_or_seed_error(lambda: parse_page_text(without_own, NAME))
    assert isinstance(error, SeedError)
    assert error.line == 30 and "exactly one level marked 'this profile', P7, found none" in str(error)
    other_marked = with_line(with_line(real_text, 58, "P6this profile"), 64, "P7")
    error = page_or_seed_error(lambda: parse_page_text(other_marked, NAME))
    assert isinstance(error, SeedError) and "found P6" in str(error)


def test_conflicting_titles_across_two_pages_name_both_places(real_text: str, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "first.txt").write_text(real_text, encoding="utf-8")
    renamed = real_text.replace("AI / Machine Learning Engineering", "ML Engineering")
    (tmp_path / "b" / "second.txt").write_text(renamed, encoding="utf-8")
    with pytest.raises(MergeConflictError) as info:
        api.build([tmp_path / "a", tmp_path / "b"], tmp_path / "out", validate=False)
    message = str(info.value)
    # several folders given: each page is named with its folder (issue #12, item 8)
    assert info.value.first_at == "a/first.txt:13" and info.value.second_at == "b/second.txt:13"
    assert message.startswith("b/second.txt:13: ") and "a/first.txt:13" in message
    assert "'ML Engineering'" in message and "'AI / Machine Learning Engineering'" in message
    assert not (tmp_path / "out").exists()
    code, _, err = _cli_build(tmp_path / "a", tmp_path / "b", out=tmp_path / "out")
    assert code == EXIT_BAD_INPUT
    assert "b/second.txt:13" in err and "a/first.txt:13" in err and "Traceback" not in err


def test_the_same_role_profiled_twice_names_both_pages(real_text: str, tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(real_text, encoding="utf-8")
    with pytest.raises(MergeConflictError, match=r"two\.txt:3: .* at one\.txt:3"):
        api.build([tmp_path], tmp_path / "out", validate=False)


# -- the CLI, end to end ---------------------------------------------------------------------------


def _cli_build(*inputs: Path, out: Path) -> tuple[int, str, str]:
    return invoke("build", *map(str, inputs), "-o", str(out))


def _bad_page_bytes(real_text: str) -> dict[str, tuple[bytes, int]]:
    """name -> (file bytes, the line the error must name; 0 for the whole file)."""
    data = real_text.encode("utf-8")
    skills = data.index(b"Skills")
    return {
        "empty": (b"", 1),
        "header-only": ("\n".join(lines_of(real_text)[:11]).encode(), 11),
        "truncated-after-skills": (data[: data.index(b"Provenance")], 112),
        "nul-byte": (data.replace(b"Data preprocessing", b"Data\x00preprocessing", 1), 87),
        "not-utf8": (data[:skills] + b"\xff" + data[skills + 1 :], 83),
        "latin1": (real_text.replace("—", "-").replace("•", "*").encode("utf-8").replace(b"Level", b"L\xe9vel", 1), 15),
        "role-code-hash": (real_text.replace("DATASC.AIMACHIN97C0.P7", "DATASC.AIMACHIN#97C0.P7").encode(), 3),
        "section-renamed": (real_text.replace("\nSkills\n", "\nSkillz\n").encode(), 114),
        "pay-na": (real_text.replace("$231k ($182k$294k)", "N/A").encode(), 20),
    }


@pytest.mark.parametrize("name", list(_bad_page_bytes(REAL_PAGE.read_text(encoding="utf-8"))))
def test_cli_build_reports_a_bad_page_as_file_line(name: str, real_text: str, tmp_path: Path) -> None:
    data, line = _bad_page_bytes(real_text)[name]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(real_text, encoding="utf-8")
    (seeds / f"{name}.txt").write_bytes(data)
    code, out, err = _cli_build(seeds, out=tmp_path / "graph")
    assert code == EXIT_BAD_INPUT, err
    first, last = err.strip().splitlines()
    assert LOCATED.match(first), first
    assert first.startswith(f"error: {name}.txt:{line}: expected "), first
    assert (
        last
        == "error: 1 of 2 pages failed to parse; nothing was written (fix them, or pass --keep-going to build the good pages)"
    )
    assert out == "" and not (tmp_path / "graph").exists()


def test_cli_build_refuses_a_huge_page(real_text: str, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with (seeds / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, _, err = _cli_build(seeds, out=tmp_path / "graph")
    assert code == EXIT_BAD_INPUT
    assert "error: huge.txt: expected a page under 1 MB, found 52428800 bytes" in err


def test_cli_build_in_a_subprocess_never_prints_a_traceback(real_text: str, tmp_path: Path) -> None:
    """The installed entry point, with -O, on a folder of bad pages: exit 2 and one line per page."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    bad = _bad_page_bytes(real_text)
    for name, (data, _) in bad.items():
        (seeds / f"{name}.txt").write_bytes(data)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-O", "-m", "rolegraph", "build", str(seeds), "-o", str(tmp_path / "graph")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == EXIT_BAD_INPUT, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(bad) + 1, proc.stderr
    assert all(LOCATED.match(line) for line in lines[:-1]), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_bom_and_crlf_build_the_same_bytes(real_text: str, tmp_path: Path) -> None:
    clean, messy = tmp_path / "clean", tmp_path / "messy"
    clean.mkdir()
    messy.mkdir()
    name = REAL_PAGE.name
    (clean / name).write_text(real_text, encoding="utf-8")
    (messy / name).write_bytes(b"\xef\xbb\xbf" + real_text.replace("\n", "\r\n").encode("utf-8"))
    for folder in (clean, messy):
        assert _cli_build(folder, out=folder / "graph")[0] == 0
    for file in ("rolegraph.ttl", "rolegraph.jsonld"):
        assert (clean / "graph" / file).read_bytes() == (messy / "graph" / file).read_bytes()
