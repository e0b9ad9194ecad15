"""The build's kept merge: the last merged graph of a set of inputs, each triple counted by the pages stating it.

The page cache (:mod:`rolegraph.graph.pagecache`) spares a rebuild parsing and building unchanged
pages, but every page restates its focus's other levels (about 470 triple adds per real-size page,
144 kept), so reading 10,000 fragments back and merging them cost nearly what parsing did. So each
build with the cache also keeps its merge here: the pages it was made of (name and page-cache key,
in page order), every triple the pages state (sorted) with how many of the pages' plain adds and
fact adds state it, and each page's fragment without its triples (what the links that need every
page read: locations, siblings, levels, names). The next build of the same inputs takes the removed
and edited pages' triples out (their fragments read back from the page cache by their old key),
puts the new ones in, checks the facts those pages state against the rest, and links the whole
graph again from the kept fragments. :func:`update` gives up (None) whenever it cannot be sure of a
cold build's result: a conflict, a count that does not match, a page whose old fragment is not in
the page cache; the build then merges every page as before, which also gives the cold error.

An entry is one file, ``<pages>/merged/<key>.merge``: a header line (``MAGIC``, the key, the body's
length and CRC-32: ``pagecache.frame``) then the state as JSON, its strings in one table. The key is the SHA-256 of
:data:`SCHEMA`, the page cache's schema, the rolegraph version, the base IRI and the inputs as given,
resolved. An entry whose header, length, checksum or JSON does not match is ignored and replaced.
Entries are written atomically (a temporary file renamed into place); two concurrent builds each
write a whole state, and the one left is a true account of the pages it names, which is all the
next build relies on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

from rolegraph import __version__
from rolegraph.errors import MergeConflictError
from rolegraph.graph import pagecache
from rolegraph.graph.rdf import FUNCTIONAL_KEYS, BuiltGraph, Key, Lit, Merge, PageFragment, light
from rolegraph.pages.model import Source

log = logging.getLogger(__name__)

#: bump when the layout of an entry or what is counted changes: old entries are then never read
SCHEMA: Final = 2  # 2: the page cache's header (CRC-32), not a SHA-256 of its own
MAGIC: Final = b"rolegraph-merged"
FOLDER: Final = "merged"  # under the page cache's folder, so clearing that clears this

#: what this process did with kept merges; the tests observe them through these
reads = 0  # an entry read and found whole
writes = 0
resumed = 0  # builds merged from a kept state

PageId = tuple[str, str]  # (the page's name, its page-cache key)


@dataclass(slots=True)
class State:
    """A merge of the pages :attr:`pages`, as :func:`update` resumes it."""

    pages: list[PageId]
    keys: list[Key]  # sorted; every triple some page states
    plain: list[int]  # per key, how many plain adds of the pages state it
    facts: list[int]  # per key, how many fact adds (a FUNCTIONAL property) state it
    lights: list[PageFragment]  # per page, its fragment without triples (rdf.light)


def state_key(inputs: Sequence[Path], base: str) -> str:
    """The entry of a build of ``inputs`` (as given, resolved) with base IRI ``base``."""
    h = hashlib.sha256()
    for part in (f"{SCHEMA}", f"{pagecache.SCHEMA}", __version__, base, *(str(p.resolve()) for p in inputs)):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def entry_path(pages_folder: Path, key: str) -> Path:
    return pages_folder / FOLDER / f"{key}.merge"


def of_merge(merging: Merge, pages: list[PageId], built: BuiltGraph) -> State:
    """The state of a whole merge made with ``keep`` (its page keys picked from the built graph's sorted keys)."""
    plain, facts = merging.plain_counts, merging.fact_counts
    keys = [k for k in built.keys if k in plain or k in facts]
    return State(pages, keys, [plain[k] for k in keys], [facts[k] for k in keys], merging.lights)


def worth_resuming(changed: int, pages: int) -> bool:
    """Whether to resume a kept merge when ``changed`` pages (added or removed) differ from it: when more
    than a quarter of the pages did, merging every page costs no more."""
    return changed * 4 <= pages


def rewrite_after(pages: int) -> int:
    """How many pages may change before a resumed merge is kept in place of the one it resumed.

    Writing the state costs seconds at 10,000 pages, more than resuming from an older one whose
    changed pages are read back from the page cache; so a few edits leave the kept merge as it is.
    """
    return max(16, pages // 100)


# -- resuming ------------------------------------------------------------------------------------------


def update(
    state: State,
    pages: list[PageId],
    added: dict[PageId, PageFragment],
    removed: Sequence[PageFragment],
    base: str,
) -> tuple[BuiltGraph, State] | None:
    """The graph of ``pages`` from ``state``: ``removed`` fragments out, ``added`` ones in (by page id).

    None when the result could differ from a cold merge's (then merge every page): a triple taken
    out that the state does not hold, two values of one fact, a link that disagrees with a page.
    """
    delta: Counter[Key] = Counter()
    fact_delta: Counter[Key] = Counter()
    for f in removed:
        delta.subtract(f.plain)
        fact_delta.subtract(key for key, _ in f.facts)
    for f in added.values():
        delta.update(f.plain)
        fact_delta.update(key for key, _ in f.facts)
    applied = _apply(state, delta, fact_delta)
    if applied is None:
        return None
    keys, plain, facts = applied
    for s, pk in {(k[0], k[1]) for f in added.values() for k, _ in f.facts}:
        if len(_stated(keys, facts, s, pk)) > 1:
            return None  # two pages disagree: the cold merge says which, and where
    kept = dict(zip(state.pages, state.lights, strict=True))
    merging = Merge(base)
    lights: list[PageFragment] = []
    for page in pages:
        made = added.get(page)
        lights.append(light(made) if made is not None else kept[page])
        merging.add_light(lights[-1])

    def stated(s: str, pk: str) -> Lit | None:
        values = _stated(keys, facts, s, pk)
        return values[0] if values else None

    merging.m.stated = stated
    try:
        merging.link()
    except MergeConflictError:
        return None
    predicates = set(map(itemgetter(1), keys))  # a derived triple of another predicate is no page's
    derived = sorted(k for k in merging.m.triples if k[1] not in predicates or not _holds(keys, k))
    merging.m.triples.clear()
    merging.m.facts.clear()
    merged = keys + derived
    merged.sort()  # two sorted runs: one merge pass
    return merging.built(merged), State(pages, keys, plain, facts, lights)


def _apply(  # noqa: PLR0912 - one pass over the deltas, then the lists rebuilt once
    state: State, delta: Counter[Key], fact_delta: Counter[Key]
) -> tuple[list[Key], list[int], list[int]] | None:
    """The state's sorted keys and counts with the deltas added (in place where it can), or None when
    they take out more than the state holds (it is not the account of the pages it names)."""
    keys, plain, facts = state.keys, state.plain, state.facts
    new: list[tuple[Key, int, int]] = []
    gone: list[int] = []
    for key in delta.keys() | fact_delta.keys():
        dp, df = delta.get(key, 0), fact_delta.get(key, 0)
        if not (dp or df):
            continue
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            p, f = plain[at] + dp, facts[at] + df
            if p < 0 or f < 0:
                return None
            plain[at], facts[at] = p, f
            if not (p or f):
                gone.append(at)
        elif dp < 0 or df < 0:
            return None
        else:
            new.append((key, dp, df))
    if gone:
        drop = set(gone)
        keep = [i for i in range(len(keys)) if i not in drop] if len(drop) > 64 else None
        if keep is not None:
            keys, plain, facts = [keys[i] for i in keep], [plain[i] for i in keep], [facts[i] for i in keep]
        else:
            for at in sorted(drop, reverse=True):
                del keys[at], plain[at], facts[at]
    if new:
        new.sort()
        out_k: list[Key] = []
        out_p: list[int] = []
        out_f: list[int] = []
        start = 0
        for key, dp, df in new:
            at = bisect_left(keys, key, start)
            out_k += keys[start:at]
            out_p += plain[start:at]
            out_f += facts[start:at]
            out_k.append(key)
            out_p.append(dp)
            out_f.append(df)
            start = at
        out_k += keys[start:]
        out_p += plain[start:]
        out_f += facts[start:]
        keys, plain, facts = out_k, out_p, out_f
    return keys, plain, facts


def _stated(keys: list[Key], facts: list[int], s: str, pk: str) -> list[Lit]:
    """The values fact adds state for (``s``, ``pk``)."""
    if pk not in FUNCTIONAL_KEYS:
        return []
    at = bisect_left(keys, (s, pk, "", ""))  # before every key of (s, pk): object keys start "0" or "1"
    values: list[Lit] = []
    while at < len(keys) and keys[at][0] == s and keys[at][1] == pk:
        if facts[at]:
            values.append((keys[at][2], keys[at][3]))
        at += 1
    return values


def _holds(keys: list[Key], key: Key) -> bool:
    at = bisect_left(keys, key)
    return at < len(keys) and keys[at] == key


# -- the entry -------------------------------------------------------------------------------------------


def load(pages_folder: Path, key: str) -> State | None:
    """The state kept under ``key``, or None when there is none or it is damaged (then it is replaced)."""
    global reads  # noqa: PLW0603 - a counter the tests read
    path = entry_path(pages_folder, key)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        state = _decode(raw, key)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        log.info("cache: kept merge %s is damaged (%s); merging every page", path, exc)
        return None
    reads += 1
    return state


def store(pages_folder: Path, key: str, state: State) -> None:
    """Keep ``state`` under ``key`` (atomically); a cache that cannot be written is skipped with a log line."""
    global writes  # noqa: PLW0603
    if pagecache.write_entry(entry_path(pages_folder, key), _encode(state, key)):
        writes += 1


#: the integer arrays of an entry, each 32-bit unsigned in this machine's byte order (an entry is local)
_ARRAYS: Final = ("s", "p", "o", "d", "plain", "facts", "loc", "dist", "levels", "roles", "skills", "names", "aliases")


def _encode(state: State, key: str) -> bytes:
    keys = state.keys
    columns = list(zip(*keys, strict=True)) if keys else [(), (), (), ()]
    lights = state.lights
    distinctions = [n for f in lights for d in f.distinctions for n in (*d[:4], d[4].path)]
    texts = [
        *(name for name, _ in state.pages),
        *(f.path for f in lights),
        *(t for f in lights if f.focus_name is not None for t in f.focus_name),
        *(w for f in lights for w in f.warnings),
        *(f.names[1] for f in lights),
    ]
    table = list(
        dict.fromkeys(
            chain(
                *columns,
                texts,
                distinctions,
                (t for f in lights for node, _, path, _ in f.locations for t in (node, path)),
                (track for f in lights for track, _ in f.levels),
                (r for f in lights for r in f.roles),
                (r for f in lights for r in f.skills),
                (t for f in lights for pair in f.names[0] for t in pair),
                (t for f in lights for title, path, _ in f.names[2] for t in (title, path)),
            )
        )
    )
    ix = {text: n for n, text in enumerate(table)}.__getitem__
    arrays = {
        "s": map(ix, columns[0]),
        "p": map(ix, columns[1]),
        "o": map(ix, columns[2]),
        "d": map(ix, columns[3]),
        "plain": state.plain,
        "facts": state.facts,
        "loc": (n for f in lights for node, rank, path, line in f.locations for n in (ix(node), rank, ix(path), line)),
        "dist": (
            n
            for f in lights
            for *texts4, where in f.distinctions
            for n in (*map(ix, texts4), ix(where.path), where.line)
        ),
        "levels": (n for f in lights for track, rank in f.levels for n in (ix(track), rank)),
        "roles": (ix(r) for f in lights for r in f.roles),
        "skills": (ix(r) for f in lights for r in f.skills),
        "names": (ix(t) for f in lights for pair in f.names[0] for t in pair),
        "aliases": (n for f in lights for title, path, line in f.names[2] for n in (ix(title), ix(path), line)),
    }
    pages = [
        [
            ix(name),
            page,
            ix(f.path),
            len(f.locations),
            len(f.distinctions),
            None if f.focus_name is None else [ix(t) for t in f.focus_name],
            len(f.levels),
            len(f.roles),
            len(f.skills),
            len(f.names[0]),
            ix(f.names[1]),
            len(f.names[2]),
            [ix(w) for w in f.warnings],
        ]
        for (name, page), f in zip(state.pages, lights, strict=True)
    ]
    head = json.dumps({"strings": table, "pages": pages}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parts = [head]
    for name in _ARRAYS:
        parts.append(array("I", arrays[name]).tobytes())  # an OverflowError for a negative or huge number
    sizes = b" ".join(b"%d" % len(part) for part in parts)
    data = sizes + b"\n" + b"".join(parts)
    return pagecache.frame(MAGIC, key, data)


def _decode(raw: bytes, key: str) -> State:  # noqa: PLR0915 - one section after another, each checked
    data = pagecache.unframe(raw, MAGIC, key, "a kept merge of these inputs")
    sizes_line, _, rest = data.partition(b"\n")
    sizes = [int(n) for n in sizes_line.split(b" ")]
    if len(sizes) != 1 + len(_ARRAYS) or sum(sizes) != len(rest):
        raise ValueError("sections of the wrong length")
    body: dict[str, Any] = json.loads(rest[: sizes[0]])
    t: list[str] = body["strings"]
    if not all(isinstance(s, str) for s in t):
        raise TypeError("a string table with a non-string")
    get = t.__getitem__
    at = sizes[0]
    arrays: dict[str, list[int]] = {}
    for name, size in zip(_ARRAYS, sizes[1:], strict=True):
        numbers = array("I")
        numbers.frombytes(rest[at : at + size])  # a ValueError for a size that is not a whole number of them
        arrays[name] = numbers.tolist()
        at += size
    n = len(arrays["s"])
    if (
        not n
        == len(arrays["p"])
        == len(arrays["o"])
        == len(arrays["d"])
        == len(arrays["plain"])
        == len(arrays["facts"])
    ):
        raise ValueError("a triple cut short")
    keys: list[Key] = list(zip(*(map(get, arrays[c]) for c in "spod"), strict=True))
    loc, dist, levels, names, aliases = (arrays[c] for c in ("loc", "dist", "levels", "names", "aliases"))
    locations = list(zip(map(get, loc[0::4]), loc[1::4], map(get, loc[2::4]), loc[3::4], strict=True))
    distinctions = [
        (get(a), get(b), get(c), get(d), Source(get(p), line))
        for a, b, c, d, p, line in zip(*(dist[i::6] for i in range(6)), strict=True)
    ]
    level_pairs = list(zip(map(get, levels[0::2]), levels[1::2], strict=True))
    roles = list(map(get, arrays["roles"]))
    skills = list(map(get, arrays["skills"]))
    name_pairs = list(zip(map(get, names[0::2]), map(get, names[1::2]), strict=True))
    alias_rows = list(zip(map(get, aliases[0::3]), map(get, aliases[1::3]), aliases[2::3], strict=True))
    pages: list[PageId] = []
    lights: list[PageFragment] = []
    cut = dict.fromkeys(("loc", "dist", "levels", "roles", "skills", "names", "aliases"), 0)

    def take(field: str, rows: list[Any], count: int) -> list[Any]:
        start = cut[field]
        cut[field] = start + count
        if cut[field] > len(rows):
            raise ValueError(f"the pages name more {field} than there are")
        return rows[start : start + count]

    for name, page, path, n_loc, n_dist, focus_name, n_lev, n_roles, n_skills, n_names, code, n_alias, warns in body[
        "pages"
    ]:
        if not isinstance(page, str):
            raise TypeError("a page key that is not text")
        pages.append((get(name), page))
        f = PageFragment(get(path))
        f.locations = take("loc", locations, n_loc)
        f.distinctions = take("dist", distinctions, n_dist)
        if focus_name is not None:
            fn, focus_text, focus = (get(i) for i in focus_name)
            f.focus_name = (fn, focus_text, focus)
        f.levels = take("levels", level_pairs, n_lev)
        f.roles = take("roles", roles, n_roles)
        f.skills = take("skills", skills, n_skills)
        f.names = (take("names", name_pairs, n_names), get(code), take("aliases", alias_rows, n_alias))
        f.warnings = tuple(get(w) for w in warns)
        lights.append(f)
    rows: tuple[Sequence[object], ...] = (locations, distinctions, level_pairs, roles, skills, name_pairs, alias_rows)
    if any(cut[field] != len(r) for field, r in zip(cut, rows, strict=True)):
        raise ValueError("rows that no page names")
    return State(pages, keys, arrays["plain"], arrays["facts"], lights)
