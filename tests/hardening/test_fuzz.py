"""Fuzzing the page parser: every mutated page gives a Page or a SeedError, never another exception.

Mutations of the real page and of generated pages (bench.synth): delete, duplicate and swap
lines, insert random unicode, replace or flip bytes, truncate. ~200 examples per test in CI; a long
run with ``HYPOTHESIS_PROFILE=fuzz pytest tests/hardening -k fuzz`` (see conftest.py).
"""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.render import render_page
from bench.synth import generate_pages
from rolegraph.errors import SeedError
from rolegraph.pages.model import Page
from rolegraph.pages.parse import parse_page_bytes
from tests.helpers import FUZZ_PROFILE, REAL_PAGE

FUZZ = settings(settings.get_profile(FUZZ_PROFILE))


@cache
def base_pages() -> tuple[bytes, ...]:
    generated = generate_pages(24, seed=11)
    picks = [generated[i] for i in (0, 5, 13, 23)]  # both tracks, several functions
    return (REAL_PAGE.read_bytes(), *(render_page(p).encode("utf-8") for p in picks))


def check(data: bytes) -> None:
    try:
        page = parse_page_bytes(data, "fuzz.txt")
    except SeedError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("fuzz.txt"), message
        assert ": expected " in message, message
        return
    assert isinstance(page, Page)


Mutation = tuple[str, int, int, str]

mutations = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "insert", "replace-line", "flip", "truncate", "splice"]),
        st.integers(min_value=0, max_value=1 << 16),
        st.integers(min_value=0, max_value=1 << 16),
        st.text(min_size=0, max_size=12),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops: list[Mutation]) -> bytes:
    for op, a, b, text in ops:
        lines = data.split(b"\n")
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace-line":
            lines[i] = text.encode("utf-8", "surrogatepass")
        if op in ("delete", "duplicate", "swap", "replace-line"):
            data = b"\n".join(lines)
            continue
        k = a % (len(data) + 1)
        if op == "insert":
            data = data[:k] + text.encode("utf-8", "surrogatepass") + data[k:]
        elif op == "flip" and data:
            k = a % len(data)
            data = data[:k] + bytes([data[k] ^ (1 << (b % 8))]) + data[k + 1 :]
        elif op == "truncate":
            data = data[:k]
        elif op == "splice":  # a piece of the page somewhere else: sections out of order, twice
            piece = data[k : k + b % 400]
            at = (a * 31 + b) % (len(data) + 1)
            data = data[:at] + piece + data[at:]
    return data


@FUZZ
@given(which=st.integers(min_value=0, max_value=4), ops=mutations)
def test_fuzz_mutated_pages(which: int, ops: list[Mutation]) -> None:
    check(mutate(base_pages()[which], ops))


@FUZZ
@given(which=st.integers(min_value=0, max_value=4), line=st.integers(min_value=0), text=st.text(max_size=80))
def test_fuzz_one_line_replaced_by_unicode(which: int, line: int, text: str) -> None:
    lines = base_pages()[which].decode("utf-8").split("\n")
    lines[line % len(lines)] = text
    check("\n".join(lines).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=2048))
def test_fuzz_random_bytes(data: bytes) -> None:
    check(data)
    check(base_pages()[0][:600] + data)


def test_fuzz_mutations_do_reach_the_readers() -> None:
    """Guard: the mutations above produce both outcomes and errors from many different lines."""
    real = base_pages()[0]
    assert isinstance(parse_page_bytes(mutate(real, [("swap", 0, 0, "")]), "fuzz.txt"), Page)
    lines: set[int] = set()
    for n in range(0, 160):
        try:
            parse_page_bytes(mutate(real, [("delete", n, 0, "")]), "fuzz.txt")
        except SeedError as exc:
            lines.add(exc.line)
    assert len(lines) > 20
