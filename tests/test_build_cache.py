"""The build's page cache (graph/pagecache.py): a warm build writes the bytes a cold one writes, whatever changed.

Every test builds twice or more into one cache folder of its own and compares the published files
with a build that reads no cache at all (``cache=False``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rolegraph import api
from rolegraph.errors import MergeConflictError, SeedError
from rolegraph.graph import pagecache
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


def cold(pages: Path, out: Path) -> dict[str, bytes]:
    built, hits, writes = build(pages, out, cache=False)
    assert (hits, writes) == (0, 0)
    return built


def test_a_warm_build_reads_every_page_and_writes_the_same_bytes(corpus: Path, cache: Path, tmp_path: Path) -> None:
    n = len(list(corpus.glob("*.txt")))
    first, hits, writes = build(corpus, tmp_path / "a")
    assert (hits, writes) == (0, n)
    second, hits, writes = build(corpus, tmp_path / "b")
    assert (hits, writes) == (n, 0)
    assert second == first == cold(corpus, tmp_path / "c")
    assert (tmp_path / "b" / "rolegraph.ttl").read_bytes().count(b"rg:Role") > 12


def test_an_edited_page_is_rebuilt_and_the_rest_read(corpus: Path, cache: Path, tmp_path: Path) -> None:
    pages = pages_copy(corpus, tmp_path)
    n = len(list(pages.glob("*.txt")))
    build(pages, tmp_path / "a")
    edited = sorted(pages.glob("*.txt"))[3]
    text = edited.read_text(encoding="utf-8")
    assert NO_ALIASES in text
    edited.write_text(text.replace(NO_ALIASES, "  • Newly: a title of its own"), encoding="utf-8")
    warm, hits, writes = build(pages, tmp_path / "b")
    assert (hits, writes) == (n - 1, 1)
    assert warm == cold(pages, tmp_path / "c")
    assert b"Newly: " in warm["rolegraph.ttl"]


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
    _, hits, writes = build(corpus, tmp_path / "c")
    assert (hits, writes) == (n, 0)


def test_two_pages_that_disagree_give_the_same_error_warm_as_cold(cache: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(REAL_PAGE, pages / REAL_PAGE.name)
    (pages / "zz_copy.txt").write_text(
        REAL.replace("Data Science & Analytics", "Data Science and Analytics"), encoding="utf-8"
    )
    errors = []
    for use_cache in (False, True, True):  # cold, then the first build that fills the cache, then a warm one
        with pytest.raises(MergeConflictError) as caught:
            api.build([pages], tmp_path / "out", validate=False, cache=use_cache)
        errors.append(str(caught.value))
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
    errors = []
    for use_cache in (False, True, True):
        with pytest.raises(SeedError) as caught:
            api.build([pages], tmp_path / "out", validate=False, cache=use_cache)
        errors.append(str(caught.value))
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
