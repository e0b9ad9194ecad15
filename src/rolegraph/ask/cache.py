"""A persistent on-disk Oxigraph store per graph file, so the second command opens it in milliseconds.

The cache folder (:func:`cache_root`) holds one entry per graph content::

    <sha256 of the graph file>-<pyoxigraph version>-<SCHEMA>/
        store/            the Oxigraph (RocksDB) store, bulk-loaded once, then only opened read-only
        manifest.json     written last: the key, the triple count and the size of every store file
        catalogue.json    a sidecar written later by :mod:`rolegraph.api` (the role catalogue, as columns)

An entry is built in a temporary folder beside it under an exclusive lock (one per key), then renamed
into place, so a concurrent first run waits and then uses the entry the first one built. An entry whose
manifest is missing, unreadable or for another key, whose files changed size, whose store fails to open
or (checked once, right after the build) whose triple count differs is discarded and rebuilt, never trusted.
RocksDB checks its blocks' checksums as it reads them: damage inside a data file that keeps its size is
an error of the query that reads it (``rolegraph cache clear`` then rebuilds).

The key is the SHA-256 of the file's bytes. Hashing a 200 MB file costs about 0.2 s, so the digest is
remembered per path with the file's size, mtime, ctime, inode and device (``files/``), and reused while
all of them are unchanged and the file was last modified well before it was hashed (the "racy" case that
git also guards against: a write within the file system's time granularity after the hash).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from rolegraph.formats import RDF_SYNTAXES

log = logging.getLogger(__name__)

#: bump when the layout of an entry or of a sidecar changes: old entries are then never read
#: (2: the catalogue as columns; the distance index is no longer kept, it is made from the catalogue)
SCHEMA: Final = 2
#: a file modified this close (ns) to when it was hashed may change again without its mtime moving
RACY_NS: Final = 2_000_000_000
STORE: Final = "store"
#: folders of the cache root that are not graph entries: the digest memo, the build's page cache
#: (``rolegraph.graph.pagecache``) and the model's embeddings (``rolegraph.align.vectors``), cleared with the rest
NOT_ENTRIES: Final = frozenset({"embeddings", "files", "pages"})
MANIFEST: Final = "manifest.json"
_RDF_SUFFIXES: Final = frozenset(ext for syntax in RDF_SYNTAXES.values() for ext in syntax.extensions)

#: how many entries this process has built (bulk-loaded); tests observe the cache through it
builds = 0


def cache_root() -> Path:
    """``$ROLEGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/rolegraph``, else the platform's user cache folder."""
    override = os.environ.get("ROLEGRAPH_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "rolegraph"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "rolegraph" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "rolegraph"
    return Path.home() / ".cache" / "rolegraph"


def disabled_by_env() -> bool:
    """``ROLEGRAPH_NO_CACHE`` set to anything but empty or 0."""
    return os.environ.get("ROLEGRAPH_NO_CACHE", "") not in ("", "0")


#: RocksDB (the on-disk store) aborts the process, in Rust, under a small address-space limit: 400 MiB
#: aborted and 800 MiB did not, for the 40 KB published graph; below this the graph loads in memory
MIN_ADDRESS_SPACE: Final = 2 << 30


def limit_too_small() -> str | None:
    """The ``ulimit`` (-v or -d) under which the on-disk store could abort the process, or None."""
    if sys.platform == "win32":
        return None
    import resource  # noqa: PLC0415

    for limit, name in ((resource.RLIMIT_AS, "ulimit -v"), (resource.RLIMIT_DATA, "ulimit -d")):
        soft = resource.getrlimit(limit)[0]
        if soft != resource.RLIM_INFINITY and soft < MIN_ADDRESS_SPACE:
            return f"{name} is {soft >> 20} MiB, under {MIN_ADDRESS_SPACE >> 20} MiB"
    return None


#: a graph smaller than this loads in memory, uncached (``$ROLEGRAPH_CACHE_MIN_BYTES`` changes it). A warm open
#: starts sooner even for the 40 KB published graph (`rolegraph nearest`: 0.53 s cached, 1.11 s loaded, on a busy
#: machine), but a query that scans the graph runs ~10x slower from RocksDB than in memory (a FILTER over 2,850
#: values: 11 s against 0.85 s), which a long-running `serve` would pay on every such query
MIN_BYTES: Final = 1 << 20


def too_small_to_cache(path: Path) -> bool:
    """Whether ``path`` is smaller than :data:`MIN_BYTES` (or ``$ROLEGRAPH_CACHE_MIN_BYTES``)."""
    setting = os.environ.get("ROLEGRAPH_CACHE_MIN_BYTES", "")
    floor = int(setting) if setting.isdigit() else MIN_BYTES
    return path.stat().st_size < floor


def entry_name(digest: str) -> str:
    return f"{digest}-{ox.__version__}-{SCHEMA}"


# -- the key ------------------------------------------------------------------------------------------


def _stat_fields(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def file_digest(path: Path, root: Path) -> str:
    """The SHA-256 of ``path``'s bytes, from the memo in ``root/files`` while the file is unchanged."""
    resolved = path.resolve()
    memo = root / "files" / (hashlib.sha256(os.fsencode(resolved)).hexdigest() + ".json")
    before = resolved.stat()
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        saved = json.loads(memo.read_text(encoding="utf-8"))
        if (
            saved["path"] == str(resolved)
            and saved["stat"] == _stat_fields(before)
            and before.st_mtime_ns < saved["hashed_ns"] - RACY_NS
            and isinstance(saved["sha256"], str)
        ):
            return str(saved["sha256"])
    hashed_ns = time.time_ns()
    digest = hashlib.sha256()
    with resolved.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    if _stat_fields(resolved.stat()) == _stat_fields(before):  # not written while it was read
        record = {"path": str(resolved), "stat": _stat_fields(before), "hashed_ns": hashed_ns}
        _write_text(memo, json.dumps({**record, "sha256": digest.hexdigest()}))
    return digest.hexdigest()


# -- entries ------------------------------------------------------------------------------------------


def _store_files(store_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(store_dir.iterdir()) if p.is_file()}


def _read_manifest(entry: Path, name: str) -> dict[str, object] | None:
    """The entry's manifest when it is for ``name`` and every store file it lists still has its size."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("key") != name or not isinstance(files, dict) or not isinstance(manifest["triples"], int):
            return None
        for file, size in files.items():
            if (entry / STORE / file).stat().st_size != size:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return dict(manifest)


def _open_entry(entry: Path, name: str, *, count: bool = False) -> ox.Store | None:
    """The entry's store, read-only, when its manifest and files check out; ``count`` also compares the
    triple count (a full scan: 0.33 s at 10,000 pages, so only right after a build)."""
    manifest = _read_manifest(entry, name)
    if manifest is None:
        return None
    try:
        store = ox.Store.read_only(str(entry / STORE))
        triples = len(store) if count else manifest["triples"]
    except (OSError, RuntimeError, ValueError) as exc:
        log.info("cache: entry %s does not open (%s)", entry.name, exc)
        return None
    if triples != manifest["triples"]:
        log.info("cache: entry %s holds %d triples, its manifest says %s", entry.name, triples, manifest["triples"])
        return None
    return store


def _discard(entry: Path, why: str) -> None:
    if not entry.exists():
        return
    log.info("cache: discarding %s (%s) and rebuilding it", entry.name, why)
    trash = entry.with_name(f".trash-{entry.name}-{os.getpid()}-{time.monotonic_ns()}")
    with contextlib.suppress(OSError):
        entry.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)


def _build(entry: Path, name: str, graph: Path, fmt: ox.RdfFormat, root: Path, extra: Sequence[Path] = ()) -> None:
    global builds  # noqa: PLW0603 - a counter the tests read
    tmp = root / f".tmp-{name}-{os.getpid()}-{time.monotonic_ns()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        start = time.perf_counter()
        store = ox.Store(str(tmp / STORE))
        store.bulk_load(path=str(graph), format=fmt)
        for path in extra:  # files loaded beside the graph (its alignments): Turtle
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        store.optimize()
        store.flush()
        triples = len(store)
        del store  # closes RocksDB: the files are final from here on
        builds += 1
        manifest = {
            "key": name,
            "source": str(graph.resolve()),
            "triples": triples,
            "files": _store_files(tmp / STORE),
        }
        _write_text(tmp / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(tmp, entry)
        log.info(
            "cache: loaded %s into %s (%d triples, %.2f s)", graph, entry.name, triples, time.perf_counter() - start
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def combined_digest(graph: Path, extra: Sequence[Path], root: Path) -> str:
    """The key of ``graph`` with the files loaded beside it (``alignments.ttl``): its own digest when there
    are none, else the digest of every file's digest, so a changed one gets a new entry."""
    digest = file_digest(graph, root)
    if extra:
        digest = hashlib.sha256("+".join([digest, *(file_digest(p, root) for p in extra)]).encode()).hexdigest()
    return digest


def cacheable_digest(graph: Path, extra: Sequence[Path] = ()) -> str | None:
    """The key of ``graph`` (and ``extra``) when it is a file the cache takes: a regular file of a known RDF
    suffix (what :func:`rolegraph.graph.io.format_for` reads), large enough to be cached, under a memory
    limit RocksDB survives; None otherwise (the caller's own checks then say why, or load it in memory).
    """
    if graph.suffix.lower() not in _RDF_SUFFIXES or limit_too_small() is not None:
        return None
    try:
        before = graph.stat()
        if not stat.S_ISREG(before.st_mode) or too_small_to_cache(graph):
            return None
        if any(not stat.S_ISREG(p.stat().st_mode) for p in extra):
            return None
        return combined_digest(graph, extra, cache_root())
    except OSError:
        return None


def open_existing(digest: str) -> tuple[ox.Store, Path] | None:
    """The read-only store and the entry of the graph file with this digest, when the entry exists and
    passes the checks of :func:`open_cached`; None otherwise (:func:`open_cached` then builds it).

    What a warm command runs: with :func:`cacheable_digest`, no RDF parser and no rdflib.
    """
    name = entry_name(digest)
    entry = cache_root() / name
    try:
        store = _open_entry(entry, name)
    except OSError:
        return None
    if store is not None:
        log.info("cache: using %s", name)
        return store, entry
    return None


def open_cached(
    graph: Path, fmt: ox.RdfFormat, extra: Sequence[Path] = (), digest: str | None = None
) -> tuple[ox.Store, Path]:
    """The read-only store of ``graph`` from its cache entry (built first when missing or broken) and the entry;
    ``digest`` is :func:`cacheable_digest`'s, when the caller has it already.

    ``extra`` are Turtle files loaded into the same store (``alignments.ttl`` beside the graph); the
    entry's key is then the digest of every file's digest, so a changed one gets a new entry.

    Raises :class:`OSError` when the cache folder cannot be used (the caller then loads in memory),
    and what ``bulk_load`` raises for a bad file (``SyntaxError``).
    """
    root = cache_root()
    name = entry_name(digest or combined_digest(graph, extra, root))
    entry = root / name
    store = _open_entry(entry, name)
    if store is not None:
        log.info("cache: using %s for %s", name, graph)
        return store, entry
    with _locked(root / f".lock-{name}"):
        store = _open_entry(entry, name)  # built by another process while this one waited
        if store is None:
            _discard(entry, "no valid manifest, or a store that does not match it")
            _build(entry, name, graph, fmt, root, extra)
            store = _open_entry(entry, name, count=True)
            if store is None:
                raise OSError(f"the cache entry {entry} just built does not open")
        else:
            log.info("cache: using %s for %s (built by another process)", name, graph)
    return store, entry


def clear(root: Path | None = None) -> int:
    """Remove every entry (and temporary, lock and memo file) under the cache folder; return the entries removed."""
    root = root or cache_root()
    if not root.is_dir():
        return 0
    removed = 0
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            removed += child.name not in NOT_ENTRIES
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
    return removed


def entries(root: Path | None = None) -> list[Path]:
    root = root or cache_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in NOT_ENTRIES)


# -- sidecars: JSON files written into an entry after it is built -----------------------------------------


def read_json(path: Path) -> object | None:
    """A sidecar's JSON, or None when it is missing or unreadable (then it is recomputed)."""
    try:
        value: object = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.info("cache: ignoring %s (%s); recomputing it", path, exc)
        return None
    return value


def write_json(path: Path, value: object) -> None:
    """Write a sidecar atomically; a cache that cannot be written is only slower, never an error."""
    try:
        _write_text(path, json.dumps(value, separators=(",", ":")))
    except OSError as exc:
        log.info("cache: could not write %s (%s)", path, exc)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """An exclusive whole-file lock (``flock``; ``msvcrt.locking`` on Windows), as a build's output folder has."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fd = handle.fileno()
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl  # noqa: PLC0415

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
