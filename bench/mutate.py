#!/usr/bin/env python3
"""A small mutation check of the code that carries rolegraph's promises (docs/guarantees.md).

    .venv/bin/python bench/mutate.py                 # every mutation; exit 1 if one survives
    .venv/bin/python bench/mutate.py --only parse    # the mutations whose name starts with "parse"
    .venv/bin/python bench/mutate.py --list          # the table of mutations, nothing run
    .venv/bin/python bench/mutate.py --record        # and write the table into bench/RESULTS.md

Each mutation is (name, file under src/rolegraph/, an original snippet that must occur exactly once,
its replacement, the tests that must go red). One at a time, the script copies ``src/`` to a
temporary folder, applies the mutation there (the working tree is never touched), and runs just the
named tests with ``-x -q`` and that copy first on ``PYTHONPATH`` (subprocesses started by the
tests, such as ``python -m rolegraph`` or the ``rolegraph`` script, inherit it). A mutation is
*killed* when pytest reports a failure (exit 1); *survived* when the tests pass; any other exit
(a node id that no longer exists, a collection error) is an *error*. First, all the named tests run
once on the unmutated copy and must pass (else every mutation would look killed).

Exit status: 0 when every mutation is killed; 1 when one survives (a missing test, or dead code:
fix one or the other), when a snippet is not found exactly once (the code moved on: re-target the
snippet), or on an error. Results go to stdout as a Markdown table; ``--record`` also writes them as
the "Mutation check" section of bench/RESULTS.md (bench/run keeps that section when it rewrites the file).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Mutation check"


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str  # relative to src/rolegraph/
    original: str
    replacement: str
    tests: tuple[str, ...]  # pytest node ids or files, relative to the repository root
    promise: str


PAGES = "tests/hardening/test_pages.py"
ATOMIC = "tests/test_write_atomic.py"
BIND = "tests/test_remote.py::test_bind_values_places_values_in_the_where_group"

MUTATIONS: tuple[Mutation, ...] = (
    # -- parse limits ------------------------------------------------------------------------
    Mutation(
        "parse: file size checked before reading",
        "pages/parse.py",
        "        if size > MAX_PAGE_BYTES:\n",
        "        if size > MAX_PAGE_BYTES * 64:\n",
        (f"{PAGES}::test_a_50_mb_file_is_refused_before_it_is_read",),
        "a page over 1 MB is refused before it is read",
    ),
    Mutation(
        "parse: byte size checked before decoding",
        "pages/parse.py",
        "    if len(data) > MAX_PAGE_BYTES:\n        raise SeedError(path, 0,",
        "    if len(data) > MAX_PAGE_BYTES * 64:\n        raise SeedError(path, 0,",
        (f"{PAGES}::test_a_50_mb_string_is_refused_without_copying_it",),
        "a page over 1 MB is refused before it is copied",
    ),
    Mutation(
        "parse: text size checked before splitting",
        "pages/parse.py",
        "    if len(text) > MAX_PAGE_BYTES:  # refused before any copy is made",
        "    if len(text) > MAX_PAGE_BYTES * 64:  # refused before any copy is made",
        (f"{PAGES}::test_a_50_mb_string_is_refused_without_copying_it",),
        "a page over 1 MB is refused before it is copied",
    ),
    Mutation(
        "parse: line count bound",
        "pages/parse.py",
        '    if max(text.count("\\n"), text.count("\\r")) >= MAX_PAGE_LINES:\n',
        '    if max(text.count("\\n"), text.count("\\r")) >= MAX_PAGE_LINES * 10:\n',
        (f"{PAGES}::test_a_page_of_more_than_the_line_bound_is_refused",),
        "a page over 20,000 lines is refused before it is parsed",
    ),
    Mutation(
        "parse: line length bound",
        "pages/parse.py",
        "        if len(ln.text) > MAX_LINE_CHARS:\n",
        "        if len(ln.text) > MAX_LINE_CHARS * 10:\n",
        (f"{PAGES}::test_a_line_over_the_bound_is_refused",),
        "a line over 10,000 characters is refused before it is parsed",
    ),
    Mutation(
        "parse: NUL bytes refused",
        "pages/parse.py",
        '        if "\\x00" in ln.text:\n',
        '        if "\\x00" in ln.text and False:\n',
        ("tests/test_parse_errors.py::test_nul_byte",),
        "NUL bytes give a located error",
    ),
    # -- catalogue and names -----------------------------------------------------------------
    Mutation(
        "names: resolved ignoring case",
        "roles/catalogue.py",
        "        codes = self._name_index().get(name.strip().casefold(), set())\n",
        "        codes = self._name_index().get(name.strip(), set())\n",
        ("tests/test_catalogue.py",),
        "a role is found by code, title or alias, ignoring case",
    ),
    Mutation(
        "names: an ambiguous name is refused",
        "roles/catalogue.py",
        "        if len(codes) == 1:\n",
        "        if len(codes) >= 1:\n",
        ("tests/test_catalogue.py",),
        "a name shared by two roles is an error naming both",
    ),
    Mutation(
        "names: aliases are names",
        "roles/catalogue.py",
        "            for name in (role.code, role.title, *role.aliases):\n",
        "            for name in (role.code, role.title):\n",
        ("tests/test_catalogue.py",),
        "a role is found by code, title or alias, ignoring case",
    ),
    # -- distance and path -------------------------------------------------------------------
    Mutation(
        "distance: capped at 1",
        "roles/distance.py",
        "    d = 1.0 if math.isinf(raw) else min(1.0, raw / config.scale)\n",
        "    d = 1.0 if math.isinf(raw) else raw / config.scale\n",
        ("tests/test_distance.py::test_metric_properties",),
        "distances are in [0, 1] and a metric",
    ),
    Mutation(
        "distance: level gaps cost per rank on a path",
        "roles/distance.py",
        "                g.add_edge(low.code, high.code, weight=c.level_step * (high.rank - low.rank))\n",
        "                g.add_edge(low.code, high.code, weight=c.level_step)\n",
        ("tests/test_distance.py::test_a_rung_missing_from_a_ladder_still_costs_each_level",),
        "a career path is the cheapest sequence of moves",
    ),
    Mutation(
        "distance: level up and level down",
        "roles/distance.py",
        '"level up" if b.rank > a.rank else "level down"',
        '"level down" if b.rank > a.rank else "level up"',
        ("tests/test_distance.py::test_skills_gained_and_lost_along_a_path",),
        "each step of a path says what kind of move it is",
    ),
    Mutation(
        "distance: paths cross tracks at the configured offset and weight",
        "roles/distance.py",
        "                        g.add_edge(hub, twin_hub, weight=c.track_switch)\n",
        "                        g.add_edge(hub, twin_hub, weight=1.0)\n",
        ("tests/test_distance.py::test_path_across_tracks_focuses_and_functions_against_brute_force",),
        "a career path is the cheapest sequence of moves, across tracks, focuses and functions too",
    ),
    Mutation(
        "index: a role is not its own neighbour",
        "roles/index.py",
        "        if j != skip:\n",
        "        if True:\n",
        ("tests/test_index.py::test_ties_are_broken_by_code",),
        "nearest excludes the role itself and agrees with the reference",
    ),
    Mutation(
        "index: ties broken by code",
        "roles/index.py",
        "heapq.merge(*groups[d])",
        "(j for group in groups[d] for j in group)",
        ("tests/test_index.py::test_ties_across_relations_and_levels_are_broken_by_code",),
        "nearest is sorted by distance, ties broken by code",
    ),
    Mutation(
        "cache: a cached catalogue's ranks are checked",
        "roles/catalogue.py",
        "min(ranks) >= 1 and max(ranks) <= MAX_RANK and ",
        "",
        ("tests/test_cache.py::test_a_damaged_catalogue_is_recomputed",),
        "a damaged cache entry is recomputed, never trusted",
    ),
    # -- query binding -----------------------------------------------------------------------
    Mutation(
        "bind: long and NUL values refused",
        "ask/query.py",
        '            if len(value) > MAX_PARAM_LENGTH or "\\x00" in value:\n',
        "            if len(value) > MAX_PARAM_LENGTH:\n",
        ("tests/test_query_params.py",),
        "parameters are bound, never pasted; bad values are refused by their type",
    ),
    Mutation(
        "bind: unknown parameters refused",
        "ask/query.py",
        "        if unknown:\n",
        "        if unknown and False:\n",
        ("tests/test_queries.py::test_parameter_errors_list_what_is_expected",),
        "a parameter error lists what the query expects",
    ),
    Mutation(
        "bind: IRIs checked before they become query text",
        "ask/store.py",
        "        if isinstance(term, URIRef) and any(c in str(term) for c in '<>\"{}|^`\\\\ \\n\\t'):\n",
        "        if isinstance(term, URIRef) and any(c in str(term) for c in '\\n\\t'):\n",
        ("tests/test_queries.py::test_values_block_serialises_terms",),
        "user input never becomes query text",
    ),
    Mutation(
        "bind: \\u escapes read before the WHERE group is found",
        "ask/store.py",
        "    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)\n",
        "    text = query\n",
        (BIND,),
        "parameters are bound into the query's own WHERE group",
    ),
    Mutation(
        "bind: comments skipped when finding the WHERE group",
        "ask/store.py",
        '        if c == "#":\n',
        '        if c == "#" and False:\n',
        (BIND,),
        "parameters are bound into the query's own WHERE group",
    ),
    # -- write_atomic and the build lock ------------------------------------------------------
    Mutation(
        "write_atomic: rename, not rewrite in place",
        "graph/io.py",
        "        os.replace(tmp, target)\n",
        "        target.write_bytes(data)\n        Path(tmp).unlink()\n",
        (f"{ATOMIC}::test_a_reader_of_the_old_file_keeps_reading_the_old_bytes",),
        "a build killed at any moment leaves each file old or new, whole",
    ),
    Mutation(
        "write_atomic: outputs readable by all",
        "graph/io.py",
        "        os.chmod(tmp, 0o644)\n",
        "",
        (f"{ATOMIC}::test_a_reader_of_the_old_file_keeps_reading_the_old_bytes",),
        "outputs are ordinary files (mode 0644), not mkstemp's 0600",
    ),
    Mutation(
        "write_atomic: a failed write removes its temporary",
        "graph/io.py",
        "        Path(tmp).unlink(missing_ok=True)\n        raise\n",
        "        raise\n",
        (f"{ATOMIC}::test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary",),
        "a failed write leaves the old file and no temporary",
    ),
    Mutation(
        "write_atomic: temporaries of a killed build swept",
        "graph/io.py",
        "        stale.unlink(missing_ok=True)\n",
        "        pass\n",
        (f"{ATOMIC}::test_a_build_sweeps_the_temporaries_a_killed_build_left",),
        "the next build removes the temporary files a killed build left",
    ),
    Mutation(
        "lock: one writer per output folder",
        "api.py",
        "        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_UN)\n",
        "        pass\n",
        ("tests/test_build_lock.py",),
        "two builds into one folder leave the files of one build",
    ),
)


def apply(tree: Path, mutation: Mutation) -> str | None:
    """Apply ``mutation`` inside the copy ``tree``; the error, if its snippet is not there exactly once."""
    path = tree / "rolegraph" / mutation.file
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.original)
    if count != 1:
        return (
            f"src/rolegraph/{mutation.file}: the snippet of mutation {mutation.name!r} occurs {count} times "
            f"(expected exactly once): {mutation.original!r}; re-target it in bench/mutate.py"
        )
    path.write_text(text.replace(mutation.original, mutation.replacement), encoding="utf-8")
    return None


def run_tests(tree: Path, tests: tuple[str, ...]) -> int:
    path = os.pathsep.join(p for p in (str(tree), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *tests]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False).returncode


def imported_from(tree: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", "import rolegraph; print(rolegraph.__file__)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


def record(table: list[str], summary: str) -> None:
    """Replace the Mutation check section of bench/RESULTS.md (or add it at the end)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    before, _, after = text.partition(SECTION)
    rest = after.partition("\n## ")[2]
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [
        SECTION,
        "",
        f"Written by `bench/mutate.py --record` ({when}, {os.cpu_count()} CPUs): each mutation breaks one promise of",
        "[docs/guarantees.md](../docs/guarantees.md) in a copy of `src/`; the tests it names must go red (killed).",
        "A survivor is a missing test or dead code. CI runs the same list on every push.",
        "",
        *table,
        "",
        summary,
    ]
    out = before.rstrip("\n") + "\n\n" + "\n".join(section) + "\n" + (f"\n## {rest}" if rest else "")
    RESULTS.write_text(out.lstrip("\n"), encoding="utf-8")
    print(f"wrote {RESULTS}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="run only the mutations whose name starts with this")
    parser.add_argument("--list", action="store_true", help="print the mutations and their tests, run nothing")
    parser.add_argument("--record", action="store_true", help=f"write the table into {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if m.name.startswith(args.only)]
    if args.list:
        for m in chosen:
            print(f"- {m.name} (src/rolegraph/{m.file}): {m.promise}\n    {' '.join(m.tests)}")
        return 0

    rows: list[tuple[str, str, float]] = []
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rolegraph-mutate-") as tmp:
        for mutation in chosen:
            tree = Path(tmp) / "src"
            if tree.exists():
                shutil.rmtree(tree)
            shutil.copytree(SRC, tree, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            if not rows:  # first: the copy is what the tests import, and they pass on it unmutated
                if not imported_from(tree).startswith(str(tree)):
                    print(f"error: the copy in {tree} is not the rolegraph the tests import", file=sys.stderr)
                    return 1
                every = tuple(dict.fromkeys(test for m in chosen for test in m.tests))
                code = run_tests(tree, every)
                print(f"{'baseline':>10}  {time.monotonic() - started:5.1f} s  pytest exit {code}", file=sys.stderr)
                if code != 0:
                    print(f"error: the named tests fail without any mutation (pytest exit {code}): "
                          f"{' '.join(every)}", file=sys.stderr)  # fmt: skip
                    return 1
            error = apply(tree, mutation)
            if error is not None:
                problems.append(error)
                rows.append((mutation.name, "snippet not found", 0.0))
                continue
            t0 = time.monotonic()
            code = run_tests(tree, mutation.tests)
            outcome = {0: "SURVIVED", 1: "killed"}.get(code, f"error (pytest exit {code})")
            rows.append((mutation.name, outcome, time.monotonic() - t0))
            if code != 1:
                problems.append(f"{mutation.name}: {outcome}; tests: {' '.join(mutation.tests)}")
            print(f"{outcome:>10}  {rows[-1][2]:5.1f} s  {mutation.name}", file=sys.stderr, flush=True)

    killed = sum(outcome == "killed" for _, outcome, _ in rows)
    survived = sum(outcome == "SURVIVED" for _, outcome, _ in rows)
    table = ["| mutation | outcome | seconds |", "| --- | --- | --- |"]
    table += [f"| {name} | {outcome} | {seconds:.1f} |" for name, outcome, seconds in rows]
    summary = (
        f"{killed} killed, {survived} survived, {len(rows) - killed - survived} errors "
        f"of {len(rows)} mutations in {time.monotonic() - started:.0f} s"
    )
    print("\n".join(table) + "\n\n" + summary)
    if args.record:
        record(table, summary)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
