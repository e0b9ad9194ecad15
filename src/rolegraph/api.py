"""The Python face of rolegraph: what the CLI calls, and what a notebook user imports.

>>> from pathlib import Path
>>> from rolegraph import api
>>> summary = api.build([Path("seeds")], Path("graph"))          # doctest: +SKIP
>>> summary.roles, summary.triples                               # doctest: +SKIP
(6, 582)
"""

from __future__ import annotations

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
from typing import TYPE_CHECKING, Final, Literal, TypeVar

from rolegraph import formats
from rolegraph.errors import PagesFailed as PagesFailed  # noqa: PLC0414 - re-exported: api.PagesFailed is public
from rolegraph.errors import QueryError, SeedError, ValidationFailed, os_failure
from rolegraph.graph.vocab import DCTERMS, DEFAULT_BASE, RG, SDO, SKOS
from rolegraph.text import plural

if TYPE_CHECKING:  # imported where used: `rolegraph nearest` needs neither the builder nor SHACL
    import pyoxigraph as ox
    from rdflib import URIRef

    from rolegraph.align.aligner import Subject as AlignSubject
    from rolegraph.align.candidates import Candidate
    from rolegraph.align.candidates import Target as AlignTarget
    from rolegraph.align.similarity import By as By  # noqa: PLC0414 - named by the web app's type hints
    from rolegraph.align.similarity import Move, Similarity
    from rolegraph.align.skills import SkillSubject
    from rolegraph.ask.query import QuerySpec, check_local, could_fetch, get_spec, library
    from rolegraph.ask.remote import Endpoint, PushResult
    from rolegraph.ask.store import Engine, QueryStore, Table, query_failed, term_value
    from rolegraph.errors import MissingExtra
    from rolegraph.graph.io import write_atomic
    from rolegraph.graph.rdf import BuiltGraph
    from rolegraph.graph.validate import Report, ShaclEngine
    from rolegraph.pages.model import Page
    from rolegraph.publish.diff import Change
    from rolegraph.publish.draw import Target
    from rolegraph.resources import resource
    from rolegraph.roles.catalogue import Catalogue, RoleInfo, UnknownRole, skill_overlap
    from rolegraph.roles.distance import Band, CareerPath, Distance, DistanceConfig, RoleGraph
    from rolegraph.roles.index import DistanceIndex

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "DEFAULT_GRAPH_IRI",
    "DEFAULT_OUT",
    "DEFAULT_SEEDS",
    "GRAPH_NAME",
    "RG",
    "SDO",
    "SKOS",
    "BuildSummary",
    "Catalogue",
    "Comparison",
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
    "bind_query",
    "build",
    "cache_folder",
    "check_local",
    "clear_cache",
    "could_fetch",
    "diff",
    "draw",
    "export_format",
    "get_spec",
    "library",
    "page_files",
    "parse_pages",
    "picture_format",
    "prepare_query",
    "publish",
    "push",
    "query_failed",
    "render_table",
    "resource",
    "serve",
    "skill_overlap",
    "term_value",
    "to_json",
    "validate_file",
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
    "Distance": "rolegraph.roles.distance",
    "DistanceConfig": "rolegraph.roles.distance",
    "Endpoint": "rolegraph.ask.remote",
    "MissingExtra": "rolegraph.errors",
    "RoleInfo": "rolegraph.roles.catalogue",
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
) -> BuildSummary:
    """Parse pages, build the graph, validate it, write ``rolegraph.ttl`` and ``rolegraph.jsonld``.

    Raises :class:`PagesFailed` when a page is bad (unless ``keep_going``), a
    :class:`~rolegraph.errors.MergeConflictError` when pages disagree, and
    :class:`~rolegraph.errors.ValidationFailed` when the graph does not conform; in each case
    nothing is written.
    """
    from rolegraph.graph.rdf import build_graph  # noqa: PLC0415
    from rolegraph.graph.validate import validate_graph  # noqa: PLC0415
    from rolegraph.pages.parse import check_aliases  # noqa: PLC0415

    start = time.perf_counter()
    with _no_gc():
        pages, errors = parse_pages(inputs, on_page=on_page, files=files)
        if errors and not keep_going:
            raise PagesFailed(errors, len(pages) + len(errors))
        if not pages:
            raise PagesFailed(errors, len(errors))
        check_aliases(pages)
        warnings = tuple(w for page in pages for w in page.warnings)
        built = build_graph(pages, base)
        del pages  # the records are not needed once the triples exist
    report = None
    if validate:
        log.info("SHACL: validating %d triples with %s", len(built.triples), shacl_engine)
        report = _interruptible(lambda: validate_graph(built.triples, engine=shacl_engine))
        if not report.conforms:
            raise ValidationFailed(
                f"the graph does not conform to the shapes ({len(report.findings)} results); nothing was written",
                report,
            )
    outputs = publish(built, out_dir, base=base)
    return BuildSummary(
        pages=built.pages,
        roles=built.roles,
        skills=built.skills,
        triples=len(built.triples),
        seconds=time.perf_counter() - start,
        outputs=outputs,
        bad_pages=tuple(errors),
        report=report,
        warnings=warnings,
    )


def publish(built: BuiltGraph, out_dir: Path, *, base: str = DEFAULT_BASE) -> tuple[Path, ...]:
    """Serialise every published format and the dataset description first, then rename each into place under a lock."""
    from rolegraph.graph.describe import DESCRIPTION_NAME, description_turtle  # noqa: PLC0415
    from rolegraph.graph.io import FORMATS, PUBLISHED, sweep_temporaries, write_atomic  # noqa: PLC0415

    blobs = [
        (out_dir / f"{GRAPH_NAME}{FORMATS[name].extension}", FORMATS[name].write(built.triples)) for name in PUBLISHED
    ]
    blobs.append((out_dir / DESCRIPTION_NAME, description_turtle(built.triples, blobs, base)))
    with _locked(out_dir), _interrupt_deferred():
        for path, data in blobs:
            sweep_temporaries(path)  # left by a build that was killed mid-write
            write_atomic(path, data)
    return tuple(path for path, _ in blobs)


def _interruptible(work: Callable[[], T]) -> T:
    """Run ``work`` in a worker thread while the main thread waits in short slices.

    pyshacl-turbo validates in Rust and does not come back to Python for up to a minute, so Ctrl-C
    (KeyboardInterrupt, delivered only to the main thread) would wait for it; waiting here lets it
    through within a fraction of a second. The worker cannot be stopped: it is a daemon, and the
    CLI exits 130 without waiting for it (``cli.main``). Nothing has been written at this point.
    """
    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    worker = threading.Thread(target=run, name="rolegraph-shacl", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if failure:
        raise failure[0]
    return outcome[0]


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
    ) -> Session:
        """The graph in ``graph`` [graph/rolegraph.ttl]. ``cache`` (default: unless ``ROLEGRAPH_NO_CACHE``
        is set) opens the embedded store, catalogue and distance index from the on-disk cache
        (:mod:`rolegraph.ask.cache`), built the first time a graph file is opened."""
        from rolegraph.ask.cache import disabled_by_env  # noqa: PLC0415
        from rolegraph.ask.store import DEFAULT_GRAPH, open_store  # noqa: PLC0415
        from rolegraph.roles.distance import DistanceConfig  # noqa: PLC0415

        use_cache = not disabled_by_env() if cache is None else cache
        store = open_store(graph, engine, cache=use_cache)
        return cls(store, config or DistanceConfig(), source=str(graph or DEFAULT_GRAPH))

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
        """The numpy distance index: the same answers as :attr:`roles`, without walking a graph per query."""
        if self._index is None:
            from rolegraph.roles.index import DistanceIndex, load_index, save_index  # noqa: PLC0415

            entry = self._entry
            if entry is not None:
                self._index = load_index(self.catalogue, self.config, entry)
            if self._index is None:
                self._index = DistanceIndex(self.catalogue, self.config)
                if entry is not None:
                    save_index(self._index, entry)
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
        """The skill-aware components (skills, text, level) beside the index; text only with the align extra."""
        if self._similarity is None:
            from rolegraph.align.embed import available, encoder  # noqa: PLC0415
            from rolegraph.align.similarity import RoleText, Similarity, load_role_texts  # noqa: PLC0415
            from rolegraph.ask.cache import read_json, write_json  # noqa: PLC0415

            entry = self._entry
            texts: dict[str, RoleText] | None = None
            saved = None if entry is None else read_json(entry / "role-texts.json")
            if isinstance(saved, dict):
                try:
                    texts = {
                        str(k): RoleText(str(v[0]), None if v[1] is None else float(v[1])) for k, v in saved.items()
                    }
                except (TypeError, ValueError, IndexError, KeyError):
                    texts = None
            if texts is None:
                texts = load_role_texts(self.store)
                if entry is not None:
                    write_json(entry / "role-texts.json", {k: [t.text, t.median] for k, t in sorted(texts.items())})
            self._similarity = Similarity(self.index, texts, encoder if available() else None)
        return self._similarity

    def default_by(self) -> By:
        """What ``by=None`` means: ``structure`` for now (docs/distance.md); ``blend`` is asked for by name."""
        return "structure"

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

    def move(self, a: str, b: str) -> Move:
        """How ready someone in A is for B: the weighted share of B's skills A covers, less level jumps."""
        ra, rb = self.role(a), self.role(b)
        return self.similarity.move(ra, rb)

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

    def path(self, a: str, b: str) -> CareerPath:
        """The cheapest career path; ``found`` is false (no steps, cost inf) when no moves join A and B."""
        return self.roles.path(self.role(a), self.role(b))

    def details(self, name: str) -> RoleDetails:
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
        from rolegraph.align.aligner import Subject, without_contrasts  # noqa: PLC0415

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


def push(path: Path, endpoint: Endpoint | str, graph_iri: str | None = None) -> PushResult:
    """Load a Turtle or N-Triples file into a named graph of a SPARQL 1.1 store (staging graph, then MOVE)."""
    from rolegraph.ask.remote import Endpoint  # noqa: PLC0415
    from rolegraph.ask.remote import push as push_graph  # noqa: PLC0415

    where = Endpoint(query=endpoint) if isinstance(endpoint, str) else endpoint
    return push_graph(path, where, graph_iri or DEFAULT_GRAPH_IRI)


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
