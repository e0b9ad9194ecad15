"""Faults during a build (issue #7): SIGKILL mid-write, concurrent builds, determinism, concurrent queries.

A build publishes each file by writing a temporary file beside it and renaming it into place,
all under an flock on the output folder. So a build killed at any moment leaves every published
file complete (the old bytes or the new ones), and two builds into one folder leave all the files
of one build or all the files of the other. The lock is shown to be taken, not assumed: the test holds
it and sees (in /proc/locks) the builds wait, rather than racing two builds and hoping they overlap.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.synth import write_corpus
from rolegraph.ask.query import get_spec, run
from rolegraph.ask.store import OxigraphStore

PUBLISHED = ("rolegraph.ttl", "rolegraph.jsonld")


def build_command(seeds: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "rolegraph", "build", str(seeds), "-o", str(out), *extra]


def run_build(seeds: Path, out: Path, *extra: str, hashseed: str = "0") -> None:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    proc = subprocess.run(
        build_command(seeds, out, *extra), capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file a build publishes (whatever their number: a build may add a description file)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def corpora(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """Two corpora and their published files (built once, in subprocesses)."""
    root = tmp_path_factory.mktemp("corpora")
    old, new = root / "old", root / "new"
    write_corpus(old / "seeds", 150, seed=1)
    write_corpus(new / "seeds", 350, seed=2)
    run_build(old / "seeds", old / "graph", "--no-validate")
    run_build(new / "seeds", new / "graph", "--no-validate")
    return old / "seeds", new / "seeds", snapshot(old / "graph"), snapshot(new / "graph")


def check_each_file_whole(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """Each published file is the old bytes or the new bytes; returns which build each came from."""
    now = snapshot(out)
    assert set(now) == set(old) == set(new), sorted(now)
    origin = ""
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name}: {len(data)} bytes, neither build's"
        origin += "N" if data == new[name] and data != old[name] else "O"
    return origin


def test_sigkill_at_any_moment_leaves_every_file_whole(
    corpora: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    old_seeds, new_seeds, old, new = corpora
    out = tmp_path / "graph"
    run_build(old_seeds, out, "--no-validate")
    assert snapshot(out) == old
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    started = time.monotonic()
    run_build(new_seeds, tmp_path / "timing", "--no-validate")
    duration = time.monotonic() - started
    origins: list[str] = []
    mid_write = 0
    # half the kills land while a temporary file exists (mid-write), half at moments spread over the run
    for attempt in range(6):
        process = subprocess.Popen(
            build_command(new_seeds, out, "--no-validate"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        if attempt % 2 == 0:
            while process.poll() is None and not any(p.name.endswith(".tmp") for p in out.iterdir()):
                time.sleep(0.0002)
            time.sleep((0, 0.003, 0.01)[attempt // 2])
            mid_write += process.poll() is None
        else:
            time.sleep(duration * (0.4, 0.8, 1.0)[attempt // 2])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        origins.append(check_each_file_whole(out, old, new))
        for name, data in old.items():  # back to the old graph (what a build would write) for the next attempt
            (out / f".{name}.restore").write_bytes(data)
            os.replace(out / f".{name}.restore", out / name)
    assert mid_write >= 2, origins  # the test did kill builds in the middle of writing
    run_build(old_seeds, out, "--no-validate")
    assert snapshot(out) == old
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], leftovers  # the next build swept what the killed ones left behind


def waiting_for(lock: Path) -> set[int]:
    """The processes the kernel lists as blocked on an flock of ``lock`` (``/proc/locks`` marks them ``->``)."""
    stat = lock.stat()
    file_id = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    waiting = set()
    for line in Path("/proc/locks").read_text(encoding="ascii").splitlines():
        fields = line.split()  # "1: -> FLOCK ADVISORY WRITE <pid> <major:minor:inode> 0 EOF"
        if fields[1:3] == ["->", "FLOCK"] and fields[6] == file_id:
            waiting.add(int(fields[5]))
    return waiting


def test_builds_wait_for_the_folder_lock_and_leave_one_build(
    corpora: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    """While another process holds the folder's lock, two builds publish nothing: the kernel shows both
    waiting on it. Released, they publish one after the other, leaving all the files of one build."""
    old_seeds, new_seeds, old, new = corpora
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = tmp_path / "graph"
    out.mkdir()
    lock = out / ".rolegraph.lock"  # the file and the flock that api._locked takes
    with lock.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        processes = [
            subprocess.Popen(
                build_command(seeds, out, "--no-validate"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
            )
            for seeds in (new_seeds, old_seeds)
        ]
        pids = {p.pid for p in processes}
        deadline = time.monotonic() + 300  # a bound that only catches a hang
        while not pids <= waiting_for(lock) and all(p.poll() is None for p in processes):
            assert time.monotonic() < deadline, "the builds neither waited on the lock nor finished"
            time.sleep(0.05)
        assert [p.poll() for p in processes] == [None, None], "a build finished while the folder was locked"
        assert snapshot(out) == {}  # nothing published while the lock is held
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    final = snapshot(out)
    assert final in (old, new), {k: len(v) for k, v in final.items()}


def test_outputs_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_corpus(seeds, 60, seed=5)
    outputs = []
    for n, hashseed in enumerate(("0", "1", "4242", "random")):
        out = tmp_path / f"graph{n}"
        run_build(seeds, out, hashseed=hashseed)  # with SHACL validation, as published
        outputs.append(snapshot(out))
    assert all(o == outputs[0] for o in outputs[1:])
    assert set(outputs[0]) >= set(PUBLISHED)


def test_sixteen_threads_query_the_embedded_store(synth_graph: Path) -> None:
    store = OxigraphStore.from_file(synth_graph)
    roles = run(get_spec("roles"), {}, store).values()
    jobs: list[tuple[str, dict[str, str]]] = [("counts", {}), ("roles", {})]
    for row in roles[:: max(1, len(roles) // 12)]:
        jobs += [("role", {"code": str(row[0])}), ("role-skills", {"code": str(row[0])})]
        jobs += [("pay-by-level", {"function": str(row[2])}), ("focus-ladder", {"focus": str(row[4])})]
    expected = {i: run(get_spec(name), params, store).values() for i, (name, params) in enumerate(jobs)}

    def ask(i: int) -> tuple[int, list[tuple[object, ...]]]:
        name, params = jobs[i % len(jobs)]
        return i % len(jobs), run(get_spec(name), params, store).values()

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(ask, range(len(jobs) * 8)))
    assert len(answers) == len(jobs) * 8
    for i, rows in answers:
        assert rows == expected[i], jobs[i]
