"""The Python face of rolegraph: what the CLI calls, and what a notebook user imports.

>>> from pathlib import Path
>>> from rolegraph import api
>>> summary = api.build([Path("seeds")], Path("graph"))          # doctest: +SKIP
>>> summary.roles, summary.triples                               # doctest: +SKIP
(6, 582)
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal, TypeVar

from rolegraph import formats
from rolegraph.errors import PagesFailed as PagesFailed  # noqa: PLC0414 - re-exported: api.PagesFailed is public
from rolegraph.errors import QueryError, RolegraphError, SeedError, ValidationFailed, os_failure
from rolegraph.text import plural

if TYPE_CHECKING:  # imported where used: `rolegraph nearest` needs neither the builder, SHACL nor rdflib
    import pyoxigraph as ox
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, SDO, SKOS

    from rolegraph.align.aligner import Subject as AlignSubject
    from rolegraph.align.candidates import Candidate
    from rolegraph.align.candidates import Target as AlignTarget
    from rolegraph.align.check import Claim
    from rolegraph.align.mappings import Lookup
    from rolegraph.align.similarity import By as By  # noqa: PLC0414 - named by the web app's type hints
    from rolegraph.align.similarity import Move, Similarity
    from rolegraph.align.skills import SkillSubject
    from rolegraph.align.vocab import Concept
    from rolegraph.ask.query import QuerySpec, check_local, could_fetch, get_spec, library
    from rolegraph.ask.remote import Endpoint, PushResult
    from rolegraph.ask.store import Engine, QueryStore, Table, query_failed, term_value
    from rolegraph.errors import MissingExtra
    from rolegraph.graph.io import write_atomic
    from rolegraph.graph.rdf import BuiltGraph, Key, PageFragment
    from rolegraph.graph.validate import Report, ShaclEngine
    from rolegraph.graph.vocab import RG
    from rolegraph.pages.model import Page
    from rolegraph.publish.diff import Change
    from rolegraph.publish.draw import Target
    from rolegraph.resources import resource
    from rolegraph.roles.catalogue import Catalogue, RoleInfo, UnknownRole, skill_overlap
    from rolegraph.roles.distance import Band, CareerPath, Component, Distance, DistanceConfig, RoleGraph
    from rolegraph.roles.index import DistanceIndex

__all__ = [
    "CURATED_MAPPINGS",
    "DCTERMS",
    "DEFAULT_BASE",
    "DEFAULT_GRAPH_IRI",
    "DEFAULT_OUT",
    "DEFAULT_SEEDS",
    "GRAPH_NAME",
    "RG",
    "SDO",
    "SKOS",
    "Alignment",
    "AlignmentsWritten",
    "BuildSummary",
    "Catalogue",
    "Comparison",
    "Component",
    "Distance",
    "DistanceConfig",
    "Endpoint",
    "GraphDiff",
    "MissingExtra",
    "PagesFailed",
    "RoleDescription",
    "RoleDetails",
    "RoleInfo",
    "Session",
    "Table",
    "UnknownRole",
    "alignments_sssom",
    "bind_query",
    "build",
    "cache_folder",
    "check_claims",
    "check_local",
    "check_report",
    "clear_cache",
    "could_fetch",
    "curated_files",
    "decided",
    "diff",
    "draw",
    "export_format",
    "get_spec",
    "graph_base",
    "library",
    "page_files",
    "parse_pages",
    "picture_format",
    "prepare_query",
    "publish",
    "push",
    "query_failed",
    "reference_lookup",
    "render_table",
    "resource",
    "role_alignments",
    "serve",
    "skill_concepts",
    "skill_overlap",
    "stated_soc_claims",
    "term_value",
    "to_json",
    "validate_file",
    "without_decisions",
    "write_alignments",
    "write_atomic",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: what ``--by`` (and ``?by=`` on the web) may name: rolegraph.align.similarity.BYS, kept here so the CLI
#: lists them without importing numpy
BYS: Final = ("structure", "skills", "text", "blend")

#: what the CLI and the web app use from the stages, re-exported here (``api`` is their one door) and
#: imported on first use (PEP 562), so that ``import rolegraph.api`` stays as cheap as ``rolegraph --help`` needs
_REEXPORTS: Final = {
    "Candidate": "rolegraph.align.candidates",
    "Catalogue": "rolegraph.roles.catalogue",
    "DCTERMS": "rolegraph.graph.vocab",
    "Component": "rolegraph.roles.distance",
    "Distance": "rolegraph.roles.distance",
    "DistanceConfig": "rolegraph.roles.distance",
    "Endpoint": "rolegraph.ask.remote",
    "MissingExtra": "rolegraph.errors",
    "RG": "rolegraph.graph.vocab",
    "RoleInfo": "rolegraph.roles.catalogue",
    "SDO": "rolegraph.graph.vocab",
    "SKOS": "rolegraph.graph.vocab",
    "Table": "rolegraph.ask.store",
    "UnknownRole": "rolegraph.roles.catalogue",
    "check_local": "rolegraph.ask.query",
    "could_fetch": "rolegraph.ask.query",
    "get_spec": "rolegraph.ask.query",
    "library": "rolegraph.ask.query",
    "query_failed": "rolegraph.ask.store",
    "resource": "rolegraph.resources",
    "skill_overlap": "rolegraph.roles.catalogue",
    "term_value": "rolegraph.ask.store",
    "write_atomic": "rolegraph.graph.io",
}


def __getattr__(name: str) -> object:
    """The names of :data:`_REEXPORTS`, imported from their stage the first time they are asked for."""
    module = _REEXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup finds it without this function
    return value


DEFAULT_SEEDS = formats.DEFAULT_SEEDS
DEFAULT_OUT = formats.DEFAULT_OUT
GRAPH_NAME = formats.GRAPH_NAME
DEFAULT_GRAPH_IRI = formats.DEFAULT_GRAPH_IRI
DEFAULT_BASE = formats.DEFAULT_BASE


@dataclass(frozen=True, slots=True)
class BuildSummary:
    pages: int
    roles: int
    skills: int
    triples: int
    seconds: float
    outputs: tuple[Path, ...]
    bad_pages: tuple[SeedError, ...]
    report: Report | None
    warnings: tuple[str, ...] = ()  # ``path:line: ...``: worth a look, did not stop the build

    def text(self) -> str:
        checked = "conforms" if self.report is not None else "not validated"
        counts = (plural(self.pages, "page"), plural(self.roles, "role"), plural(self.skills, "skill"))
        return f"{', '.join(counts)}, {plural(self.triples, 'triple')}; SHACL: {checked}; {self.seconds:.2f} s"


def page_files(inputs: Sequence[Path]) -> list[tuple[Path, Path | None]]:
    from rolegraph.pages.parse import display_path, iter_page_files  # noqa: PLC0415

    files = list(iter_page_files(inputs))
    named: dict[str, Path] = {}
    for path, root in files:
        if root is None and not path.exists():  # a file given directly (in a folder, reading it says why)
            raise SeedError(str(path), 0, "an existing page file or folder", "nothing there")
        name = display_path(path, root)  # what names the page in the graph and in errors
        if name in named:
            raise SeedError(str(path), 0, f"a page name of its own ({name!r})", f"the same name for {named[name]}")
        named[name] = path
    if not files:
        shown = ", ".join(str(p) for p in inputs) or "(no inputs)"
        raise SeedError(shown, 0, "canon profile pages (*.txt)", "none")
    return files


PageFiles = Sequence[tuple[Path, Path | None]]


def parse_pages(
    inputs: Sequence[Path],
    *,
    on_page: Callable[[Path], None] | None = None,
    files: PageFiles | None = None,
) -> tuple[list[Page], list[SeedError]]:
    """Parse every page; return the good ones and the errors of the bad ones (nothing is lost).

    ``files`` is :func:`page_files` of ``inputs`` when the caller has listed them already (the CLI
    does, to size its progress bar), so the folders are not walked twice.
    """
    from rolegraph.pages.parse import parse_page  # noqa: PLC0415

    pages: list[Page] = []
    errors: list[SeedError] = []
    listed = files if files is not None else page_files(inputs)
    log.info("reading pages: %d", len(listed))
    for path, root in listed:
        try:
            pages.append(parse_page(path, root))
        except SeedError as exc:
            errors.append(exc)
        if on_page is not None:
            on_page(path)
    return pages, errors


def page_fragments(
    inputs: Sequence[Path],
    base: str = DEFAULT_BASE,
    *,
    files: PageFiles | None = None,
    cache: bool | None = None,
    page_ids: Sequence[tuple[str, str] | None] | None = None,
) -> Iterator[tuple[Path, PageFragment | SeedError]]:
    """What each page adds to the graph (or why it is bad), one page at a time, in page order.

    A page already in the page cache (same name, bytes, base and rolegraph version) is read from it
    instead of being parsed and built (:mod:`rolegraph.graph.pagecache`); the others are parsed and
    built in two processes when there are many, while this one reads the cached ones. ``page_ids``
    is :func:`_page_ids` of the pages when the caller has them already.
    """
    from rolegraph.graph import pagecache  # noqa: PLC0415
    from rolegraph.graph.rdf import share_strings  # noqa: PLC0415

    folder = _page_cache(cache)
    listed = files if files is not None else page_files(inputs)
    if page_ids is None:  # else the caller has read them (and said so)
        log.info("reading pages: %d", len(listed))
    if folder is not None and page_ids is None:
        page_ids = _page_ids(listed, base)
    keys: list[str | None] = []  # the cache key of a page that may be cached, else None
    for found in page_ids if folder is not None and page_ids is not None else [None] * len(listed):
        key = None if found is None else found[1]
        keys.append(key if key is not None and pagecache.entry_path(folder, key).is_file() else None)  # type: ignore[arg-type]
    todo = [(path, root) for (path, root), key in zip(listed, keys, strict=True) if key is None]
    log.info("building pages: %d (%d from the cache)", len(todo), len(listed) - len(todo))
    strings: dict[str, str] = {}  # one object per distinct text across pages (share_strings)
    built = _make_fragments(todo, base, folder)
    for (path, root), key in zip(listed, keys, strict=True):
        made: PageFragment | SeedError | None = None
        if key is None:
            made = next(built)
        else:
            made = pagecache.load(folder, key, strings) if folder is not None else None
            if made is not None:  # its strings are shared already
                yield path, made
                continue
            made = _restored(_fragment_of((path, root, base, folder)))  # a damaged entry: built again here
        yield path, made if isinstance(made, SeedError) else share_strings(made, strings)


def _page_cache(cache: bool | None) -> Path | None:
    """The page cache's folder, or None when the build reads no cache (``cache``, else the environment)."""
    from rolegraph.ask.cache import cache_root, disabled_by_env  # noqa: PLC0415
    from rolegraph.graph import pagecache  # noqa: PLC0415

    use_cache = not disabled_by_env() if cache is None else cache
    return cache_root() / pagecache.FOLDER if use_cache else None


def _page_ids(listed: PageFiles, base: str) -> list[tuple[str, str] | None]:
    """Each page's name and page-cache key, or None for a page that cannot be read (reported when it is built)."""
    from rolegraph.graph import pagecache  # noqa: PLC0415
    from rolegraph.pages.parse import read_page  # noqa: PLC0415

    ids: list[tuple[str, str] | None] = []
    for path, root in listed:
        try:
            name, data = read_page(path, root)
        except SeedError:
            ids.append(None)
        else:
            ids.append((name, pagecache.page_key(name, data, base)))
    return ids


#: below this many pages to build, one process builds them (starting others costs more than it saves)
PARALLEL_MIN = 200


def _make_fragments(
    todo: Sequence[tuple[Path, Path | None]], base: str, folder: Path | None
) -> Iterator[PageFragment | SeedError]:
    """Read, parse and build each page of ``todo`` (file, root), in order, keeping each in the cache.

    Many pages are built by two forked worker processes (``fork`` only: a spawned process would
    import everything again); what crosses between processes is plain data.
    """
    import multiprocessing  # noqa: PLC0415

    tasks = [(path, root, base, folder) for path, root in todo]
    if len(todo) < PARALLEL_MIN or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield _restored(_fragment_of(task))
        return
    with multiprocessing.get_context("fork").Pool(2, initializer=_worker_init) as pool:
        for made in pool.imap(_fragment_of, tasks, chunksize=16):
            yield _restored(made)


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the pool


_Portable = tuple[type[BaseException], tuple[object, ...], dict[str, object]]


def _fragment_of(task: tuple[Path, Path | None, str, Path | None]) -> tuple[PageFragment | None, _Portable | None]:
    """One page read, parsed, built and kept in the cache; an error as plain data (errors do not pickle)."""
    from rolegraph.graph import pagecache  # noqa: PLC0415
    from rolegraph.graph.rdf import page_fragment  # noqa: PLC0415
    from rolegraph.pages.parse import parse_page_bytes, read_page  # noqa: PLC0415

    path, root, base, folder = task
    try:
        name, data = read_page(path, root)
        fragment = page_fragment(parse_page_bytes(data, name), base)
    except SeedError as exc:
        return None, (type(exc), exc.args, dict(vars(exc)))
    if folder is not None:
        pagecache.store(folder, pagecache.page_key(name, data, base), fragment)
    error = fragment.error
    fragment.error = None
    return fragment, None if error is None else (type(error), error.args, dict(vars(error)))


def _restored(made: tuple[PageFragment | None, _Portable | None]) -> PageFragment | SeedError:
    fragment, portable = made
    error: BaseException | None = None
    if portable is not None:
        cls, args, state = portable
        error = cls.__new__(cls, *args)
        error.args = args
        vars(error).update(state)
    if fragment is None:
        assert isinstance(error, SeedError)  # noqa: S101 - what _fragment_of catches
        return error
    if error is not None:
        assert isinstance(error, RolegraphError)  # noqa: S101 - a code that cannot become an IRI
        fragment.error = error
    return fragment


def build(
    inputs: Sequence[Path] = (DEFAULT_SEEDS,),
    out_dir: Path = DEFAULT_OUT,
    *,
    keep_going: bool = False,
    validate: bool = True,
    base: str = DEFAULT_BASE,
    on_page: Callable[[Path], None] | None = None,
    shacl_engine: ShaclEngine = "turbo",
    files: PageFiles | None = None,
    cache: bool | None = None,
) -> BuildSummary:
    """Parse pages, build the graph, validate it, write ``rolegraph.ttl`` and ``rolegraph.jsonld``.

    ``cache`` (default: unless ``ROLEGRAPH_NO_CACHE`` is set) reads what unchanged pages add to the
    graph from the page cache in the user cache folder, and keeps what changed ones add (docs/cache.md).

    Raises :class:`PagesFailed` when a page is bad (unless ``keep_going``), a
    :class:`~rolegraph.errors.MergeConflictError` when pages disagree, and
    :class:`~rolegraph.errors.ValidationFailed` when the graph does not conform; in each case
    nothing is written.
    """
    from rolegraph.graph.validate import Handover, validate_graph  # noqa: PLC0415

    start = time.perf_counter()
    with _no_gc():
        built, errors, warnings = _merged_pages(inputs, base, files, cache, on_page, keep_going=keep_going)
        built = _with_decisions(built, inputs, base, errors, keep_going=keep_going)  # seeds/mappings.sssom.tsv
        built.keys = _compacted(built.keys)
    pages, roles, skills, triples = built.pages, built.roles, built.skills, len(built)
    report = None
    if validate:
        # the files are serialised on this thread while SHACL runs on another (pyshacl-turbo's engine
        # lets go of the GIL): they are written only once the report says the graph conforms. Each
        # side lets go of the keys when done with them, so that the engine's copy of the graph is
        # not held beside ours for long (bench/RESULTS.md, peak memory).
        log.info("SHACL: validating %d triples with %s", triples, shacl_engine)
        handover = Handover(built.rdf_triples(), built.source_locations())
        # the engine reads the graph first (Python work that would only share the GIL with the writers),
        # then validates in Rust while this thread writes
        with _in_background(lambda: validate_graph(handover, engine=shacl_engine), first=handover.read) as shacl:
            del handover
            blobs = serialise(built, out_dir, base=base)
            del built
            _give_back_memory()
            with contextlib.ExitStack() as unless_kept:  # the temporary files, closed unless they are published
                for _, spool in blobs:
                    unless_kept.callback(spool.close)
                report = shacl()
                if not report.conforms:
                    raise ValidationFailed(
                        f"the graph does not conform to the shapes ({len(report.findings)} results); "
                        "nothing was written",
                        report,
                    )
                unless_kept.pop_all()
    else:
        blobs = serialise(built, out_dir, base=base)
    outputs = write_blobs(blobs, out_dir)
    return BuildSummary(
        pages=pages,
        roles=roles,
        skills=skills,
        triples=triples,
        seconds=time.perf_counter() - start,
        outputs=outputs,
        bad_pages=tuple(errors),
        report=report,
        warnings=tuple(warnings),
    )


def _merged_pages(  # noqa: PLR0912 - the page loop keeps a cold build's order of errors
    inputs: Sequence[Path],
    base: str,
    files: PageFiles | None,
    cache: bool | None,
    on_page: Callable[[Path], None] | None,
    *,
    keep_going: bool,
) -> tuple[BuiltGraph, list[SeedError], list[str]]:
    """The graph of the good pages, the bad pages' errors and the warnings, each page merged as it
    comes (its records dropped). Errors keep a cold build's order: bad pages first, then an alias
    naming another role, then pages that disagree.

    With the cache, the last build's merge of the same inputs is resumed when it can be
    (:mod:`rolegraph.graph.mergestate`: only the pages that changed are taken out and put back),
    and this build's merge is kept for the next."""
    from rolegraph.graph import mergestate  # noqa: PLC0415
    from rolegraph.graph.rdf import Merge  # noqa: PLC0415
    from rolegraph.pages.model import RoleNames  # noqa: PLC0415
    from rolegraph.pages.parse import check_role_names  # noqa: PLC0415

    listed = files if files is not None else page_files(inputs)
    folder = _page_cache(cache)
    page_ids = None
    if folder is not None:
        log.info("reading pages: %d", len(listed))
        page_ids = _page_ids(listed, base)
    state_key = mergestate.state_key(inputs, base)
    if folder is not None and page_ids is not None and None not in page_ids:
        resumed = _resumed_merge(listed, page_ids, base, folder, state_key, on_page)  # type: ignore[arg-type]
        if resumed is not None:
            return resumed
    merging = Merge(base, keep=folder is not None)
    merged_ids: list[tuple[str, str]] = []
    names: list[RoleNames] = []
    warnings: list[str] = []
    errors: list[SeedError] = []
    merge_error: RolegraphError | None = None
    made_pages = page_fragments(inputs, base, files=listed, cache=cache, page_ids=page_ids)
    for at, (path, made) in enumerate(made_pages):
        if isinstance(made, SeedError):
            errors.append(made)
        else:
            names.append(made.names)
            warnings.extend(made.warnings)
            if merge_error is None:
                try:
                    merging.add(made)
                except RolegraphError as exc:
                    merge_error = exc
                else:
                    found = page_ids[at] if page_ids is not None else None
                    if found is not None:
                        merged_ids.append(found)
        if on_page is not None:
            on_page(path)
    if errors and not keep_going:
        raise PagesFailed(errors, len(names) + len(errors))
    if not names:
        raise PagesFailed(errors, len(errors))
    check_role_names(names)
    if merge_error is not None:
        raise merge_error
    built = merging.finish()
    if folder is not None and len(merged_ids) == len(merging.lights):
        mergestate.store(folder, state_key, mergestate.of_merge(merging, merged_ids, built))
    return built, errors, warnings


def _resumed_merge(
    listed: PageFiles,
    page_ids: list[tuple[str, str]],
    base: str,
    folder: Path,
    state_key: str,
    on_page: Callable[[Path], None] | None,
) -> tuple[BuiltGraph, list[SeedError], list[str]] | None:
    """The graph from the last build's kept merge, the pages that changed taken out and put back;
    None when there is none or it cannot be resumed exactly (then every page is merged)."""
    from rolegraph.graph import mergestate, pagecache  # noqa: PLC0415
    from rolegraph.pages.parse import check_role_names  # noqa: PLC0415

    state = mergestate.load(folder, state_key)
    if state is None:
        return None
    before, now = set(state.pages), set(page_ids)
    added_at = [at for at, found in enumerate(page_ids) if found not in before]
    removed = [found for found in state.pages if found not in now]
    if not mergestate.worth_resuming(len(added_at) + len(removed), len(page_ids)):
        return None
    log.info("merging: %d pages changed since the kept merge", len(added_at) + len(removed))
    old = [pagecache.load(folder, key) for _, key in removed]  # their triples, to take out
    if any(f is None for f in old):
        return None
    added: dict[tuple[str, str], PageFragment] = {}
    todo = [listed[at] for at in added_at]
    for at, (_, made) in zip(added_at, page_fragments((), base, files=todo, cache=True), strict=True):
        if isinstance(made, SeedError) or made.error is not None:
            return None  # a bad page: the whole merge reports it as a cold build does
        added[page_ids[at]] = made
    resumed = mergestate.update(state, page_ids, added, [f for f in old if f is not None], base)
    if resumed is None:
        log.info("merging: the kept merge cannot be resumed exactly; merging every page")
        return None
    built, new_state = resumed
    if on_page is not None:
        for path, _ in listed:
            on_page(path)
    check_role_names([f.names for f in new_state.lights])
    if len(added) + len(removed) > mergestate.rewrite_after(len(page_ids)):
        mergestate.store(folder, state_key, new_state)  # else the next build resumes the same kept merge
    mergestate.resumed += 1
    return built, [], [w for f in new_state.lights for w in f.warnings]


def publish(built: BuiltGraph, out_dir: Path, *, base: str = DEFAULT_BASE) -> tuple[Path, ...]:
    """Serialise every published format and the dataset description first, then rename each into place under a lock."""
    return write_blobs(serialise(built, out_dir, base=base), out_dir)


def serialise(built: BuiltGraph, out_dir: Path, *, base: str = DEFAULT_BASE) -> list[tuple[Path, BinaryIO]]:
    """Every published file (the graph in each format, then ``void.ttl``), by target path, each in an
    anonymous temporary file: a large graph's text is never held in memory whole."""
    import tempfile  # noqa: PLC0415

    from rolegraph.graph.describe import DESCRIPTION_NAME, KeyCounts, description_turtle  # noqa: PLC0415
    from rolegraph.graph.io import FORMATS, KEY_WRITERS, PUBLISHED  # noqa: PLC0415

    blobs: list[tuple[Path, BinaryIO]] = []
    target = out_dir
    try:
        for name in PUBLISHED:
            target = out_dir / f"{GRAPH_NAME}{FORMATS[name].extension}"
            spool: BinaryIO = tempfile.TemporaryFile(prefix="rolegraph-")  # noqa: SIM115 - closed by write_blobs
            blobs.append((target, spool))
            KEY_WRITERS[name](built.keys, spool)
        sizes = [(path, spool.tell()) for path, spool in blobs]
        target = out_dir / DESCRIPTION_NAME
        description = tempfile.TemporaryFile(prefix="rolegraph-")  # noqa: SIM115
        blobs.append((target, description))
        description.write(description_turtle(KeyCounts.of(built.keys), sizes, base))
    except BaseException as exc:
        for _, spool in blobs:
            spool.close()
        if isinstance(exc, OSError):  # a file-size limit, a full temporary folder: one line naming the output
            raise os_failure(target, exc, "a writable file") from None
        raise
    return blobs


def write_blobs(blobs: Sequence[tuple[Path, BinaryIO]], out_dir: Path) -> tuple[Path, ...]:
    """Copy each file into place (atomically, under the folder's lock, Ctrl-C held until all are); close them."""
    from rolegraph.graph.io import sweep_temporaries, write_atomic  # noqa: PLC0415

    try:
        with _locked(out_dir), _interrupt_deferred():
            for path, data in blobs:
                sweep_temporaries(path)  # left by a build that was killed mid-write
                write_atomic(path, data)
    finally:
        for _, spool in blobs:
            spool.close()
    return tuple(path for path, _ in blobs)


def _compacted(keys: list[Key]) -> list[Key]:
    """The same keys in fresh memory, the old ones let go first.

    Merging pages leaves each key among the freed objects of the pages that restated it (at 10,000
    pages 130 MB of 350 MB was free but held, since Python gives back only wholly empty 1 MB
    arenas), so neither that memory nor, later, the keys' own could be given back while SHACL runs.
    ``marshal`` keeps the keys' shared strings shared; the round trip costs about 0.6 s at 10,000 pages.
    (gc.collect runs while the keys are out of memory: a few thousand objects to scan, not millions.)
    """
    import marshal  # noqa: PLC0415

    data = marshal.dumps(keys)
    keys.clear()
    gc.collect()  # the merge's cyclic garbage (the collector is paused while pages merge) pins arenas too
    return list(marshal.loads(data))  # noqa: S302 - our own bytes, made a line above


def _give_back_memory() -> None:
    """Return the C allocator's free pages to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # noqa: PLC0415

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, for one)
        return
    trim(0)


@contextmanager
def _in_background(work: Callable[[], T], *, first: threading.Event | None = None) -> Iterator[Callable[[], T]]:
    """Start ``work`` on a worker thread; the context gives a function that waits for its result.

    With ``first``, the context is entered only once the worker has set that event (or ended).

    pyshacl-turbo validates in Rust and does not come back to Python for up to a minute, so Ctrl-C
    (KeyboardInterrupt, delivered only to the main thread) would wait for it; waiting in short
    slices lets it through within a fraction of a second. The worker cannot be stopped: it is a
    daemon, and the CLI exits 130 without waiting for it (``cli.main``). Nothing has been written
    while it runs. Off the main thread, ``work`` runs when its result is asked for.
    """
    if threading.current_thread() is not threading.main_thread():
        yield work
        return
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    worker = threading.Thread(target=run, name="rolegraph-shacl", daemon=True)
    worker.start()
    while first is not None and not first.wait(0.1) and worker.is_alive():
        pass

    def result() -> T:
        while worker.is_alive():
            worker.join(0.1)
        if failure:
            raise failure[0]
        return outcome[0]

    yield result


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold Ctrl-C while the files are renamed into place (a build is published whole, never half), then raise it."""
    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


@contextmanager
def _no_gc() -> Iterator[None]:
    """Parsing and building allocate millions of acyclic objects: the cyclic collector only rescans
    them (it cost 5 s of 19 for 10,000 pages, bench/RESULTS.md), so pause it while they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder, so two builds never interleave their files."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = (out_dir / ".rolegraph.lock").open("a")
    except OSError as exc:  # a read-only folder, a path through a file: the user's to fix
        raise os_failure(out_dir, exc, "a writable folder") from None
    with handle:
        _lock(handle.fileno(), exclusive=True)
        try:
            yield
        finally:
            _lock(handle.fileno(), exclusive=False)


def _lock(fd: int, *, exclusive: bool) -> None:
    """Take (or drop) the whole-file lock: ``flock`` on POSIX, ``msvcrt.locking`` on Windows.

    Imported here, not at the top, so that ``import rolegraph.api`` works where one of them is missing.
    """
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK if exclusive else msvcrt.LK_UNLCK, 1)
    else:
        import fcntl  # noqa: PLC0415

        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_UN)


def validate_file(path: Path, fmt: str | None = None, shacl_engine: ShaclEngine = "turbo") -> Report:
    """Validate any Turtle, N-Triples or JSON-LD file against the shipped shapes."""
    from rolegraph.graph.io import FORMATS, load_graph  # noqa: PLC0415
    from rolegraph.graph.validate import validate_graph  # noqa: PLC0415

    graph = load_graph(path, FORMATS[fmt] if fmt else None)
    return validate_graph(graph, engine=shacl_engine)


# -- asking the graph -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleDetails:
    role: RoleInfo
    level_title: str | None
    experience: tuple[int | None, int | None]
    pay: tuple[int, int, int, str] | None  # median, low, high, currency
    skills: tuple[str, ...]
    responsibilities: tuple[str, ...]

    def record(self) -> dict[str, object]:
        """One role of ``rolegraph compare -f json``: the CSV export's column names, lists as lists, None if unknown."""
        r = self.role
        median, low, high, currency = self.pay if self.pay is not None else (None, None, None, None)
        return {
            "code": r.code,
            "title": r.title,
            "function": r.function,
            "function_name": r.function_name,
            "focus": r.focus,
            "focus_name": r.focus_name,
            "level": r.level,
            "track": r.track,
            "rank": r.rank,
            "level_title": self.level_title,
            "min_years": self.experience[0],
            "max_years": self.experience[1],
            "pay_median": median,
            "pay_low": low,
            "pay_high": high,
            "currency": currency,
            "skills": list(self.skills),
            "responsibilities": list(self.responsibilities),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    a: RoleDetails
    b: RoleDetails
    shared_skills: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    distance: Distance

    def record(self, path: CareerPath | None = None) -> dict[str, object]:
        """The JSON shape of ``rolegraph compare -f json`` (docs/json.md), with the career path when given."""
        return {
            "a": self.a.role.code,
            "b": self.b.role.code,
            "roles": [self.a.record(), self.b.record()],
            "distance": self.distance.record(),
            "path": None if path is None else path.record(),
            "shared_skills": list(self.shared_skills),
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
        }


def to_json(value: object) -> str:
    """An answer's record as JSON text: indented, UTF-8 as is, no NaN or infinity, one final newline.

    What every ``-f json`` of the CLI prints (``record()`` of a distance, a path, a comparison, ...).
    """
    import json  # noqa: PLC0415

    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@dataclass(slots=True)
class Session:
    """One loaded graph: a store, its role catalogue and the distance structure.

    >>> s = Session.open(Path("graph/rolegraph.ttl"))                  # doctest: +SKIP
    >>> [n.b for n in s.nearest("DATASC.AIMACHIN97C0.P7", k=2)]        # doctest: +SKIP
    ['DATASC.AIMACHIN97C0.P6', 'DATASC.AIMACHIN97C0.P5']
    """

    store: QueryStore
    config: DistanceConfig
    _catalogue: Catalogue | None = None
    _graph: RoleGraph | None = None
    _index: DistanceIndex | None = None
    #: False when opened with the cache off: role-text vectors are then computed and never saved
    _cached: bool = True
    _similarity: Similarity | None = None
    source: str = "the graph"  # the file or endpoint, as errors name it

    @classmethod
    def open(
        cls,
        graph: Path | None = None,
        config: DistanceConfig | None = None,
        engine: Engine = "oxigraph",
        *,
        cache: bool | None = None,
        alignments: bool = True,
    ) -> Session:
        """The graph in ``graph`` [graph/rolegraph.ttl]. ``cache`` (default: unless ``ROLEGRAPH_NO_CACHE``
        is set) opens the embedded store, catalogue and distance index from the on-disk cache
        (:mod:`rolegraph.ask.cache`), built the first time a graph file is opened. With ``alignments``,
        ``alignments.ttl`` beside the graph (what ``rolegraph align --write`` publishes), when it
        exists, is loaded into the same store."""
        from rolegraph.ask.cache import disabled_by_env  # noqa: PLC0415
        from rolegraph.ask.store import DEFAULT_GRAPH, open_store  # noqa: PLC0415
        from rolegraph.roles.distance import DistanceConfig  # noqa: PLC0415

        use_cache = not disabled_by_env() if cache is None else cache
        store = open_store(graph, engine, cache=use_cache, alignments=alignments)
        session = cls(store, config or DistanceConfig(), source=str(graph or DEFAULT_GRAPH))
        session._cached = use_cache
        return session

    @property
    def _entry(self) -> Path | None:
        """The cache entry the store came from, where the catalogue and the index are kept too."""
        return getattr(self.store, "entry", None)

    @classmethod
    def remote(
        cls, endpoint: Endpoint | str, graph_iri: str | None = None, config: DistanceConfig | None = None
    ) -> Session:
        """A graph in a remote SPARQL 1.1 store: ``endpoint`` is its query URL or an :class:`Endpoint`
        (credentials, time limits, retries); ``graph_iri`` the named graph [where :func:`push` loads]."""
        from rolegraph.ask.remote import Endpoint, RemoteStore  # noqa: PLC0415
        from rolegraph.roles.distance import DistanceConfig  # noqa: PLC0415

        where = Endpoint(query=endpoint) if isinstance(endpoint, str) else endpoint
        store = RemoteStore(where, graph_iri or DEFAULT_GRAPH_IRI)
        return cls(store, config or DistanceConfig(), source=where.query)

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            from rolegraph.ask.cache import read_json, write_json  # noqa: PLC0415
            from rolegraph.roles.catalogue import (  # noqa: PLC0415
                catalogue_from_json,
                catalogue_to_json,
                load_catalogue,
            )

            entry = self._entry
            saved = None if entry is None else read_json(entry / "catalogue.json")
            if saved is not None:
                try:
                    self._catalogue = catalogue_from_json(saved)
                except ValueError as exc:
                    log.info("cache: ignoring %s (%s); recomputing it", entry, exc)
            if self._catalogue is None:
                self._catalogue = load_catalogue(self.store, self.source)
                if entry is not None:
                    write_json(entry / "catalogue.json", catalogue_to_json(self._catalogue))
        return self._catalogue

    @property
    def roles(self) -> RoleGraph:
        """The networkx structure (career paths); distances and nearest roles use :attr:`index`."""
        if self._graph is None:
            from rolegraph.roles.distance import RoleGraph  # noqa: PLC0415

            self._graph = RoleGraph(self.catalogue, self.config)
        return self._graph

    @property
    def index(self) -> DistanceIndex:
        """The distance index: the same answers as :attr:`roles`, without walking a graph per query; made
        from the catalogue (about 10 ms at 10,000 roles, so a cache entry does not keep it)."""
        if self._index is None:
            from rolegraph.roles.index import DistanceIndex  # noqa: PLC0415

            self._index = DistanceIndex(self.catalogue, self.config)
        return self._index

    def role(self, name: str) -> RoleInfo:
        return self.catalogue.resolve(name)

    def query(
        self,
        name_or_file: str | Path | QuerySpec,
        params: Mapping[str, str] | None = None,
        *,
        allow_network: bool = False,
    ) -> Table:
        """Run a shipped query by name, a ``.rq`` file, or a :class:`~rolegraph.ask.query.QuerySpec` read already."""
        from rolegraph.ask.query import QuerySpec, get_spec, user_spec  # noqa: PLC0415
        from rolegraph.ask.query import run as run_query  # noqa: PLC0415

        if isinstance(name_or_file, QuerySpec):
            spec = name_or_file
        else:
            spec = user_spec(name_or_file) if isinstance(name_or_file, Path) else get_spec(name_or_file)
        return run_query(spec, params or {}, self.store, allow_network=allow_network)

    def values(self, name: str, **params: str) -> list[tuple[str | None, ...]]:
        """A shipped query's rows as plain values: IRIs and lexical forms, None where unbound.

        In the embedded store no rdflib term is made (most of a small query's time); the web
        pages read their queries this way.
        """
        from rolegraph.ask.query import get_spec  # noqa: PLC0415
        from rolegraph.ask.store import OxigraphStore  # noqa: PLC0415

        spec = get_spec(name)
        if isinstance(self.store, OxigraphStore):
            return self.store.select_values(spec.text, spec.bind(params))
        return [tuple(None if t is None else str(t) for t in row) for row in self.query(spec, params).rows]

    def description(self, name: str) -> RoleDescription:
        """Everything the graph says about a role (``role-description.rq``): what ``compare``, the
        role page and the role's JSON-LD are all read from."""
        code = self.role(name).code
        return RoleDescription.of(self.values("role-description", code=code), code)

    def evaluate(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Oxigraph's own result for a query (what ``/sparql`` serialises); only the embedded store has one.

        Unguarded: the caller checks the query first (:func:`check_local`). Drop the result on the
        thread that made it (see :meth:`rolegraph.ask.store.OxigraphStore.evaluate`).
        """
        from rolegraph.ask.store import OxigraphStore  # noqa: PLC0415

        if not isinstance(self.store, OxigraphStore):
            raise QueryError(f"expected the embedded Oxigraph store to run a query as typed, found {self.source}")
        return self.store.evaluate(text)

    def export(self, fmt: str, role: str | None = None) -> bytes:
        """The graph, or one role (code, title or alias), in an export format (``rolegraph.publish.export.EXPORTS``)."""
        from rolegraph.publish.export import export  # noqa: PLC0415

        return export(self, fmt, self.role(role) if role else None)

    @property
    def similarity(self) -> Similarity:
        """The skill-aware components (skills, text, level) beside the index; text only with the align extra.

        What they read besides the catalogue is kept in the graph's cache entry: ``similarity.json`` (pay
        medians, the skills' exact and close matches) and ``role-vectors-v2-<model>.npy`` (what each role does,
        embedded once): a warm query neither reads the roles' texts nor loads the model."""
        if self._similarity is None:
            from rolegraph.align.embed import MODEL_ID, available, encoder  # noqa: PLC0415
            from rolegraph.align.similarity import (  # noqa: PLC0415
                ROLE_VECTORS,
                RoleText,
                Side,
                Similarity,
                load_role_texts,
                read_vectors,
                role_vectors,
                write_vectors,
            )
            from rolegraph.ask.cache import read_json, write_json  # noqa: PLC0415
            from rolegraph.roles.arrays import ArrayIndex  # noqa: PLC0415

            entry = self._entry
            arrays = ArrayIndex(self.catalogue, self.config)
            texts: dict[str, RoleText] | None = None
            side: Side | None = None
            saved = None if entry is None else read_json(entry / "similarity.json")
            if saved is not None:
                try:
                    side = Side.from_json(saved)
                except (TypeError, ValueError) as exc:
                    log.info("cache: ignoring %s (%s); recomputing it", entry, exc)
            if side is None:
                texts = load_role_texts(self.store)
                side = Side.of(self.store, texts)
                if entry is not None:
                    write_json(entry / "similarity.json", side.to_json())
            vectors = None
            if available():
                where = None if entry is None else entry / ROLE_VECTORS.format(model=MODEL_ID)
                vectors = None if where is None else read_vectors(where, len(arrays.roles))
                if vectors is None:
                    texts = texts or load_role_texts(self.store)
                    vectors = role_vectors(arrays, texts, encoder, cache=self._cached)
                    if where is not None:
                        write_vectors(where, vectors)
            self._similarity = Similarity(arrays, concept_of=side.concepts, medians=side.medians, vectors=vectors)
        return self._similarity

    def default_by(self) -> By:
        """What ``by=None`` means: ``blend`` (docs/distance.md), with the text component when the align extra is
        installed and without it (structure, skills and level) otherwise."""
        return "blend"

    def distance(self, a: str, b: str, by: By | None = None) -> Distance:
        """The distance from A to B by ``by``: ``structure``, ``skills``, ``text`` or ``blend`` [blend]."""
        by = by or self.default_by()
        ra, rb = self.role(a), self.role(b)  # an unknown name fails before any vector is loaded
        if by == "structure":
            return self.index.distance(ra, rb)
        return self.similarity.distance(ra, rb, by)

    def nearest(
        self,
        a: str,
        k: int = 10,
        band: Band | None = None,
        within: Literal["function", "focus"] | None = None,
        by: By | None = None,
    ) -> list[Distance]:
        by = by or self.default_by()
        role = self.role(a)
        if by == "structure":
            return self.index.nearest(role, k=k, band=band, within=within)
        return self.similarity.nearest(role, k=k, band=band, within=within, by=by)

    def move(self, a: str, b: str, by: By | None = None) -> Move:
        """How ready someone in A is for B: the weighted share of B's skills A covers, less level jumps; with the
        ``by`` distance of A and B [blend] and its components beside it."""
        ra, rb = self.role(a), self.role(b)
        return self.similarity.move(ra, rb, by or self.default_by())

    def nearest_records(
        self,
        a: str,
        k: int = 10,
        band: Band | None = None,
        within: Literal["function", "focus"] | None = None,
        by: By | None = None,
    ) -> list[dict[str, object]]:
        """:meth:`nearest` as plain records (``rolegraph nearest -f json``; ``pandas.DataFrame(records)``)."""
        roles = self.catalogue.roles
        found = []
        for d in self.nearest(a, k=k, band=band, within=within, by=by):
            other = roles[d.b]
            record: dict[str, object] = {"code": d.b, "title": other.title, "level": other.level}
            record.update((key, value) for key, value in d.record().items() if key not in {"a", "b"})
            found.append(record)
        return found

    def path(self, a: str, b: str, by: By | None = None) -> CareerPath:
        """The cheapest career path; ``found`` is false (no steps, cost inf) when no moves join A and B.

        Each move costs the ``by`` distance of its two roles [blend]; ``structure`` costs the moves graph's
        weights (a level 1, a sibling focus 2, ...), as :meth:`RoleGraph.path` does."""
        by = by or self.default_by()
        ra, rb = self.role(a), self.role(b)
        if by == "structure":
            return self.roles.path(ra, rb)
        return self.similarity.path(ra, rb, by)

    def details(self, name: str) -> RoleDetails:
        from rolegraph.graph.vocab import RG, SDO, SKOS  # noqa: PLC0415

        role = self.role(name)
        g = self.description(role.code)
        level = g.one(g.role, RG.level)
        salary = g.one(g.role, SDO.estimatedSalary)
        median, low, high = (_int(g.one(salary, p)) for p in (SDO.median, SDO.minValue, SDO.maxValue))
        pay = None
        if median is not None and low is not None and high is not None:
            pay = (median, low, high, g.one(salary, SDO.currency) or "")
        duties = (g.one(r, SDO.description) for r in g.ordered(g.all(g.role, RG.responsibility)))
        return RoleDetails(
            role=role,
            level_title=g.one(level, SKOS.prefLabel),
            experience=(_int(g.one(level, RG.experienceMinYears)), _int(g.one(level, RG.experienceMaxYears))),
            pay=pay,
            skills=self.catalogue.skills_of(role.code),
            responsibilities=tuple(text for text in duties if text is not None),
        )

    def compare(self, a: str, b: str, by: By | None = None) -> Comparison:
        from rolegraph.roles.catalogue import skill_overlap  # noqa: PLC0415

        da, db = self.details(a), self.details(b)
        shared, only_a, only_b = skill_overlap(da.skills, db.skills)
        return Comparison(da, db, shared, only_a, only_b, self.distance(da.role.code, db.role.code, by))

    # -- alignment with ESCO, ISCO-08 and O*NET-SOC (docs/alignment.md) -------------------------------

    def align(
        self, names: Sequence[str] = (), target: AlignTarget = "onet", k: int = 5, *, stated: bool = True
    ) -> list[Candidate]:
        """The ``k`` best reference concepts for each role in ``names`` (every role when empty), or, for
        ``esco-skills``, for each of their skills (each skill once). ``stated=False`` ignores the pages'
        own classification codes (to check those claims against the text). AlignUnavailable (exit 2)
        without the align extra."""
        from rolegraph.align.aligner import default_aligner  # noqa: PLC0415
        from rolegraph.align.skills import align_skills  # noqa: PLC0415

        roles = [self.role(n) for n in names] if names else sorted(self.catalogue.roles.values(), key=_code)
        aligner = default_aligner(self._base())
        if target == "esco-skills":
            skills: dict[str, SkillSubject] = {}
            for role in roles:
                for skill in self.align_skills_of(role.code):
                    skills.setdefault(skill.iri, skill)
            return align_skills(aligner.skills(), list(skills.values()), k)
        subjects = [self.align_subject(role.code, stated=stated) for role in roles]
        queries = aligner.embed(subjects)
        return [c for subject, q in zip(subjects, queries, strict=True) for c in aligner.align(subject, target, k, q)]

    def align_subject(self, name: str, *, stated: bool = True) -> AlignSubject:
        """A role as the aligner sees it: titles, focus definition, responsibilities, skills and stated codes."""
        from rolegraph.align.aligner import Subject  # noqa: PLC0415
        from rolegraph.align.similarity import without_contrasts  # noqa: PLC0415
        from rolegraph.graph.vocab import RG, SDO, SKOS  # noqa: PLC0415

        role = self.role(name)
        g = self.description(role.code)
        focus = g.one(g.role, RG.focus)
        duties = (g.one(r, SDO.description) for r in g.ordered(g.all(g.role, RG.responsibility)))
        skills = [f"{s.label}: {s.description}" for s in self.align_skills_of(role.code)]
        soc: list[str] = []
        isco: list[str] = []
        for mapping in g.all(g.role, RG.mapping) if stated else ():
            code = g.one(g.one(mapping, RG.mappedCode), SKOS.notation)
            scheme = g.one(mapping, RG.mappingScheme)
            if code and scheme == "ISCO-08":
                isco.append(code)
            elif code and scheme == "O*NET / SOC":
                soc.append(code)
        return Subject(
            g.role or role.code,
            role.title,
            (role.focus_name, *role.aliases),
            without_contrasts(g.one(focus, SKOS.definition) or ""),
            (*(d for d in duties if d), *skills),
            tuple(sorted(set(soc))),
            tuple(sorted(set(isco))),
            name=role.focus_name,
        )

    def align_skills_of(self, name: str) -> list[SkillSubject]:
        """A role's skills (IRI, name, how its focus applies it), in page order."""
        from rolegraph.align.skills import SkillSubject  # noqa: PLC0415
        from rolegraph.graph.vocab import RG, SDO, SKOS  # noqa: PLC0415

        g = self.description(self.role(name).code)
        focus = g.one(g.role, RG.focus)
        out: list[SkillSubject] = []
        for req in g.ordered(g.all(focus, RG.skillRequirement)):
            skill = g.one(req, RG.skill)
            label = g.one(skill, SKOS.prefLabel)
            if skill and label:
                out.append(SkillSubject(skill, label, g.one(req, SDO.description) or ""))
        return out

    def _base(self) -> str:
        """The graph's base IRI, read off a role's IRI (the reference concepts are minted under it)."""
        role = next(iter(sorted(self.catalogue.roles)), None)
        iri = self.description(role).role if role else None
        return iri.split("role/", 1)[0] if iri and "role/" in iri else DEFAULT_BASE


def _code(role: RoleInfo) -> str:
    return role.code


def align_evaluate(gold: Path, k: int = 5) -> dict[str, object]:
    """``n``, ``top1``, ``top5``, ``mrr`` and a per-confidence breakdown of the aligner on a gold file
    (``esco_uri``, ``soc2018``); only those two columns are read (:mod:`rolegraph.align.evaluate`)."""
    from rolegraph.align.aligner import default_aligner  # noqa: PLC0415
    from rolegraph.align.evaluate import evaluate, read_gold  # noqa: PLC0415

    rows = read_gold(gold)
    return evaluate(rows, default_aligner(), k).summary()


class RoleDescription:
    """The rows of ``role-description.rq`` as subject -> predicate -> values (IRIs and lexical forms), in order.

    >>> g = Session.open().description("DATASC.AIMACHIN97C0.P7")          # doctest: +SKIP
    >>> g.one(g.one(g.role, RG.level), SKOS.prefLabel)                      # doctest: +SKIP
    'Staff / Distinguished Professional'
    """

    def __init__(self, props: dict[str, dict[str, list[str]]], role: str | None) -> None:
        self.props = props
        self.role = role  # the role's IRI

    @classmethod
    def of(cls, rows: Iterable[tuple[str | None, ...]], code: str) -> RoleDescription:
        props: dict[str, dict[str, list[str]]] = {}
        for s, p, o in rows:
            if s is not None and p is not None and o is not None:
                props.setdefault(s, {}).setdefault(p, []).append(o)
        from rolegraph.graph.vocab import RG, SKOS  # noqa: PLC0415

        described = cls(props, None)
        described.role = described.subject(SKOS.notation, code, RG.focus)
        return described

    def all(self, subject: str | None, prop: URIRef) -> list[str]:
        return [] if subject is None else self.props.get(subject, {}).get(str(prop), [])

    def one(self, subject: str | None, prop: URIRef) -> str | None:
        values = self.all(subject, prop)
        return values[0] if values else None

    def subject(self, prop: URIRef, value: str, having: URIRef) -> str | None:
        """The subject with ``prop`` = ``value`` that also has ``having`` (the role, by its notation)."""
        return next(
            (s for s, props in self.props.items() if value in props.get(str(prop), ()) and str(having) in props), None
        )

    def ordered(self, subjects: Iterable[str]) -> list[str]:
        """``subjects`` by their ``rg:ordinal`` (page order)."""
        from rolegraph.graph.vocab import RG  # noqa: PLC0415

        return sorted(subjects, key=lambda n: _int(self.one(n, RG.ordinal)) or 0)


def _int(value: str | None) -> int | None:
    return None if value is None else int(Decimal(value))


# -- the rest of the ecosystem: remote stores, export, diff, pictures, the web server ---------------


def cache_folder() -> Path:
    """Where loaded graphs are cached: ``$ROLEGRAPH_CACHE_DIR``, else the user cache folder."""
    from rolegraph.ask.cache import cache_root  # noqa: PLC0415

    return cache_root()


def clear_cache() -> int:
    """Remove every cache entry; return how many there were."""
    from rolegraph.ask.cache import clear  # noqa: PLC0415

    return clear()


def push(
    path: Path,
    endpoint: Endpoint | str,
    graph_iri: str | None = None,
    *,
    lossy_durations: bool = False,
    alignments: bool = True,
) -> PushResult:
    """Load a Turtle or N-Triples file into a named graph of a SPARQL 1.1 store (staging graph, then one swap;
    on Oxigraph, one request that writes the difference with the live graph).

    With ``alignments``, the graph's ``alignments.ttl`` beside it (what ``rolegraph align --write``
    publishes), when it exists, goes with it in the same upload: the store then holds what a local
    :class:`Session` of the file queries. A store that changes xsd:duration literals (Virtuoso 7.2) is
    refused unless ``lossy_durations``."""
    from rolegraph.ask.remote import Endpoint  # noqa: PLC0415
    from rolegraph.ask.remote import push as push_graph  # noqa: PLC0415
    from rolegraph.ask.store import alignments_beside  # noqa: PLC0415

    where = Endpoint(query=endpoint) if isinstance(endpoint, str) else endpoint
    extra = alignments_beside(path) if alignments else ()
    return push_graph(path, where, graph_iri or DEFAULT_GRAPH_IRI, lossy_durations=lossy_durations, extra=extra)


def prepare_query(
    name: str | None, file: Path | None, params: Sequence[str], *, local: bool, allow_network: bool = False
) -> tuple[QuerySpec, dict[str, str]]:
    """A shipped query (``name``) or a ``.rq`` ``file`` with its ``NAME=VALUE`` parameters, every check
    done before a graph is read: the parameters parse and bind, and a local user query passes the
    network guard. Returns the query and its parameters, for :meth:`Session.query`."""
    from rolegraph.ask.query import check_local, get_spec, parse_param_options, user_spec  # noqa: PLC0415

    raw = parse_param_options(params)
    spec = user_spec(file) if file is not None else get_spec(str(name))
    spec.bind(raw)
    if local and not spec.shipped:
        check_local(spec.text, allow_network=allow_network)
    return spec, raw


def bind_query(spec: QuerySpec, params: Mapping[str, str]) -> str:
    """The text of ``spec`` with ``params`` bound in a leading ``VALUES`` block (never pasted)."""
    from rolegraph.ask.store import bind_values  # noqa: PLC0415

    return bind_values(spec.text, spec.bind(params))


def render_table(table: Table, fmt: str) -> str:
    """A query's answer as text: ``table``, ``json``, ``csv`` or ``tsv``."""
    from rolegraph.ask.query import OUTPUT_FORMATS  # noqa: PLC0415

    return OUTPUT_FORMATS[fmt](table)


def export_format(fmt: str | None, out: str | None) -> str:
    """The export format asked for, or the one the output file name implies; checked before the graph is read."""
    from rolegraph.publish.export import EXPORTS, ExportError, format_for_path  # noqa: PLC0415

    chosen = fmt or (format_for_path(out) if out and out != "-" else None)
    if chosen is None:
        raise ExportError("expected --format (" + ", ".join(EXPORTS) + ")", hint="or an -o file name that implies one")
    return chosen


class GraphDiff:
    """What changed from build ``old`` to build ``new`` (graph files or ``REV:path``).

    A plain class, not a dataclass: each dataclass costs ``import rolegraph.api`` about a millisecond.
    """

    __slots__ = ("changes", "new", "old")

    def __init__(self, old: str, new: str, changes: tuple[Change, ...]) -> None:
        self.old, self.new, self.changes = old, new, changes

    def render(self, fmt: Literal["text", "json"] = "text") -> str:
        from rolegraph.publish import diff as differ  # noqa: PLC0415

        write = differ.as_json if fmt == "json" else differ.as_text
        return write(list(self.changes), self.old, self.new)


def diff(old: str, new: str) -> GraphDiff:
    """Roles, skills, levels, pay and mappings added, removed or changed between two builds."""
    from rolegraph.publish import diff as differ  # noqa: PLC0415

    changes = differ.compare(differ.snapshot(differ.load(old)), differ.snapshot(differ.load(new)))
    return GraphDiff(old, new, tuple(changes))


def picture_format(out: Path) -> str:
    """The picture format (png, svg, pdf) that ``out`` names: check it before a graph is read."""
    from rolegraph.publish.draw import output_format  # noqa: PLC0415

    return output_format(out)


def draw(session: Session, name: str, out: Path, *, k: int = 8, reference: str | None = None) -> Target:
    """Draw a focus's ladder or the taxonomy around a role into ``out`` (needs the ``draw`` extra)."""
    from rolegraph.publish.draw import draw as draw_picture  # noqa: PLC0415

    return draw_picture(session, name, out, k=k, reference=reference)


def serve(
    session: Session,
    graph: Path,
    host: str,
    port: int,
    announce: Callable[[str], None],
    *,
    query_timeout: float | None = None,
    max_queries: int | None = None,
) -> int:
    """Serve ``session`` read-only over HTTP until Ctrl-C (:func:`rolegraph.web.app.serve`); returns the
    worker threads still alive."""
    from rolegraph.web.app import create_app  # noqa: PLC0415
    from rolegraph.web.app import serve as run_server  # noqa: PLC0415
    from rolegraph.web.limits import DEFAULT_MAX_QUERIES, DEFAULT_TIMEOUT  # noqa: PLC0415

    app = create_app(
        session,
        graph,
        query_timeout=DEFAULT_TIMEOUT if query_timeout is None else query_timeout,
        max_queries=DEFAULT_MAX_QUERIES if max_queries is None else max_queries,
    )
    return run_server(app, host, port, announce)


# -- alignments as data (issue 16): the SSSOM file, graph/alignments.ttl, curated decisions, --check --------
# (kept together, apart from the aligner's own functions, so the two branches merge cleanly)

#: the curated file a build reads beside the pages: a taxonomist's accepted and rejected alignments
CURATED_MAPPINGS: Final = "mappings.sssom.tsv"


def reference_lookup(base: str = DEFAULT_BASE) -> Lookup:
    """``(target, iri) -> Concept | None`` over the vendored vocabularies, each read once on first use."""
    from rolegraph.align.vocab import concepts  # noqa: PLC0415

    def lookup(target: AlignTarget, iri: str) -> Concept | None:
        return concepts(target, base).get(iri)  # each vocabulary is read once (concepts is cached)

    return lookup


def curated_files(inputs: Sequence[Path]) -> list[tuple[Path, str]]:
    """The curated mappings files beside the pages: in each folder given, and beside each page file given
    directly; each with the name the graph records (relative to the folder given, as a page's name is)."""
    found: dict[Path, tuple[Path, str]] = {}
    several = len(inputs) > 1
    for item in inputs:
        folder = item if item.is_dir() else item.parent
        path = folder / CURATED_MAPPINGS
        if not path.is_file():
            continue
        name = (
            f"{Path(os.path.abspath(folder)).name}/{CURATED_MAPPINGS}"
            if several and item.is_dir()
            else CURATED_MAPPINGS
        )
        found.setdefault(Path(os.path.realpath(path)), (path, name))
    return list(found.values())


def _with_decisions(
    built: BuiltGraph, inputs: Sequence[Path], base: str, errors: list[SeedError], *, keep_going: bool
) -> BuiltGraph:
    """The graph plus the curated decisions of :func:`curated_files` (the same graph when there are none).

    A bad row is an error like a bad page's (``file:line: expected ..., found ...``): it stops the build
    (:class:`~rolegraph.errors.MappingsFailed`, exit 2) unless ``keep_going``, which skips it.
    """
    files = curated_files(inputs)
    if not files:
        return built
    from rolegraph.align.mappings import decision_triples, read_decisions  # noqa: PLC0415
    from rolegraph.errors import MappingsFailed  # noqa: PLC0415
    from rolegraph.graph.rdf import TYPE, BuiltGraph, key_of  # noqa: PLC0415
    from rolegraph.graph.vocab import RG  # noqa: PLC0415

    kinds = {"0" + str(RG.Role): "role", "0" + str(RG.Skill): "skill"}  # object keys (graph/rdf.py Key)
    typed = "0" + TYPE
    subjects = {s: kinds[o] for s, p, o, _ in built.keys if p == typed and o in kinds}
    lookup = reference_lookup(base)
    added: set[Any] = set()
    bad: list[SeedError] = []
    for path, name in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "text that is not UTF-8"
            bad.append(SeedError(str(path), 0, "a readable UTF-8 SSSOM file", reason or type(exc).__name__))
            continue
        decisions, row_errors = read_decisions(text, name, str(path), subjects=subjects, lookup=lookup, base=base)
        bad += row_errors
        added.update(decision_triples(decisions, lookup, base))
    if bad and not keep_going:
        raise MappingsFailed(bad)
    errors.extend(bad)
    merged = sorted(set(built.keys) | {key_of(t) for t in added})
    return BuiltGraph(merged, built.pages, built.roles, built.skills)


def graph_base(triples: Iterable[tuple[Any, Any, Any]]) -> str:
    """The base IRI a graph was built with (``rolegraph build --base``), read from its first role."""
    from rdflib.namespace import RDF  # noqa: PLC0415

    from rolegraph.graph.vocab import RG  # noqa: PLC0415

    for s, p, o in triples:
        if p == RDF.type and o == RG.Role:
            return str(s)[: str(s).rindex("/role/") + 1]
    return DEFAULT_BASE


def alignments_sssom(candidates: Sequence[Candidate], base: str = DEFAULT_BASE) -> bytes:
    """Candidates as SSSOM TSV (``rolegraph align -f sssom``), as ``align --write`` publishes them."""
    from rolegraph.align.mappings import to_sssom  # noqa: PLC0415

    return to_sssom(candidates, base)


def decided(graph: Path) -> set[tuple[str, str]]:
    """The (subject, object) IRI pairs a taxonomist decided on, accepted or rejected, in a built graph:
    the aligner never proposes them (``align`` drops them; ``align --write`` never writes them)."""
    from rolegraph.align.mappings import decided_pairs  # noqa: PLC0415

    return decided_pairs(_graph_triples(graph))


def _graph_triples(graph: Path) -> list[tuple[Any, Any, Any]]:
    from rolegraph.graph.io import read_quads, to_rdflib_term  # noqa: PLC0415

    return [
        (to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)) for q in read_quads(graph)
    ]


@dataclass(frozen=True, slots=True)
class AlignmentsWritten:
    outputs: tuple[Path, ...]
    alignments: int  # rows written (after a taxonomist's decisions are taken out)
    decided: int  # candidates left out because a taxonomist decided on their pair


def write_alignments(
    graph: Path,
    candidates: Sequence[Candidate],
    out_dir: Path | None = None,
    *,
    k: int = 5,
    shacl_engine: ShaclEngine = "turbo",
) -> AlignmentsWritten:
    """Publish candidates as ``alignments.sssom.tsv`` and ``alignments.ttl`` in ``out_dir`` [the graph's folder].

    A pair a taxonomist decided on (in the graph, from the curated file) is never written, and each
    subject keeps at most ``k`` candidates per vocabulary, ranked again from 1. The graph and the
    alignments together are validated with SHACL first (:class:`ValidationFailed`, exit 1, writes
    nothing); both files are written atomically, under the output folder's lock, as a build's are.
    """
    from rolegraph.align.mappings import (  # noqa: PLC0415
        RDF_NAME,
        SSSOM_NAME,
        apply_decisions,
        candidate_triples,
        decided_pairs,
        to_sssom,
    )
    from rolegraph.graph.io import sweep_temporaries, to_turtle, write_atomic  # noqa: PLC0415
    from rolegraph.graph.rdf import triple_sort_key  # noqa: PLC0415
    from rolegraph.graph.validate import validate_graph  # noqa: PLC0415

    folder = out_dir if out_dir is not None else graph.parent
    triples = _graph_triples(graph)
    base = graph_base(triples)
    pairs = decided_pairs(triples)
    kept = apply_decisions(candidates, pairs, k)
    rdf = candidate_triples(kept, reference_lookup(base), base)
    union = sorted(set(triples) | set(rdf), key=triple_sort_key)
    with _in_background(lambda: validate_graph(union, engine=shacl_engine)) as shacl:
        report = shacl()
    if not report.conforms:
        raise ValidationFailed(
            f"the graph with its alignments does not conform to the shapes ({len(report.findings)} results); "
            "nothing was written",
            report,
        )
    blobs = [(folder / SSSOM_NAME, to_sssom(kept, base)), (folder / RDF_NAME, to_turtle(rdf))]
    with _locked(folder), _interrupt_deferred():
        for path, data in blobs:
            sweep_temporaries(path)
            write_atomic(path, data)
    dropped = sum((c.subject_id, c.object_id) in pairs for c in candidates)
    return AlignmentsWritten(tuple(path for path, _ in blobs), len(kept), dropped)


def stated_soc_claims(session: Session) -> list[tuple[str, str, str]]:
    """(role code, title, SOC code) for every SOC code a page states for its role (``mappings.rq``)."""
    from rolegraph.graph.rdf import SOC_HEADING  # noqa: PLC0415

    claims: list[tuple[str, str, str]] = []
    rows = session.query("mappings").rows
    for _role, code, title, _p, _o, notation, _t, _s, scheme_name, _j, _tool in rows:
        if str(scheme_name) == SOC_HEADING:
            claims.append((str(code), str(title), str(notation)))
    return sorted(set(claims))


def check_claims(session: Session, ranked: Callable[[str], Sequence[Candidate]]) -> list[Claim]:
    """``rolegraph align --check``: each stated SOC code against the aligner's O*NET-SOC ranking of its role
    (``ranked(code)``, best first); :attr:`Claim.confirmed` when in the top 5."""
    from rolegraph.align.check import check_claims as check  # noqa: PLC0415

    return check(stated_soc_claims(session), ranked)


def check_report(claims: Sequence[Claim]) -> list[str]:
    """The lines ``align --check`` prints."""
    from rolegraph.align.check import report  # noqa: PLC0415

    return report(claims)


@dataclass(frozen=True, slots=True)
class Alignment:
    """One alignment of a role or of one of its skills, as the role page shows it."""

    kind: Literal["role", "skill"]
    subject: str  # the role's or skill's IRI
    subject_label: str
    object: str  # the reference concept's IRI
    label: str
    notation: str | None  # O*NET-SOC and ISCO-08 codes; None for ESCO
    scheme: str  # the vocabulary's name: ESCO occupations, O*NET-SOC 2019, ISCO-08, ESCO skills
    predicate: str  # closeMatch, exactMatch, ...
    confidence: float | None  # the aligner's; a taxonomist's when the curated file gives one
    rank: int | None  # the aligner's rank; None for a taxonomist's decision
    curated: bool  # a taxonomist's decision (semapv:ManualMappingCuration)
    rejected: bool  # a taxonomist rejected it (predicate modifier Not)


def role_alignments(session: Session, code: str) -> list[Alignment]:
    """The alignments of role ``code`` and of its skills (``role-alignments.rq``): those ``align --write``
    published beside the graph and a taxonomist's decisions, best first; rejected ones flagged."""
    from rolegraph.align.mappings import CURATED, NOT  # noqa: PLC0415

    found: list[Alignment] = []
    rows = session.values("role-alignments", code=session.role(code).code)
    for kind, subject, subject_label, obj, label, notation, scheme, predicate, confidence, rank, why, modifier in rows:
        found.append(
            Alignment(
                kind="skill" if kind == "skill" else "role",
                subject=subject or "",
                subject_label=subject_label or "",
                object=obj or "",
                label=label or "",
                notation=notation,
                scheme=scheme or "",
                predicate=(predicate or "").rsplit("#", 1)[-1],
                confidence=None if confidence is None else float(confidence),
                rank=None if rank is None else int(rank),
                curated=why == str(CURATED),
                rejected=modifier == NOT,
            )
        )
    return found


_SKILL_CONCEPTS: Final = """PREFIX rg: <https://w3id.org/rolegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?code ?concept ?label WHERE {
  ?skill skos:exactMatch|skos:closeMatch|skos:narrowMatch|skos:broadMatch ?concept .
  ?skill a rg:Skill .
  ?concept skos:prefLabel ?label .
  ?req rg:skill ?skill .
  ?focus rg:skillRequirement ?req .
  ?role rg:focus ?focus ; skos:notation ?code .
}
"""


def skill_concepts(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Role code -> (IRI, label) of every ESCO skill (or other concept) its skills are aligned to, as stated
    on the skill (exact, close, narrow or broad match; a rejected alignment is never stated): what the
    web search finds a role by, besides its own names."""
    found: dict[str, list[tuple[str, str]]] = {}
    for code, concept, label in session.store.select(_SKILL_CONCEPTS, {}).rows:
        if code is not None and concept is not None and label is not None:
            found.setdefault(str(code), []).append((str(concept), str(label)))
    return found


def without_decisions(candidates: Sequence[Candidate], graph: Path, k: int) -> list[Candidate]:
    """What ``align`` shows: the candidates less every pair a taxonomist decided on in ``graph`` (a rejected pair
    is never proposed; an accepted one is the taxonomist's), ranked again, at most ``k`` per subject and vocabulary."""
    from rolegraph.align.mappings import apply_decisions  # noqa: PLC0415

    return apply_decisions(candidates, decided(graph), k)
