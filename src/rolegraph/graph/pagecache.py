"""The build's page cache: what each page adds to the graph, kept by the page's content hash.

``rolegraph build`` turns every page into a :class:`~rolegraph.graph.rdf.PageFragment` (parse, then
the page's triples). A page whose bytes, name, base IRI and rolegraph version were seen before is
read back from here instead, and only the merge (where pages meet: conflicts, aliases, siblings,
ladders), SHACL and the writers run over the whole graph again. So a rebuild after editing one
page of 10,000 parses and builds one page.

An entry is one file, ``<folder>/<key[:2]>/<key>.json``: a header line (``MAGIC``, the key, the
body's length and CRC-32) then the fragment as JSON, its strings in one table. The key is the
SHA-256 of :data:`SCHEMA`, the rolegraph version, the base IRI, the page's name and its bytes, so
an edited, renamed or re-versioned page is a new key, never a stale hit. An entry whose header,
length, checksum or JSON does not match is ignored, rebuilt and overwritten: never trusted.
Entries are written atomically (a temporary file renamed into place), so concurrent builds at
worst write the same bytes twice. A page that is bad (a parse error, a code that cannot become
an IRI) is never cached: it is read and reported every time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any, Final

from rolegraph import __version__
from rolegraph.graph.rdf import PageFragment
from rolegraph.pages.model import Source

log = logging.getLogger(__name__)

#: bump when :class:`PageFragment` or what the builder makes of a page changes: old entries are then never read
SCHEMA: Final = 2
MAGIC: Final = b"rolegraph-page"
FOLDER: Final = "pages"  # under the cache root (``rolegraph cache path``)

#: how many entries this process read back and wrote; the tests observe the cache through them
hits = 0
writes = 0


def page_key(name: str, data: bytes, base: str) -> str:
    """The entry of a page named ``name`` (its path as the build shows it) with bytes ``data``."""
    h = hashlib.sha256()
    for part in (f"{SCHEMA}", __version__, base, name):
        h.update(part.encode("utf-8") + b"\0")
    h.update(data)
    return h.hexdigest()


def entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def load(folder: Path, key: str, strings: dict[str, str] | None = None) -> PageFragment | None:
    """The fragment kept under ``key``, or None when there is none or it is damaged (then it is rebuilt).

    ``strings`` shares one object per distinct text across the fragments of a build.
    """
    global hits  # noqa: PLW0603 - a counter the tests read
    path = entry_path(folder, key)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        fragment = _decode(raw, key, strings)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        log.info("cache: page entry %s is damaged (%s); rebuilding it", path, exc)
        return None
    hits += 1
    return fragment


def store(folder: Path, key: str, fragment: PageFragment) -> None:
    """Keep ``fragment`` under ``key`` (atomically); a cache that cannot be written is skipped with a log line."""
    global writes  # noqa: PLW0603
    if fragment.error is not None:
        return
    if write_entry(entry_path(folder, key), _encode(fragment, key)):
        writes += 1


def write_entry(path: Path, data: bytes) -> bool:
    """Write a cache file atomically (temporary, then rename; no fsync: a torn entry fails its check and is
    rebuilt). A cache that cannot be written is skipped with a log line and False."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("cache: cannot write %s (%s); going on without it", path, exc)
        return False
    return True


# -- the format ----------------------------------------------------------------------------------------


def _encode(f: PageFragment, key: str) -> bytes:
    strings: dict[str, int] = {}

    def ix(text: str) -> int:
        found = strings.get(text)
        if found is None:
            found = strings[text] = len(strings)
        return found

    sources: dict[Source | None, int] = {}

    def src(where: Source | None) -> list[int]:
        return [-1, 0] if where is None else [ix(where.path), where.line]

    def src_ix(where: Source | None) -> int:
        found = sources.get(where)
        if found is None:
            found = sources[where] = len(sources)
        return found

    names, role_code, aliases = f.names
    body = {
        "path": ix(f.path),
        "plain": [ix(term) for k in f.plain for term in k],
        "facts": [n for k, where in f.facts for n in (*(ix(term) for term in k), src_ix(where))],
        "locations": [n for node, rank, path, line in f.locations for n in (ix(node), rank, ix(path), line)],
        "distinctions": [
            [ix(fn), ix(name), ix(focus), ix(distinction), *src(where)]
            for fn, name, focus, distinction, where in f.distinctions
        ],
        "focus_name": None if f.focus_name is None else [ix(t) for t in f.focus_name],
        "levels": [[ix(track), rank] for track, rank in f.levels],
        "roles": [ix(r) for r in f.roles],
        "skills": [ix(s) for s in f.skills],
        "names": [[ix(k), ix(code)] for k, code in names],
        "role_code": ix(role_code),
        "aliases": [[ix(title), ix(path), line] for title, path, line in aliases],
        "warnings": [ix(w) for w in f.warnings],
    }
    body["sources"] = [src(where) for where in sources]  # the facts' sources, by index
    data = json.dumps({"strings": list(strings), **body}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return frame(MAGIC, key, data)


def frame(magic: bytes, key: str, data: bytes) -> bytes:
    """A cache entry: a header line (``magic``, the key, the body's length and CRC-32), then ``data``."""
    return b"%s %s %d %d\n" % (magic, key.encode("ascii"), len(data), zlib.crc32(data)) + data


def unframe(raw: bytes, magic: bytes, key: str, what: str) -> bytes:
    """The body of an entry :func:`frame` wrote with ``magic`` and ``key``; ValueError (``not {what}``) for any
    other file, or one whose length or checksum does not match (torn, damaged)."""
    header, newline, data = raw.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 4 or parts[0] != magic or parts[1] != key.encode("ascii"):
        raise ValueError(f"not {what}")
    if int(parts[2]) != len(data) or int(parts[3]) != zlib.crc32(data):
        raise ValueError("its length or checksum does not match")
    return data


def _decode(raw: bytes, key: str, strings: dict[str, str] | None = None) -> PageFragment:
    data = unframe(raw, MAGIC, key, "an entry for this page")
    body: dict[str, Any] = json.loads(data)
    table: list[str] = body["strings"]
    if not all(isinstance(t, str) for t in table):
        raise TypeError("a string table with a non-string")
    if strings is not None:  # one object per distinct text across the pages of a build
        share = strings.setdefault
        table = [share(t, t) for t in table]

    def src(path: int, line: int) -> Source | None:
        return None if path < 0 else Source(table[path], int(line))

    sources = [src(path, line) for path, line in body["sources"]]
    plain = [table[i] for i in body["plain"]]
    facts = body["facts"]
    if len(plain) % 4 or len(facts) % 5:
        raise ValueError("a triple cut short")
    keys = iter(plain)
    f = PageFragment(table[body["path"]])
    f.plain = list(zip(keys, keys, keys, keys, strict=True))
    f.facts = [
        ((table[facts[i]], table[facts[i + 1]], table[facts[i + 2]], table[facts[i + 3]]), sources[facts[i + 4]])
        for i in range(0, len(facts), 5)
    ]
    loc = body["locations"]
    f.locations = [(table[loc[i]], int(loc[i + 1]), table[loc[i + 2]], int(loc[i + 3])) for i in range(0, len(loc), 4)]
    f.distinctions = []
    for fn, name, focus, distinction, path, line in body["distinctions"]:
        where = src(path, line)
        if where is None:
            raise ValueError("a distinction without a source")
        f.distinctions.append((table[fn], table[name], table[focus], table[distinction], where))
    if body["focus_name"] is not None:
        fn, name, focus = (table[i] for i in body["focus_name"])
        f.focus_name = (fn, name, focus)
    f.levels = [(table[track], int(rank)) for track, rank in body["levels"]]
    f.roles = [table[i] for i in body["roles"]]
    f.skills = [table[i] for i in body["skills"]]
    f.names = (
        [(table[k], table[code]) for k, code in body["names"]],
        table[body["role_code"]],
        [(table[title], table[path], int(line)) for title, path, line in body["aliases"]],
    )
    f.warnings = tuple(table[i] for i in body["warnings"])
    keyed = {*body["plain"][1::4], *body["plain"][2::4], *facts[1::5], *facts[2::5]}  # predicates and objects
    if any(table[i][:1] not in ("0", "1") for i in keyed):
        raise ValueError("a malformed triple")  # never reaches the graph
    return f
