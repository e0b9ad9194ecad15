"""Where queries run: the embedded Oxigraph store (default), rdflib's engine, or a remote endpoint.

Every backend answers ``select(query, bindings)`` with a :class:`Table` of rdflib terms, so the
same ``.rq`` file and the same parameters give comparable rows everywhere. Parameters are bound,
never pasted: the embedded Oxigraph store and remote stores get a ``VALUES`` block of terms
serialised by rdflib, placed first in the WHERE group (:func:`bind_values`); rdflib's engine
takes ``initBindings``.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeAlias, TypeVar

import pyoxigraph as ox

from rolegraph import formats
from rolegraph.errors import GraphFileError, MissingExtra, QueryError

if TYPE_CHECKING:  # rdflib and graph.io are imported where used: opening a cached graph needs neither
    import pandas
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral
    from rdflib.term import Node

Term: TypeAlias = "URIRef | RdfLiteral | BNode"
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
T = TypeVar("T")
Engine = formats.QueryEngine
DEFAULT_GRAPH: Final = formats.DEFAULT_GRAPH
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Table:
    """A SELECT result: variable names and rows of terms (None where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def values(self) -> list[tuple[object, ...]]:
        """Rows as Python values (int, Decimal, bool, str), for comparisons and notebooks."""
        return [tuple(None if t is None else _python(t) for t in row) for row in self.rows]

    def records(self) -> list[dict[str, object]]:
        """One dict per row, column -> typed value (docs/queries.md#python):

        ``int`` for xsd:integer and its kinds, ``Decimal`` for xsd:decimal (exact, as written),
        ``float`` for xsd:double and xsd:float, ``bool``, ``datetime.date`` and ``datetime.datetime``
        for xsd:date and xsd:dateTime, ``str`` for IRIs, strings and any other literal (its lexical
        form), and None where the query left the variable unbound.
        """
        return [
            {name: None if t is None else _typed(t) for name, t in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one typed column per variable (needs the ``pandas`` extra).

        Integer columns are ``Int64`` (missing values are ``<NA>``), decimal and double columns
        ``float64`` (``NaN``), boolean ones ``boolean``, dates and date-times ``datetime64``
        (``NaT``); anything else (IRIs, text, mixed columns) holds Python values, None where missing.
        """
        try:
            import pandas as pd  # noqa: PLC0415
        except ImportError:
            raise MissingExtra(
                "Table.to_pandas needs pandas, which is not installed", hint="pip install 'rolegraph[pandas]'"
            ) from None
        records = self.records()
        data = {name: _column(pd, [r[name] for r in records]) for name in self.columns}
        return pd.DataFrame(data, columns=list(self.columns), index=pd.RangeIndex(len(records)))


def _python(term: Node) -> object:
    from rdflib import Literal as RdfLiteral  # noqa: PLC0415

    if isinstance(term, RdfLiteral):
        return term.toPython()
    return str(term)


def _typed(term: Node) -> object:
    """A term's Python value; a literal rdflib cannot convert (``xsd:gYear``, an ill-typed one) as its text."""
    from rdflib import Literal as RdfLiteral  # noqa: PLC0415

    value = _python(term)
    return str(value) if isinstance(value, RdfLiteral) else value


def _column(pd: Any, values: list[object]) -> pandas.Series[Any]:
    """A pandas column of ``values`` with the dtype their common type gives (see :meth:`Table.to_pandas`)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")  # type: ignore[arg-type]
    if present and all(isinstance(v, datetime.date) for v in present):
        aware = any(isinstance(v, datetime.datetime) and v.tzinfo is not None for v in present)
        return pd.Series(pd.to_datetime(values, utc=aware))
    return pd.Series(values, dtype=object)


class QueryStore(Protocol):
    #: True when the query runs in this process: the network guard applies (a remote store is
    #: asked over the network on purpose, and evaluates SERVICE as it sees fit).
    local: bool

    def select(self, query: str, bindings: Mapping[str, Term]) -> Table: ...


class OxigraphStore:
    """The embedded default: an in-memory Oxigraph store, queried in-process. Safe to share across threads."""

    local = True

    def __init__(self, store: ox.Store, entry: Path | None = None) -> None:
        self.store = store
        self.entry = entry  # the cache entry the store was opened from (:mod:`rolegraph.ask.cache`), if any

    @classmethod
    def from_file(cls, path: Path, *, cache: bool = False, extra: Sequence[Path] = ()) -> OxigraphStore:
        """Load ``path`` in memory, or with ``cache`` open its on-disk cache entry read-only (built once).

        ``extra`` are Turtle files loaded into the same store (the graph's ``alignments.ttl``)."""
        digest = None
        if cache:
            from rolegraph.ask import cache as cached  # noqa: PLC0415

            digest = cached.cacheable_digest(path, extra)
            warm = None if digest is None else cached.open_existing(digest)
            if warm is not None:  # an entry built before: no parser and no rdflib to import
                return cls(*warm)
        from rolegraph.graph.io import (  # noqa: PLC0415
            LOAD_FACTOR,
            format_for,
            require_memory,
            require_regular_file,
            syntax_error,
        )

        fmt = format_for(path)
        require_regular_file(path)
        for other in extra:
            require_regular_file(other)
        if cache:
            small = cached.limit_too_small()
            try:
                if small is not None:  # RocksDB would abort the process
                    raise OSError(small)
                if cached.too_small_to_cache(path):
                    raise OSError("a small graph file: in memory, queries that scan it run faster")
                store, entry = cached.open_cached(path, fmt.oxigraph, extra, digest)
            except SyntaxError as exc:
                raise syntax_error(exc, str(path), fmt) from None
            except OSError as exc:  # a cache folder that cannot be written: only slower
                log.info("cache: not used (%s); loading %s in memory", exc, path)
            else:
                return cls(store, entry)
        require_memory(path, LOAD_FACTOR)
        store = ox.Store()
        for file, file_fmt in ((path, fmt), *((other, format_for(other)) for other in extra)):
            try:  # load, not bulk_load: in memory it is as fast, and bulk_load first reserves 200 MB at once
                store.load(path=str(file), format=file_fmt.oxigraph)
            except SyntaxError as exc:
                raise syntax_error(exc, str(file), file_fmt) from None
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise GraphFileError(str(file), 0, "a readable graph file", reason, hint=_HINT) from None
        return cls(store)

    def select(self, query: str, bindings: Mapping[str, Term]) -> Table:
        from rolegraph.graph.io import to_rdflib_term  # noqa: PLC0415

        columns, rows = self._solutions(query, bindings, to_rdflib_term)
        return Table(columns, tuple(rows))

    def select_values(self, query: str, bindings: Mapping[str, Term]) -> list[tuple[str | None, ...]]:
        """Like :meth:`select`, but each term as its plain value (an IRI, or a literal's lexical form).

        For readers that know what each column holds (the web pages): it skips building rdflib
        terms, which is most of the time a small query takes.
        """
        return self._solutions(query, bindings, term_value)[1]

    def evaluate(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Oxigraph's own result for ``text``; a bad query is a :class:`QueryError`.

        Oxigraph's result objects must be dropped on the thread that made them: a caller that
        reads one keeps it out of any traceback another thread may free (``try``/``finally: del``).
        """
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise QueryError(f"expected a valid SPARQL query, found: {_first_line(str(exc))}") from None
        except (RuntimeError, OSError) as exc:  # e.g. a bound parameter that the query does not project
            raise query_failed(exc) from None

    def _solutions(
        self, query: str, bindings: Mapping[str, Term], convert: Callable[[OxTerm], T]
    ) -> tuple[tuple[str, ...], list[tuple[T | None, ...]]]:
        result = self.evaluate(bind_values(query, bindings))
        try:  # see evaluate: the result is dropped here, on this thread
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError("expected a SELECT query (ASK, CONSTRUCT and DESCRIBE are not supported here)")
            columns = tuple(v.value for v in result.variables)
            width = range(len(columns))
            rows = [tuple(None if (t := solution[i]) is None else convert(t) for i in width) for solution in result]
        except (RuntimeError, OSError) as exc:  # raised while Oxigraph evaluates lazily
            raise query_failed(exc) from None
        finally:
            del result
        return columns, rows


def term_value(term: OxTerm) -> str:
    """An Oxigraph term's plain value: an IRI, a literal's lexical form, a blank node's id."""
    return term.value if not isinstance(term, ox.Triple) else str(term)


def query_failed(exc: Exception) -> QueryError:
    """An error Oxigraph raised while evaluating (at once or lazily, while results are read)."""
    return QueryError(f"query failed: {_first_line(str(exc)) if str(exc).strip() else type(exc).__name__}")


class RdflibStore:
    """rdflib's own SPARQL engine over an rdflib Graph, with ``initBindings`` (slower; a cross-check)."""

    local = True
    _lock = threading.Lock()  # rdflib's query machinery is not documented as thread-safe

    def __init__(self, path: Path, extra: Sequence[Path] = ()) -> None:
        from rolegraph.graph.io import load_graph  # noqa: PLC0415

        self.graph = load_graph(path)
        for other in extra:
            for triple in load_graph(other):
                self.graph.add(triple)

    def select(self, query: str, bindings: Mapping[str, Term]) -> Table:
        try:
            with self._lock:
                result = self.graph.query(query, initBindings=dict(bindings))
                if result.type != "SELECT":
                    raise QueryError("expected a SELECT query (ASK, CONSTRUCT and DESCRIBE are not supported here)")
                columns = tuple(str(v) for v in (result.vars or ()))
                rows = tuple(tuple(row) for row in result)  # type: ignore[arg-type]
        except QueryError:
            raise
        except RecursionError:  # rdflib evaluates property paths recursively: rdf:rest* over a long list
            raise QueryError(
                "expected a query rdflib's engine can evaluate, found one that recursed too deeply "
                "(a property path such as rdf:rest* over a long list?)",
                hint="use the default engine, --engine oxigraph",
            ) from None
        except Exception as exc:  # rdflib raises pyparsing and several other types
            raise QueryError(f"expected a valid SPARQL query, found: {_first_line(str(exc))}") from None
        return Table(columns, rows)


_HINT: Final = "run `rolegraph build` first, or pass --graph FILE"


#: the file ``rolegraph align --write`` publishes beside the graph; a store of the graph loads it too
ALIGNMENTS_NAME: Final = "alignments.ttl"


def alignments_beside(graph: Path) -> tuple[Path, ...]:
    """The graph's alignments (:data:`ALIGNMENTS_NAME` in its folder) when that file exists, else none:
    what a store of the graph loads with it, and what ``rolegraph push`` sends with it."""
    beside = graph.with_name(ALIGNMENTS_NAME)
    return (beside,) if beside != graph and beside.exists() else ()


def open_store(
    graph: Path | None = None, engine: Engine = "oxigraph", *, cache: bool = False, alignments: bool = True
) -> QueryStore:
    """The store for ``graph``; ``cache`` opens the embedded store from its cache entry (:mod:`rolegraph.ask.cache`).

    With ``alignments``, the graph's alignments (:data:`ALIGNMENTS_NAME` in the same folder), when
    that file exists, are loaded into the same store: queries, the web pages and search see them.
    """
    path = graph or DEFAULT_GRAPH
    if not path.exists():
        raise GraphFileError(str(path), 0, "a built graph (Turtle or JSON-LD)", "no such file", hint=_HINT)
    extra = alignments_beside(path) if alignments else ()
    if engine == "rdflib":
        return RdflibStore(path, extra)
    return OxigraphStore.from_file(path, cache=cache, extra=extra)


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (<iri> "text") }`` with every term serialised by rdflib's ``n3()``.

    The only place where a user's value becomes query text: N-Triples/Turtle escaping of the
    term (quotes, backslashes, newlines, ``>`` in IRIs) is rdflib's, and IRIs are checked first.
    """
    if not bindings:
        return ""
    from rdflib import BNode, URIRef  # noqa: PLC0415

    names = sorted(bindings)
    terms = []
    for name in names:
        if not name.isidentifier():
            raise QueryError(f"expected a variable name, found {name!r}")
        term = bindings[name]
        if isinstance(term, URIRef) and any(c in str(term) for c in '<>"{}|^`\\ \n\t'):
            raise QueryError(f'expected an IRI without spaces or <>"{{}}|^`\\, found {str(term)!r}')
        if isinstance(term, BNode):
            raise QueryError(f"expected an IRI or a literal for ?{name}, found a blank node")
        terms.append(term.n3())
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "an error"


__all__ = ["OxigraphStore", "QueryStore", "RdflibStore", "Table", "open_store", "values_block"]


# -- binding parameters as a VALUES block ----------------------------------------------------------------

_IRI_AT: Final = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_ESCAPE: Final = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """Put a ``VALUES`` block of the bound terms first in the query's top-level WHERE group.

    Inside the group, VALUES joins before filters and optionals, as a bound variable would, and
    query planners start from it: on Oxigraph this was 2.4 ms where its own substitution took
    18 ms (a 10,000-page graph), so the embedded store binds this way too, and local and remote
    stores run the very same text. A small lexer skips strings, IRIs and comments to find the
    group; the terms themselves are written by :func:`values_block` (rdflib's ``n3()``).
    """
    if not bindings:
        return query
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    position = _where_group(text)
    if position is None:
        raise QueryError("expected a query with a WHERE group { ... } to bind parameters into")
    return f"{text[: position + 1]} {values_block(bindings)} {text[position + 1 :]}"


def _where_group(text: str) -> int | None:  # noqa: PLR0912 - one small lexer loop
    """Index of the '{' that opens the top-level WHERE group (after a top-level WHERE keyword if any)."""
    first_brace: int | None = None
    after_where: int | None = None
    depth = 0
    parens = 0
    i, n = 0, len(text)
    saw_where = False
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<" and (m := _IRI_AT.match(text, i)):
            i = m.end()
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c == "{":
            if depth == 0 and parens == 0:
                if first_brace is None:
                    first_brace = i
                if saw_where and after_where is None:
                    after_where = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif (c in "wW") and depth == 0 and parens == 0 and text[i : i + 5].lower() == "where":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 5] if i + 5 < n else " "
            if not (before.isalnum() or before in "_:?$") and not (after.isalnum() or after in "_:"):
                saw_where = True
        i += 1
    return after_where if saw_where else first_brace
