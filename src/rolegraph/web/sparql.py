"""The read-only SPARQL 1.1 Protocol endpoint's core: negotiate a format, guard, run, serialise.

Results are written by Oxigraph's own serialisers (the W3C JSON, XML, CSV and TSV result formats;
Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE), at most ``MAX_RESULT_BYTES`` of
them. A format asked for (``format=``, ``output=``, ``results=``) that does not fit the result is
skipped, like an ``Accept`` type we cannot meet. Every query passes the same network guard as
``rolegraph query`` (no SERVICE, FROM or LOAD), and update requests are refused: this store is
read-only by construction, since Oxigraph's query parser does not accept updates.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pyoxigraph as ox

from rolegraph import formats
from rolegraph.api import check_local, could_fetch, query_failed, term_value
from rolegraph.errors import QueryError

if TYPE_CHECKING:
    from rolegraph.api import Session

#: media type -> our format name, for SELECT and ASK results
RESULT_TYPES: Final = formats.by_media_type(formats.ENDPOINT_RESULTS)
#: media type -> our format name, for CONSTRUCT and DESCRIBE results
GRAPH_TYPES: Final = formats.by_media_type(formats.ENDPOINT_GRAPHS)
#: other names clients send as ``format=`` for graph results: SPARQLWrapper's XML and JSON mean RDF/XML and JSON-LD
GRAPH_ALIASES: Final = formats.by_alias(formats.ENDPOINT_GRAPHS)
#: format name -> (the Content-Type we send, Oxigraph's serialiser)
RESULT_FORMATS: Final = {
    name: (f.content_type, ox.QueryResultsFormat.from_media_type(f.media_type))
    for name, f in formats.ENDPOINT_RESULTS.items()
}
GRAPH_FORMATS: Final = {
    name: (f.content_type, ox.RdfFormat.from_media_type(f.media_type)) for name, f in formats.ENDPOINT_GRAPHS.items()
}
MAX_QUERY_LENGTH: Final = 100_000  # characters; the shipped queries are under 2,000
#: the network guard parses queries up to this long with rdflib (seconds of a core, holding the GIL);
#: a longer one runs only if it cannot name SERVICE, FROM or LOAD (:func:`rolegraph.ask.query.could_fetch`)
GUARD_PARSE_LIMIT: Final = 5_000
MAX_RESULT_BYTES: Final = 16 * 1024 * 1024  # of a serialised answer; a bigger one is an error, never cut short


def accepted(header: str) -> list[str]:
    """Media types of an Accept header, most wanted first (q-values honoured, q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, position, media.lower()))
    return [media for _, _, media in sorted(ranked)]


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class Rows:
    """A result for reading on a page: variable names and rows of term texts (None where unbound)."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    total: int
    boolean: bool | None = None


def evaluate(
    session: Session, query: str, *, shipped: bool = False
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Guard and run one query; a bad or forbidden query is a :class:`QueryError` (HTTP 400).

    ``shipped``: a query from ``queries/`` with its parameters bound; it skips the network guard, as
    in ``query.run`` (``tests/test_queries.py`` proves every shipped query passes it). The guard
    parses the query with rdflib, which is most of the time a small query takes; a query over
    ``GUARD_PARSE_LIMIT`` characters is never parsed by rdflib (see there). Oxigraph's parser
    refuses updates in any case.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"expected a query of at most {MAX_QUERY_LENGTH:,} characters, found {len(query):,}")
    if not query.strip():
        raise QueryError("expected a SPARQL query, found an empty one")
    if not shipped and len(query) > GUARD_PARSE_LIMIT and could_fetch(query):
        raise QueryError(
            f"expected a query of at most {GUARD_PARSE_LIMIT:,} characters when it has the words SERVICE, FROM "
            f"or LOAD (checking a longer one for network access takes too long), found {len(query):,}"
        )
    if not shipped and len(query) <= GUARD_PARSE_LIMIT:
        try:
            check_local(query)  # one parse at a time inside: rdflib's parser is not thread-safe
        except QueryError as exc:  # without the CLI's hint (--allow-network): nothing here fetches, ever
            raise QueryError(exc.message) from None
    return session.evaluate(query)


def answer(
    session: Session,
    query: str,
    wanted: Sequence[str],
    accept: str,
    *,
    shipped: bool = False,
    cancel: threading.Event | None = None,
    max_bytes: int = MAX_RESULT_BYTES,
) -> Answer:
    """Run ``query`` and serialise it in the first of ``wanted`` (format names or media types) that
    fits the result, else as the Accept header asks (see :func:`negotiate`).

    At most ``max_bytes`` are written (a bigger result is a :class:`QueryError`); ``cancel``, once
    set, stops the writing at its next chunk (a query that streams its results stops there).
    """
    result = evaluate(session, query, shipped=shipped)
    sink = _Sink(max_bytes, cancel)
    try:  # Oxigraph's results must be dropped on this thread, not from a traceback freed elsewhere
        if isinstance(result, ox.QueryTriples):
            name = _choose(wanted, accept, GRAPH_TYPES, GRAPH_ALIASES, GRAPH_FORMATS, formats.DEFAULT_ENDPOINT_GRAPH)
            media, rdf_format = GRAPH_FORMATS[name]
            ox.serialize(result, sink, format=rdf_format)
        else:
            name = _choose(wanted, accept, RESULT_TYPES, {}, RESULT_FORMATS, formats.DEFAULT_ENDPOINT_RESULT)
            media, results_format = RESULT_FORMATS[name]
            result.serialize(sink, format=results_format)
        return Answer(sink.getvalue(), media)
    except (RuntimeError, OSError) as exc:  # raised while Oxigraph evaluates lazily
        raise query_failed(exc) from None
    finally:
        del result


class _Sink(io.BytesIO):
    """Where Oxigraph writes an answer (in chunks of about 8 KB): bounded, and stoppable between chunks."""

    def __init__(self, limit: int, cancel: threading.Event | None) -> None:
        super().__init__()
        self.limit = limit
        self.cancel = cancel

    def write(self, data: Any, /) -> int:
        _check(self.cancel)
        written = super().write(data)
        if self.tell() > self.limit:
            raise QueryError(
                f"expected a result of at most {self.limit:,} bytes, found more",
                hint="ask for fewer rows (LIMIT) or fewer columns",
            )
        return written


def rows(
    session: Session,
    query: str,
    limit: int = 1000,
    *,
    shipped: bool = False,
    cancel: threading.Event | None = None,
) -> Rows:
    """Run ``query`` for an HTML table: at most ``limit`` rows are kept, the total is counted
    (``cancel``, once set, stops the counting at the next row)."""
    result = evaluate(session, query, shipped=shipped)
    kept: list[tuple[str | None, ...]] = []
    total = 0
    try:  # Oxigraph's results must be dropped on this thread (see answer)
        if isinstance(result, ox.QueryBoolean):
            return Rows("ask", (), (), 0, bool(result))
        if isinstance(result, ox.QueryTriples):
            for triple in result:
                _check(cancel)
                total += 1
                if total <= limit:
                    kept.append((term_value(triple.subject), term_value(triple.predicate), term_value(triple.object)))
            return Rows("graph", ("subject", "predicate", "object"), tuple(kept), total)
        columns = tuple(v.value for v in result.variables)
        for solution in result:
            _check(cancel)
            total += 1
            if total <= limit:
                kept.append(tuple(None if (t := solution[i]) is None else term_value(t) for i in range(len(columns))))
        return Rows("select", columns, tuple(kept), total)
    except (RuntimeError, OSError) as exc:  # raised while Oxigraph evaluates lazily
        raise query_failed(exc) from None
    finally:
        del result


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise QueryError("stopped: the query ran over its time limit")


def _choose(
    wanted: Sequence[str],
    accept: str,
    types: Mapping[str, str],
    aliases: Mapping[str, str],
    formats: Mapping[str, tuple[str, object]],
    default: str,
) -> str:
    """The first of ``wanted`` (a name, an alias or a media type) we can write, else what ``accept`` asks."""
    for value in wanted:
        key = value.split(";")[0].strip().lower()
        name = key if key in formats else types.get(key) or aliases.get(key)
        if name is not None:
            return name
    return negotiate(accept, types, default)


def negotiate(accept: str, types: Mapping[str, str], default: str) -> str:
    """What ``types`` (media type -> name) maps the most wanted type of an Accept header to.

    A wildcard, or no type we offer, gets ``default``: an answer the client may not have asked
    for, rather than a 406 it cannot use.
    """
    for media in accepted(accept):
        if media in types:
            return types[media]
        if media in {"*/*", "application/*", "text/*"}:
            return default
    return default
