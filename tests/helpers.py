"""Paths, names and small helpers shared by the tests (one small fixture set, as in ontology-access-kit).

Fixtures live in the ``conftest.py`` files; plain functions and constants live here. No test module
imports from another test module: what two of them share belongs in this file.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from rolegraph.ask.query import parse_spec
from rolegraph.cli import cli
from rolegraph.graph.vocab import PREFIXES
from rolegraph.pages.model import Page
from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import DistanceConfig

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REAL_PAGE = SEEDS / "000_cf26a15490124fcc.txt"
REAL_ROLE = "DATASC.AIMACHIN97C0.P7"
REAL_FOCUS = "DATASC.AIMACHIN97C0"

# Every prefix rolegraph declares, as a SPARQL prologue.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# Strings that would change a query if they were pasted into its text rather than bound.
INJECTIONS = [
    'x" } ; DROP ALL ; #',
    "x' } ; DELETE WHERE { ?s ?p ?o } ; #",
    '""" } INSERT DATA { <a:a> <a:b> <a:c> } #',
    "a>b",
    "a>b<c",
    "line\nbreak",
    "line\nbreak\r\n",
    "\\u0022) } DELETE WHERE { ?s ?p ?o } #",
    "?s ?p ?o",
    "\x00nul",
    "' OR '1'='1",
    "}" * 100,
    "é\u202e\ufeff",
]

# The Hypothesis profile of the fuzz tests (profiles registered in tests/hardening/conftest.py).
FUZZ_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "hardening")

# The only time bound a test may assert: long enough that only a hang reaches it on a loaded
# machine. Speed is measured (against a floor) by bench/run, never asserted in tests/.
HANG_SECONDS = 120.0


def invoke(*args: str) -> tuple[int, str, str]:
    """The real CLI in-process (click's CliRunner): exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@contextmanager
def no_hang(what: str, limit: float = HANG_SECONDS) -> Iterator[None]:
    """Fail if the block takes longer than ``limit`` seconds: a hang, not a speed claim."""
    start = time.monotonic()
    yield
    elapsed = time.monotonic() - start
    assert elapsed < limit, f"{what} took {elapsed:.0f} s (a hang? the bound is {limit:.0f} s)"


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def with_line(text: str, number: int, new: str | None) -> str:
    """Replace (or, with None, delete) 1-based line ``number``."""
    lines = lines_of(text)
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


class socket_audit:  # noqa: N801 - used as a context manager
    """Record socket audit events (audit hooks cannot be removed: this one is switched on and off)."""

    _installed = False
    _sink: list[str] | None = None

    def __init__(self, sink: list[str]) -> None:
        self.sink = sink
        if not socket_audit._installed:
            sys.addaudithook(socket_audit._hook)
            socket_audit._installed = True

    @staticmethod
    def _hook(event: str, _args: tuple[Any, ...]) -> None:
        if socket_audit._sink is not None and event.startswith("socket."):
            socket_audit._sink.append(event)

    def __enter__(self) -> None:
        socket_audit._sink = self.sink

    def __exit__(self, *_: object) -> None:
        socket_audit._sink = None


@contextmanager
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""
    accepted: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    accepted.append(conn.recv(1024) or b"(connected)")
                except OSError:
                    accepted.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


# -- Hypothesis strategies: role catalogues (tests/test_distance.py, tests/test_index.py) -------------


@st.composite
def catalogues(draw: st.DrawFn, max_functions: int = 3, max_focuses: int = 3, max_levels: int = 4) -> Catalogue:
    roles: dict[str, RoleInfo] = {}
    skills: dict[str, tuple[str, ...]] = {}
    pool = [f"skill {i}" for i in range(8)]
    for f in range(draw(st.integers(1, max_functions))):
        function = f"F{f}"
        for x in range(draw(st.integers(1, max_focuses))):
            focus = f"{function}.X{x}"
            skills[focus] = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True)))
            track = draw(st.sampled_from(["P", "M"]))
            low = draw(st.integers(1, 5))
            for rank in range(low, low + draw(st.integers(1, max_levels))):
                code = f"{focus}.{track}{rank}"
                roles[code] = RoleInfo(code, code, function, function, focus, focus, f"{track}{rank}", track, rank)  # type: ignore[arg-type]
    return Catalogue(roles, skills)


@st.composite
def mixed_catalogues(draw: st.DrawFn, max_functions: int = 3, max_focuses: int = 2) -> Catalogue:
    """Focuses holding roles on both tracks (any ranks, gaps included), across functions; some on one track only."""
    roles: dict[str, RoleInfo] = {}
    for f in range(draw(st.integers(1, max_functions))):
        function = f"F{f}"
        for x in range(draw(st.integers(1, max_focuses))):
            focus = f"{function}.X{x}"
            levels = [("P", r) for r in draw(st.sets(st.integers(1, 7), max_size=3))]
            levels += [("M", r) for r in draw(st.sets(st.integers(1, 4), max_size=3))]
            for track, rank in levels or [("P", draw(st.integers(1, 7)))]:
                code = f"{focus}.{track}{rank}"
                roles[code] = RoleInfo(code, code, function, function, focus, focus, f"{track}{rank}", track, rank)  # type: ignore[arg-type]
    return Catalogue(roles, {})


configs = st.builds(
    DistanceConfig,
    level_step=st.floats(0.1, 5),
    focus_step=st.floats(0.1, 5),
    function_step=st.floats(0.1, 5),
    track_switch=st.floats(0.1, 5),
    m_offset=st.integers(0, 4),
    scale=st.floats(1, 40),
)


BY_LABEL = parse_spec(
    "by-label",
    "# Nodes by label.\n# param name: string  a label\n"
    "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }",
    "by-label.rq",
)


def page_aliases(seeds: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """From a corpus's parsed pages: aliases naming one role (alias -> code) and aliases naming several
    (alias -> codes), compared ignoring case, leaving out any alias that is also a code or a title."""
    from rolegraph.api import parse_pages

    pages, _ = parse_pages([seeds])
    taken = {name.casefold() for p in pages for name in (p.role_code, p.title)}
    named: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    for page in pages:
        for alias in page.aliases:
            named.setdefault(alias.title.casefold(), set()).add(page.role_code)
            spelled.setdefault(alias.title.casefold(), alias.title)
    one = {spelled[k]: next(iter(v)) for k, v in named.items() if len(v) == 1 and k not in taken}
    several = {spelled[k]: sorted(v) for k, v in named.items() if len(v) > 1 and k not in taken}
    return one, several


def write_two_track_corpus(directory: Path, n_roles: int = 120, seed: int = 7) -> str:
    """Generated pages (``bench.synth``) where one professional focus also gets the management pages of
    another focus of its function, so its ladder has both tracks (the generator gives each focus one);
    returns that focus's code. The moved pages take the focus's skills, differentials and currency."""
    from dataclasses import replace

    from bench.render import render_page
    from bench.synth import generate_pages
    from rolegraph.pages.model import role_title

    pages = generate_pages(n_roles, seed)
    by_focus: dict[str, list[Page]] = {}
    for page in pages:
        by_focus.setdefault(page.focus.code, []).append(page)
    pick = next(
        (p, m)
        for p in by_focus.values()
        for m in by_focus.values()
        if p[0].function == m[0].function
        and {x.level.track for x in p} == {"P"}
        and {x.level.track for x in m} == {"M"}
        and max(x.level.rank for x in p) >= 5
        and all(x.pay is not None for x in p + m)
    )
    professional, management = pick
    first = professional[0]
    assert first.pay is not None
    ladder = (*first.responsibilities, *management[0].responsibilities)
    guidelines = (*first.guidelines, *management[0].guidelines)
    out = []
    for page in professional + management:
        level = page.level.code
        code = f"{first.focus.code}.{level}"
        pay = None if page.pay is None else replace(page.pay, currency=first.pay.currency)
        out.append(
            replace(
                page,
                path=f"{code}.txt",
                role_code=code,
                title=role_title(first.focus.name, level),
                focus=first.focus,
                skills=first.skills,
                differentials=first.differentials,
                pay=pay,
                responsibilities=tuple(replace(r, is_own=r.level_code == level) for r in ladder),
                guidelines=guidelines,
            )
        )
    moved = {p.focus.code for p in (first, management[0])}
    directory.mkdir(parents=True, exist_ok=True)
    for page in [p for p in pages if p.focus.code not in moved] + out:
        (directory / page.path).write_text(render_page(page), encoding="utf-8")
    return first.focus.code
