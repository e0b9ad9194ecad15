"""The Python face of rolegraph: what the CLI calls, and what a notebook user imports.

>>> from pathlib import Path
>>> from rolegraph import api
>>> summary = api.build([Path("seeds")], Path("graph"))          # doctest: +SKIP
>>> summary.roles, summary.triples                               # doctest: +SKIP
(6, 582)
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rolegraph.errors import RolegraphError, SeedError, ValidationFailed
from rolegraph.graphio import FORMATS, PUBLISHED, load_graph, write_atomic
from rolegraph.model import Page
from rolegraph.parse import iter_page_files, parse_page
from rolegraph.rdf import BuiltGraph, build_graph
from rolegraph.validate import Report, validate_graph
from rolegraph.vocab import DEFAULT_BASE

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("graph")
GRAPH_NAME = "rolegraph"


class PagesFailed(RolegraphError):
    """Some pages did not parse; each error names its file and line."""

    def __init__(self, errors: Sequence[SeedError], total: int) -> None:
        self.errors = tuple(errors)
        super().__init__(
            f"{len(errors)} of {total} pages failed to parse; nothing was written",
            hint="fix them, or pass --keep-going to build the good pages",
        )


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

    def text(self) -> str:
        checked = "conforms" if self.report is not None else "not validated"
        return (
            f"{self.pages} pages, {self.roles} roles, {self.skills} skills, {self.triples} triples; "
            f"SHACL: {checked}; {self.seconds:.2f} s"
        )


def page_files(inputs: Sequence[Path]) -> list[tuple[Path, Path | None]]:
    files = list(iter_page_files(inputs))
    for path, _ in files:
        if not path.exists():
            raise SeedError(str(path), 0, "an existing page file or folder", "nothing there")
    if not files:
        shown = ", ".join(str(p) for p in inputs) or "(no inputs)"
        raise SeedError(shown, 0, "canon profile pages (*.txt)", "none")
    return files


def parse_pages(
    inputs: Sequence[Path], *, on_page: Callable[[Path], None] | None = None
) -> tuple[list[Page], list[SeedError]]:
    """Parse every page; return the good ones and the errors of the bad ones (nothing is lost)."""
    pages: list[Page] = []
    errors: list[SeedError] = []
    for path, root in page_files(inputs):
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
) -> BuildSummary:
    """Parse pages, build the graph, validate it, write ``rolegraph.ttl`` and ``rolegraph.jsonld``.

    Raises :class:`PagesFailed` when a page is bad (unless ``keep_going``), a
    :class:`~rolegraph.errors.MergeConflictError` when pages disagree, and
    :class:`~rolegraph.errors.ValidationFailed` when the graph does not conform; in each case
    nothing is written.
    """
    start = time.perf_counter()
    pages, errors = parse_pages(inputs, on_page=on_page)
    if errors and not keep_going:
        raise PagesFailed(errors, len(pages) + len(errors))
    if not pages:
        raise PagesFailed(errors, len(errors))
    built = build_graph(pages, base)
    report = None
    if validate:
        report = validate_graph(built.to_rdflib())
        if not report.conforms:
            raise ValidationFailed(
                f"the graph does not conform to the shapes ({len(report.findings)} results); nothing was written",
                report,
            )
    outputs = publish(built, out_dir)
    return BuildSummary(
        pages=built.pages,
        roles=built.roles,
        skills=built.skills,
        triples=len(built.triples),
        seconds=time.perf_counter() - start,
        outputs=outputs,
        bad_pages=tuple(errors),
        report=report,
    )


def publish(built: BuiltGraph, out_dir: Path) -> tuple[Path, ...]:
    """Serialise every published format first, then rename each into place under a lock."""
    blobs = [(out_dir / f"{GRAPH_NAME}{FORMATS[name].extension}", FORMATS[name].write(built.triples)) for name in PUBLISHED]
    with _locked(out_dir):
        for path, data in blobs:
            write_atomic(path, data)
    return tuple(path for path, _ in blobs)


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder, so two builds never interleave their files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / ".rolegraph.lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def validate_file(path: Path, fmt: str | None = None) -> Report:
    """Validate any Turtle, N-Triples or JSON-LD file against the shipped shapes."""
    graph = load_graph(path, FORMATS[fmt] if fmt else None)
    return validate_graph(graph)
