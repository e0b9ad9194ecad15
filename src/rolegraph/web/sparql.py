"""The read-only SPARQL 1.1 Protocol endpoint's core: negotiate a format, guard, run, serialise.

Results are written by Oxigraph's own serialisers (the W3C JSON, XML, CSV and TSV result formats;
Turtle or N-Triples for CONSTRUCT and DESCRIBE). Every query passes the same network guard as
``rolegraph query`` (no SERVICE, FROM or LOAD), and update requests are refused: this store is
read-only by construction, since Oxigraph's query parser does not accept updates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from rolegraph.errors import QueryError
from rolegraph.query import check_local
from rolegraph.store import OxigraphStore, query_failed, term_value

#: media type -> our format name, for SELECT and ASK results
RESULT_TYPES: Final = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media type -> our format name, for CONSTRUCT and DESCRIBE results
GRAPH_TYPES: Final = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
}
RESULT_FORMATS: Final = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS: Final = {
    "turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
MAX_QUERY_LENGTH: Final = 100_000  # characters; the shipped queries are under 2,000


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
    store: OxigraphStore, query: str, *, shipped: bool = False
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Guard and run one query; a bad or forbidden query is a :class:`QueryError` (HTTP 400).

    ``shipped``: a query from ``queries/`` with its parameters bound; it skips the network guard, as
    in ``query.run`` (``tests/test_queries.py`` proves every shipped query passes it). The guard
    parses the query with rdflib, which is most of the time a small query takes.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"expected a query of at most {MAX_QUERY_LENGTH:,} characters, found {len(query):,}")
    if not query.strip():
        raise QueryError("expected a SPARQL query, found an empty one")
    if not shipped:
        check_local(query)
    return store.evaluate(query)


def answer(store: OxigraphStore, query: str, wanted: str | None, accept: str, *, shipped: bool = False) -> Answer:
    """Run ``query`` and serialise it: ``wanted`` (a format name or media type) wins over the Accept header."""
    if wanted is not None and "/" in wanted:  # SPARQLWrapper and others also send the media type
        wanted = {**RESULT_TYPES, **GRAPH_TYPES}.get(wanted.split(";")[0].strip().lower(), wanted)
    if wanted is not None and wanted not in RESULT_FORMATS and wanted not in GRAPH_FORMATS:
        raise QueryError(f"expected format one of {', '.join([*RESULT_FORMATS, *GRAPH_FORMATS])}, found {wanted!r}")
    result = evaluate(store, query, shipped=shipped)
    try:  # Oxigraph's results must be dropped on this thread, not from a traceback freed elsewhere
        if isinstance(result, ox.QueryTriples):
            name = _choose(wanted, accept, GRAPH_TYPES, GRAPH_FORMATS, "turtle")
            media, rdf_format = GRAPH_FORMATS[name]
            return Answer(ox.serialize(result, format=rdf_format) or b"", media)
        name = _choose(wanted, accept, RESULT_TYPES, RESULT_FORMATS, "json")
        media, results_format = RESULT_FORMATS[name]
        return Answer(result.serialize(format=results_format) or b"", media)
    except (RuntimeError, OSError) as exc:  # raised while Oxigraph evaluates lazily
        raise query_failed(exc) from None
    finally:
        del result


def rows(store: OxigraphStore, query: str, limit: int = 1000, *, shipped: bool = False) -> Rows:
    """Run ``query`` for an HTML table: at most ``limit`` rows are kept, the total is counted."""
    result = evaluate(store, query, shipped=shipped)
    kept: list[tuple[str | None, ...]] = []
    total = 0
    try:  # Oxigraph's results must be dropped on this thread (see answer)
        if isinstance(result, ox.QueryBoolean):
            return Rows("ask", (), (), 0, bool(result))
        if isinstance(result, ox.QueryTriples):
            for triple in result:
                total += 1
                if total <= limit:
                    kept.append((term_value(triple.subject), term_value(triple.predicate), term_value(triple.object)))
            return Rows("graph", ("subject", "predicate", "object"), tuple(kept), total)
        columns = tuple(v.value for v in result.variables)
        for solution in result:
            total += 1
            if total <= limit:
                kept.append(tuple(None if (t := solution[i]) is None else term_value(t) for i in range(len(columns))))
        return Rows("select", columns, tuple(kept), total)
    except (RuntimeError, OSError) as exc:  # raised while Oxigraph evaluates lazily
        raise query_failed(exc) from None
    finally:
        del result


def _choose(
    wanted: str | None, accept: str, types: Mapping[str, str], formats: Mapping[str, tuple[str, object]], default: str
) -> str:
    if wanted:
        if wanted not in formats:
            kind = "CONSTRUCT and DESCRIBE" if "turtle" in formats else "SELECT and ASK"
            raise QueryError(f"expected format one of {', '.join(formats)} for {kind} results, found {wanted!r}")
        return wanted
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
