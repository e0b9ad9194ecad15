"""The build's page cache (graph/pagecache.py) and kept merge (graph/mergestate.py): a warm build writes the
bytes a cold one writes, whatever changed.

Every test builds twice or more into one cache folder of its own and compares the published files
with a build that reads no cache at all (``cache=False``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rolegraph import api
from rolegraph.errors import MergeConflictError, SeedError
from rolegraph.graph import mergestate, pagecache
from rolegraph.pages.parse import NO_ALIASES
from tests.helpers import REAL_PAGE

REAL = REAL_PAGE.read_text(encoding="utf-8")
OUTPUTS = ("rolegraph.ttl", "rolegraph.jsonld", "void.ttl")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("ROLEGRAPH_NO_CACHE", raising=False)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.synth import write_corpus

    folder = tmp_path_factory.mktemp("corpus") / "pages"
    write_corpus(folder, 12, seed=3)
    shutil.copy(REAL_PAGE, folder / REAL_PAGE.name)
    return folder


def pages_copy(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(corpus, folder)
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def build(pages: Path, out: Path, *, cache: bool | None = None) -> tuple[dict[str, bytes], int, int]:
    """The published bytes, and how many pages the build read from the cache and wrote to it."""
    hits, writes = pagecache.hits, pagecache.writes
    api.build([pages], out, validate=False, cache=cache)
    return outputs(out), pagecache.hits - hits, pagecache.writes - writes


def resumed(pages: Path, out: Path) -> tuple[dict[str, bytes], bool]:
    """The published bytes, and whether the build resumed the kept merge (else it merged every page)."""
    before = mergestate.resumed
    api.build([pages], out, validate=False)
    return outputs(out), mergestate.resumed == before + 1


def kept_merges(cache: Path) -> list[Path]:
    return sorted((cache / pagecache.FOLDER / mergestate.FOLDER).glob("*.merge"))


def forget_merge(cache: Path) -> None:
    """Drop the kept merge, so the next build reads every page from the page cache."""
    for path in kept_merges(cache):
        path.unlink()


def edit(page: Path, new: str = "  • Newly: a title of its own") -> None:
    text = page.read_text(encoding="utf-8")
    assert NO_ALIASES in text
    page.write_text(text.replace(NO_ALIASES, new), encoding="utf-8")


def cold(pages: Path, out: Path) -> dict[str, bytes]:
    built, hits, writes = build(pages, out, cache=False)
    assert (hits, writes) == (0, 0)
    return built


def build_errors(
    pages: Path, out: Path, error: type[Exception], caches: tuple[bool, ...] = (False, True, True)
) -> list[str]:
    """The message of ``error`` from a build of ``pages`` with each ``caches`` setting in turn (cold, then the
    build that fills the cache, then a warm one)."""
    errors = []
    for use_cache in caches:
        with pytest.raises(error) as caught:
            api.build([pages], out, validate=False, cache=use_cache)
        errors.append(str(caught.value))
    return errors


def test_a_warm_build_reads_every_page_and_writes_the_same_bytes(corpus: Path, cache: Path, tmp_path: Path) -> None:
    n = len(list(corpus.glob("*.txt")))
    first, hits, writes = build(corpus, tmp_path / "a")
    assert (hits, writes) == (0, n)
    forget_merge(cache)
    second, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (n, 0)
    assert second == first == cold(corpus, tmp_path / "c")
    assert (tmp_path / "b" / "rolegraph.ttl").read_bytes().count(b"rg:Role") > 12


def test_an_unchanged_build_resumes_the_kept_merge_and_reads_no_page(corpus: Path, cache: Path, tmp_path: Path) -> None:
    first, _, _ = build(corpus, tmp_path / "a")
    assert len(kept_merges(cache)) == 1
    second, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (0, 0)
    assert second == first == cold(corpus, tmp_path / "c")


def test_an_edited_page_is_rebuilt_and_the_rest_read(corpus: Path, cache: Path, tmp_path: Path) -> None:
    pages = pages_copy(corpus, tmp_path)
    n = len(list(pages.glob("*.txt")))
    build(pages, tmp_path / "a")
    edit(sorted(pages.glob("*.txt"))[3])
    warm, hits, writes = build(pages, tmp_path / "b")
    assert (hits, writes) == (1, 1)  # the edited page's old entry, read to take its triples out of the kept merge
    assert warm == cold(pages, tmp_path / "c")
    assert b"Newly: " in warm["rolegraph.ttl"]
    forget_merge(cache)
    again, hits, writes = build(pages, tmp_path / "d")  # every page from the page cache
    assert (hits, writes) == (n, 0)
    assert again == warm


def test_a_removed_page_leaves_the_graph(corpus: Path, cache: Path, tmp_path: Path) -> None:
    pages = pages_copy(corpus, tmp_path)
    before, _, _ = build(pages, tmp_path / "a")
    removed = sorted(pages.glob("*.txt"))[0]
    removed.unlink()
    warm, _, writes = build(pages, tmp_path / "b")
    assert writes == 0
    assert warm == cold(pages, tmp_path / "c") != before
    assert removed.name.encode() not in warm["rolegraph.ttl"]


def test_an_added_page_is_built_and_the_rest_read(corpus: Path, cache: Path, tmp_path: Path) -> None:
    pages = pages_copy(corpus, tmp_path)
    extra = sorted(pages.glob("*.txt"))[0]
    text = extra.read_bytes()
    extra.unlink()
    build(pages, tmp_path / "a")
    extra.write_bytes(text)
    warm, _, writes = build(pages, tmp_path / "b")
    assert writes == 1
    assert warm == cold(pages, tmp_path / "c")


def test_a_renamed_page_is_built_again_under_its_new_name(corpus: Path, cache: Path, tmp_path: Path) -> None:
    """Sources name the page (``path:line``): the same bytes under another name are another entry."""
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "a")
    page = sorted(pages.glob("*.txt"))[2]
    page.rename(pages / "zz_renamed.txt")
    warm, _, writes = build(pages, tmp_path / "b")
    assert writes == 1
    assert warm == cold(pages, tmp_path / "c")
    assert b"zz_renamed.txt:" in warm["rolegraph.ttl"]


def test_another_rolegraph_version_reads_nothing_cached(
    corpus: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = len(list(corpus.glob("*.txt")))
    build(corpus, tmp_path / "a")
    monkeypatch.setattr(pagecache, "__version__", "0.0.0-other")
    _, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (0, n)


@pytest.mark.parametrize("damage", ["truncated", "a byte changed", "empty", "another page's entry"])
def test_a_damaged_entry_is_rebuilt_never_trusted(corpus: Path, cache: Path, tmp_path: Path, damage: str) -> None:
    n = len(list(corpus.glob("*.txt")))
    first, _, _ = build(corpus, tmp_path / "a")
    forget_merge(cache)  # so the next build reads every page's entry
    entries = sorted((cache / pagecache.FOLDER).rglob("*.json"))
    assert len(entries) == n
    entry = entries[4]
    raw = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "a byte changed":
        at = raw.index(b'"https://w3id.org') + 2  # the "t": an IRI's "https" becomes "hutps", and the JSON still parses
        entry.write_bytes(raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :])
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.write_bytes(entries[5].read_bytes())
    warm, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (n - 1, 1)
    assert warm == first
    assert entry.read_bytes() == raw  # rewritten whole
    forget_merge(cache)
    _, hits, writes = build(corpus, tmp_path / "c")
    assert (hits, writes) == (n, 0)


def test_two_pages_that_disagree_give_the_same_error_warm_as_cold(cache: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(REAL_PAGE, pages / REAL_PAGE.name)
    (pages / "zz_copy.txt").write_text(
        REAL.replace("Data Science & Analytics", "Data Science and Analytics"), encoding="utf-8"
    )
    errors = build_errors(pages, tmp_path / "out", MergeConflictError)
    assert "zz_copy.txt:5" in errors[0] and "000_cf26a15490124fcc.txt:5" in errors[0]
    assert errors[0] == errors[1] == errors[2]
    assert len(list((cache / pagecache.FOLDER).rglob("*.json"))) == 2  # both pages were cached
    assert not (tmp_path / "out").exists()


def test_an_alias_naming_a_role_of_another_page_gives_the_same_error_warm_as_cold(cache: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(REAL_PAGE, pages / REAL_PAGE.name)
    other = REAL.replace("AIMACHIN97C0", "OTHERFOCUS01").replace(NO_ALIASES, "  • DATASC.AIMACHIN97C0.P5")
    (pages / "zz_other.txt").write_text(other, encoding="utf-8")
    errors = build_errors(pages, tmp_path / "out", SeedError)
    assert "expected an alias that names no other role" in errors[0] and "zz_other.txt:" in errors[0]
    assert errors[0] == errors[1] == errors[2]


def test_no_cache_reads_and_writes_nothing(
    corpus: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(corpus, tmp_path / "a", cache=False)
    assert not cache.exists()
    monkeypatch.setenv("ROLEGRAPH_NO_CACHE", "1")
    _, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (0, 0)
    assert not cache.exists()


def test_cache_clear_removes_the_page_cache_without_counting_it_as_a_graph(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    from rolegraph.ask import cache as graph_cache

    build(corpus, tmp_path / "a")
    assert (cache / pagecache.FOLDER).is_dir()
    assert graph_cache.entries() == []
    assert api.clear_cache() == 0
    assert not (cache / pagecache.FOLDER).exists()


def test_pages_built_in_two_processes_give_the_same_bytes_and_errors(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many pages are built in a forked worker too; bad pages are reported as a single process reports them."""
    pages = pages_copy(corpus, tmp_path)
    (pages / "bad.txt").write_text(REAL.replace("P7P7", "P7Q7"), encoding="utf-8")
    one = api.build([pages], tmp_path / "one", validate=False, keep_going=True, cache=False)
    monkeypatch.setattr(api, "PARALLEL_MIN", 1)
    two = api.build([pages], tmp_path / "two", validate=False, keep_going=True, cache=False)
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")
    assert [str(e) for e in two.bad_pages] == [str(e) for e in one.bad_pages]
    assert len(one.bad_pages) == 1 and str(one.bad_pages[0]).startswith("bad.txt:")


def test_pages_built_in_two_processes_merge_in_page_order(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which page a conflict names first depends on the order of the pages: the workers keep it."""
    pages = pages_copy(corpus, tmp_path)
    (pages / "zz_copy.txt").write_text(
        REAL.replace("Data Science & Analytics", "Data Science and Analytics"), encoding="utf-8"
    )
    errors = []
    for parallel_min in (10_000, 1):
        monkeypatch.setattr(api, "PARALLEL_MIN", parallel_min)
        with pytest.raises(MergeConflictError) as caught:
            api.build([pages], tmp_path / "out", validate=False, cache=False)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith("zz_copy.txt:5: ")


# -- the kept merge (graph/mergestate.py) -----------------------------------------------------------------


@pytest.fixture
def always_resume(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resume however many pages changed (a small corpus would otherwise be merged whole)."""
    monkeypatch.setattr(mergestate, "worth_resuming", lambda changed, pages: True)


@pytest.mark.parametrize("rewrite", ["kept as it was", "rewritten each time"])
def test_edits_removals_additions_and_renames_resumed_give_a_cold_builds_bytes(
    corpus: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_resume: None, rewrite: str
) -> None:
    """One change after another: resumed from the first build's merge (the changes add up), or from the last one's."""
    if rewrite == "rewritten each time":
        monkeypatch.setattr(mergestate, "rewrite_after", lambda pages: 0)
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "first")
    listed = sorted(pages.glob("*.txt"))
    edited = listed[3]
    original = edited.read_text(encoding="utf-8")

    def change_edit() -> None:
        edit(edited)

    def change_remove() -> None:
        listed[0].unlink()

    def change_add() -> None:
        other = REAL.replace("AIMACHIN97C0", "OTHERFOCUS01")
        (pages / "zz_added.txt").write_text(other, encoding="utf-8")

    def change_rename() -> None:
        listed[2].rename(pages / "zy_renamed.txt")

    def change_revert() -> None:
        edited.write_text(original, encoding="utf-8")

    steps = (change_edit, change_remove, change_add, change_rename, change_revert)
    for step, change in enumerate(steps):
        change()
        writes = mergestate.writes
        warm, was_resumed = resumed(pages, tmp_path / f"warm{step}")
        assert was_resumed, change.__name__
        assert mergestate.writes == writes + (rewrite == "rewritten each time"), change.__name__
        assert warm == cold(pages, tmp_path / f"cold{step}"), change.__name__
    assert b"zy_renamed.txt:" in warm["rolegraph.ttl"] and b"OTHERFOCUS01" in warm["rolegraph.ttl"]
    assert listed[0].name.encode() not in warm["rolegraph.ttl"]


def test_many_changes_merge_every_page_and_keep_that_merge(corpus: Path, cache: Path, tmp_path: Path) -> None:
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "a")
    for page in [p for p in sorted(pages.glob("*.txt")) if NO_ALIASES in p.read_text(encoding="utf-8")][:4]:
        edit(page)  # 8 pages in and out, of 13: more than a quarter
    writes = mergestate.writes
    warm, was_resumed = resumed(pages, tmp_path / "b")
    assert not was_resumed
    assert mergestate.writes == writes + 1
    assert warm == cold(pages, tmp_path / "c")
    assert resumed(pages, tmp_path / "d") == (warm, True)


def _flip_an_object(raw: bytes) -> bytes:
    """One bit of the first triple's object index: the entry still reads, as another graph."""
    header, _, data = raw.partition(b"\n")
    sizes_line, _, _ = data.partition(b"\n")
    sizes = [int(n) for n in sizes_line.split(b" ")]
    at = len(header) + 1 + len(sizes_line) + 1 + sizes[0] + sizes[1] + sizes[2]  # the JSON, then s and p
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


@pytest.mark.parametrize("damage", ["truncated", "an object changed", "empty", "another build's entry"])
def test_a_damaged_kept_merge_is_replaced_never_trusted(
    corpus: Path, cache: Path, tmp_path: Path, always_resume: None, damage: str
) -> None:
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "a")
    (entry,) = kept_merges(cache)
    raw = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "an object changed":
        entry.write_bytes(_flip_an_object(raw))
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        other = pages_copy(corpus, tmp_path / "other")
        api.build([other], tmp_path / "other-out", validate=False)
        (other_entry,) = (path for path in kept_merges(cache) if path != entry)
        entry.write_bytes(other_entry.read_bytes())
    edit(sorted(pages.glob("*.txt"))[3])
    warm, was_resumed = resumed(pages, tmp_path / "b")
    assert not was_resumed
    assert warm == cold(pages, tmp_path / "c")
    assert mergestate.load(cache / pagecache.FOLDER, entry.stem) is not None  # written again, whole
    assert resumed(pages, tmp_path / "d") == (warm, True)


def test_a_kept_merge_whose_old_pages_left_the_page_cache_is_not_resumed(
    corpus: Path, cache: Path, tmp_path: Path, always_resume: None
) -> None:
    """Taking an edited page out needs its old triples, read from the page cache: without them, every page merges."""
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "a")
    edited = sorted(pages.glob("*.txt"))[3]
    old_key = pagecache.page_key(edited.name, edited.read_bytes(), api.DEFAULT_BASE)
    pagecache.entry_path(cache / pagecache.FOLDER, old_key).unlink()
    edit(edited)
    warm, was_resumed = resumed(pages, tmp_path / "b")
    assert not was_resumed
    assert warm == cold(pages, tmp_path / "c")


def test_a_kept_merge_that_does_not_hold_what_it_names_is_not_resumed(
    corpus: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_resume: None
) -> None:
    """A kept merge is an account of the pages it names; one whose counts say otherwise is never patched."""
    pages = pages_copy(corpus, tmp_path)
    build(pages, tmp_path / "a")
    (entry,) = kept_merges(cache)
    state = mergestate.load(cache / pagecache.FOLDER, entry.stem)
    assert state is not None
    state.plain = [0] * len(state.plain)  # as if no page stated any triple plainly
    mergestate.store(cache / pagecache.FOLDER, entry.stem, state)
    sorted(pages.glob("*.txt"))[3].unlink()  # its triples are to be taken out, and the counts say there are none
    warm, was_resumed = resumed(pages, tmp_path / "b")
    assert not was_resumed
    assert warm == cold(pages, tmp_path / "c")


def test_an_edit_that_makes_two_pages_disagree_gives_the_cold_error_after_a_kept_merge(
    cache: Path, tmp_path: Path, always_resume: None
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(REAL_PAGE, pages / REAL_PAGE.name)
    other = REAL.replace("AIMACHIN97C0", "OTHERFOCUS01")  # another focus of the same function
    copy = pages / "zz_copy.txt"
    copy.write_text(other, encoding="utf-8")
    api.build([pages], tmp_path / "out", validate=False)
    assert kept_merges(cache)
    copy.write_text(other.replace("Data Science & Analytics", "Data Science and Analytics"), encoding="utf-8")
    errors = build_errors(pages, tmp_path / "out", MergeConflictError)
    assert "zz_copy.txt:5" in errors[0] and "000_cf26a15490124fcc.txt:5" in errors[0]
    assert errors[0] == errors[1] == errors[2]


def test_an_edit_that_makes_an_alias_name_another_role_gives_the_cold_error_after_a_kept_merge(
    cache: Path, tmp_path: Path, always_resume: None
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(REAL_PAGE, pages / REAL_PAGE.name)
    other = pages / "zz_other.txt"
    other.write_text(REAL.replace("AIMACHIN97C0", "OTHERFOCUS01"), encoding="utf-8")
    api.build([pages], tmp_path / "out", validate=False)
    edit(other, "  • DATASC.AIMACHIN97C0.P5")
    resumes = mergestate.resumed
    errors = build_errors(pages, tmp_path / "out", SeedError, (False, True))
    assert mergestate.resumed == resumes  # the alias check stopped it before it counted as resumed
    assert "expected an alias that names no other role" in errors[0] and "zz_other.txt:" in errors[0]
    assert errors[0] == errors[1]


def test_concurrent_first_builds_keep_one_whole_merge_that_the_next_build_resumes(
    corpus: Path, cache: Path, tmp_path: Path, always_resume: None
) -> None:
    import os
    import subprocess
    import sys

    pages = pages_copy(corpus, tmp_path)
    env = {**os.environ, "ROLEGRAPH_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "rolegraph", "build", str(pages), "--no-validate", "--no-progress", "-o"]
    runs = [subprocess.Popen([*command, str(tmp_path / f"out{n}")], env=env, stderr=subprocess.PIPE) for n in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert outputs(tmp_path / "out0") == outputs(tmp_path / "out1") == cold(pages, tmp_path / "cold")
    (entry,) = kept_merges(cache)
    assert not [p for p in entry.parent.iterdir() if p != entry]  # no temporary file left
    edit(sorted(pages.glob("*.txt"))[3])
    warm, was_resumed = resumed(pages, tmp_path / "warm")
    assert was_resumed
    assert warm == cold(pages, tmp_path / "cold2")
