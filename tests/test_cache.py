"""The on-disk graph cache (rolegraph.ask.cache): used the second time, never stale, rebuilt when damaged,
safe under concurrent first runs, bypassed by --no-cache, emptied by `rolegraph cache clear`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rolegraph import api
from rolegraph.ask import cache
from rolegraph.ask.query import library
from rolegraph.cli import cli
from rolegraph.roles.catalogue import catalogue_from_json
from rolegraph.roles.distance import DistanceConfig

ROLE = "DATASC.AIMACHIN97C0.P7"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("ROLEGRAPH_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def graph(tmp_path: Path, real_graph_file: Path) -> Path:
    copy = tmp_path / "graph" / "rolegraph.ttl"
    copy.parent.mkdir()
    shutil.copyfile(real_graph_file, copy)
    return copy


def _nearest(session: api.Session) -> list[tuple[str, float]]:
    return [(d.b, d.d) for d in session.nearest(ROLE, k=5, by="structure")]


def test_the_second_open_uses_the_entry_without_loading(cache_dir: Path, graph: Path) -> None:
    builds = cache.builds
    first = api.Session.open(graph)
    answer = _nearest(first)
    assert cache.builds == builds + 1
    (entry,) = cache.entries()
    assert {p.name for p in entry.iterdir()} == {"manifest.json", "catalogue.json", "store"}
    second = api.Session.open(graph)
    assert cache.builds == builds + 1  # opened, not loaded again
    assert _nearest(second) == answer
    assert second.catalogue.roles == first.catalogue.roles


def test_a_changed_graph_file_gets_a_new_entry(cache_dir: Path, graph: Path) -> None:
    api.Session.open(graph)
    with graph.open("a", encoding="utf-8") as handle:
        handle.write('\n<https://example.org/x> <https://example.org/p> "new" .\n')
    builds = cache.builds
    after = api.Session.open(graph)
    assert cache.builds == builds + 1
    assert len(cache.entries()) == 2
    assert after.query("counts").values() == api.Session.open(graph, cache=False).query("counts").values()
    assert len(after.store.store) == len(api.Session.open(graph, cache=False).store.store)  # type: ignore[attr-defined]


def test_the_file_memo_is_not_trusted_when_the_file_changes_at_the_same_size(cache_dir: Path, graph: Path) -> None:
    api.Session.open(graph)
    text = graph.read_text(encoding="utf-8")
    graph.write_text(text.replace("Staff", "Stuff", 1), encoding="utf-8")  # same size, new content
    fresh = api.Session.open(graph)
    assert len(cache.entries()) == 2
    assert fresh.store.entry.name.startswith(cache.file_digest(graph, cache_dir))  # type: ignore[attr-defined]


def _damage_largest_store_file(entry: Path) -> None:
    biggest = max((entry / "store").iterdir(), key=lambda p: p.stat().st_size)
    with biggest.open("r+b") as handle:
        handle.truncate(biggest.stat().st_size // 2)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda e: (e / "manifest.json").unlink(), id="no-manifest"),
        pytest.param(lambda e: (e / "manifest.json").write_text("{not json", encoding="utf-8"), id="garbled-manifest"),
        pytest.param(_damage_largest_store_file, id="truncated-store-file"),
        pytest.param(lambda e: shutil.rmtree(e / "store"), id="no-store"),
        pytest.param(
            lambda e: (e / "manifest.json").write_text(
                json.dumps({**json.loads((e / "manifest.json").read_text()), "key": "another"}), encoding="utf-8"
            ),
            id="manifest-of-another-key",
        ),
        pytest.param(lambda e: next((e / "store").glob("*.sst")).unlink(), id="a-store-file-missing"),
    ],
)
def test_a_damaged_entry_is_rebuilt_not_trusted(cache_dir: Path, graph: Path, damage: object) -> None:
    answer = _nearest(api.Session.open(graph))
    (entry,) = cache.entries()
    damage(entry)  # type: ignore[operator]
    builds = cache.builds
    again = api.Session.open(graph)
    assert cache.builds == builds + 1
    assert _nearest(again) == answer
    assert api.Session.open(graph).store.entry == entry  # type: ignore[attr-defined]
    assert cache.builds == builds + 1


def _edit_catalogue(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        value = json.loads(path.read_text(encoding="utf-8"))
        change(value)
        path.write_text(json.dumps(value), encoding="utf-8")

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b'{"roles": [["x"]]'), id="garbled"),
        pytest.param(lambda p: p.write_bytes(b'{"roles": [["x"]]}'), id="the-old-layout"),
        pytest.param(_edit_catalogue(lambda v: v["rank"].__setitem__(0, 10**9)), id="a-huge-rank"),
        pytest.param(_edit_catalogue(lambda v: v["rank"].__setitem__(0, True)), id="a-rank-that-is-a-bool"),
        pytest.param(_edit_catalogue(lambda v: v.update(track="X" + v["track"][1:])), id="a-bad-track"),
        pytest.param(_edit_catalogue(lambda v: v["place"].__setitem__(0, len(v["places"]))), id="a-place-not-listed"),
        pytest.param(_edit_catalogue(lambda v: v["title"].pop()), id="a-short-column"),
        pytest.param(_edit_catalogue(lambda v: v["code"].__setitem__(1, v["code"][0])), id="a-code-twice"),
        pytest.param(_edit_catalogue(lambda v: v["places"][0].__setitem__(2, 7)), id="a-focus-that-is-a-number"),
        pytest.param(_edit_catalogue(lambda v: v["aliases"].update(nobody=["x"])), id="aliases-of-no-role"),
        pytest.param(_edit_catalogue(lambda v: v["skills"].update(F=[len(v["skill_names"])])), id="a-skill-not-listed"),
        pytest.param(_edit_catalogue(lambda v: v["skills"].update(F=[-1])), id="a-negative-skill-number"),
    ],
)
def test_a_damaged_catalogue_is_recomputed(cache_dir: Path, graph: Path, damage: Callable[[Path], None]) -> None:
    answer = _nearest(api.Session.open(graph))
    roles = dict(api.Session.open(graph, cache=False).catalogue.roles)
    (entry,) = cache.entries()
    damage(entry / "catalogue.json")
    saved = cache.read_json(entry / "catalogue.json")  # None when it is not even JSON
    if saved is not None:
        with pytest.raises(ValueError, match="not a cached catalogue"):
            catalogue_from_json(saved)
    again = api.Session.open(graph)
    assert _nearest(again) == answer
    assert dict(again.catalogue.roles) == roles
    assert _nearest(api.Session.open(graph)) == answer  # and the rewritten sidecar reads back
    assert catalogue_from_json(json.loads((entry / "catalogue.json").read_text(encoding="utf-8")))


def test_the_distance_settings_apply_to_a_cached_catalogue(cache_dir: Path, graph: Path) -> None:
    config = DistanceConfig().with_settings(["m_offset=1", "level_step=2"])
    plain = _nearest(api.Session.open(graph))
    changed = _nearest(api.Session.open(graph, config))
    assert changed != plain
    assert changed == _nearest(api.Session.open(graph, config, cache=False))
    assert plain == _nearest(api.Session.open(graph, cache=False))
    assert _nearest(api.Session.open(graph, config)) == changed


def test_every_shipped_query_answers_the_same_with_and_without_the_cache(cache_dir: Path, graph: Path) -> None:
    cached, plain = api.Session.open(graph), api.Session.open(graph, cache=False)
    assert cached.store.entry is not None  # type: ignore[attr-defined]
    for name, spec in library().items():
        params = spec.example_params
        assert cached.query(name, params) == plain.query(name, params), name


def test_no_cache_writes_nothing(cache_dir: Path, graph: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--no-cache", "nearest", ROLE, "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--no-cache", "query", "role", "-p", f"code={ROLE}", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("ROLEGRAPH_NO_CACHE", "1")
    assert runner.invoke(cli, ["nearest", ROLE, "--graph", str(graph)]).exit_code == 0
    assert not cache_dir.exists()
    monkeypatch.delenv("ROLEGRAPH_NO_CACHE")
    assert runner.invoke(cli, ["nearest", ROLE, "--graph", str(graph)]).exit_code == 0
    assert len(cache.entries()) == 1


def test_cache_path_and_clear(cache_dir: Path, graph: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["cache", "path"]).output.strip() == str(cache_dir)
    api.Session.open(graph)
    assert len(cache.entries()) == 1
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed 1 cache entry")
    assert cache.entries() == []
    assert runner.invoke(cli, ["cache", "clear"]).output.startswith("removed 0 cache entries")
    builds = cache.builds
    api.Session.open(graph)
    assert cache.builds == builds + 1


def test_two_cold_processes_at_once_both_answer_alike_with_one_entry(cache_dir: Path, graph: Path) -> None:
    command = [sys.executable, "-m", "rolegraph", "-v", "query", "roles", "-f", "csv", "--graph", str(graph)]
    env = {**os.environ, "ROLEGRAPH_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0] != b""
    assert len(cache.entries()) == 1
    assert sum(err.count(b"cache: loaded") for _, err in outputs) == 1
    assert not [p for p in cache_dir.iterdir() if p.name.startswith((".tmp-", ".trash-"))]
    plain = subprocess.run([*command[:3], "--no-cache", *command[3:]], env=env, capture_output=True, check=True)
    assert plain.stdout == outputs[0][0]


def test_an_unwritable_cache_folder_falls_back_to_memory(
    tmp_path: Path, graph: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(blocker / "cache"))
    session = api.Session.open(graph)
    assert session.store.entry is None  # type: ignore[attr-defined]
    assert _nearest(session) == _nearest(api.Session.open(graph, cache=False))


def test_under_a_small_address_space_limit_the_graph_loads_in_memory(cache_dir: Path, graph: Path) -> None:
    # RocksDB aborts the whole process (exit 134) under `ulimit -v 400M`: the cache must step aside
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))

    command = [sys.executable, "-m", "rolegraph", "-v", "query", "roles", "-f", "csv", "--graph", str(graph)]
    done = subprocess.run(command, capture_output=True, preexec_fn=limit, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert b"cache: not used (ulimit -v is 400 MiB" in done.stderr
    assert cache.entries() == []


def test_a_graph_under_the_size_floor_loads_in_memory(
    cache_dir: Path, graph: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ROLEGRAPH_CACHE_MIN_BYTES (default 1 MiB) a graph is loaded in memory: the 40 KB published graph is."""
    monkeypatch.delenv("ROLEGRAPH_CACHE_MIN_BYTES")
    assert graph.stat().st_size < cache.MIN_BYTES
    builds = cache.builds
    session = api.Session.open(graph)
    assert _nearest(session)
    assert cache.builds == builds
    assert not cache_dir.exists() or not cache.entries()
    monkeypatch.setenv("ROLEGRAPH_CACHE_MIN_BYTES", str(graph.stat().st_size))  # at the floor: cached
    api.Session.open(graph).catalogue  # noqa: B018 - opening is the point
    assert cache.builds == builds + 1


@pytest.mark.parametrize(("by", "allowed"), [(["--by", "structure"], ""), ([], "numpy")])
def test_a_warm_nearest_reads_neither_rdflib_numpy_nor_networkx(
    cache_dir: Path, graph: Path, by: list[str], allowed: str
) -> None:
    """What makes the second `rolegraph nearest` fast: the entry's store and catalogue, and nothing that parses RDF.
    The blend (the default) reads the role vectors with numpy; by structure, not even numpy."""
    code = (
        "import sys\n"
        "from rolegraph.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(*sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'numpy', 'networkx', 'pyparsing'}))\n"
    )
    args = ["nearest", ROLE, "-k", "4", *by, "--graph", str(graph)]
    first = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    assert first.stdout.splitlines()[-2] == "exit 0", first.stdout + first.stderr  # builds the entry and sidecars
    warm = subprocess.run([sys.executable, "-c", code, "-v", *args], capture_output=True, text=True, check=True)
    *answer, status, heavy = warm.stdout.splitlines()
    assert (status, heavy) == ("exit 0", allowed), warm.stdout + warm.stderr
    assert "cache: using" in warm.stderr and "cache: loaded" not in warm.stderr
    plain = subprocess.run(
        [sys.executable, "-c", code, "--no-cache", *args], capture_output=True, text=True, check=True
    )
    assert plain.stdout.splitlines()[:-2] == answer
    assert len(answer) == 5


def test_a_warm_open_finds_the_entry_by_the_files_digest(cache_dir: Path, graph: Path) -> None:
    digest = cache.cacheable_digest(graph)
    assert digest is not None and cache.open_existing(digest) is None  # nothing built yet
    api.Session.open(graph)
    found = cache.open_existing(digest)
    assert found is not None and found[1] == cache.entries()[0]
    graph.write_text(graph.read_text(encoding="utf-8").replace("Staff", "Stuff", 1), encoding="utf-8")
    changed = cache.cacheable_digest(graph)
    assert changed not in (None, digest) and cache.open_existing(changed or "") is None
    renamed = graph.rename(graph.with_suffix(".txt"))
    assert cache.cacheable_digest(renamed) is None  # not a graph file rolegraph reads
