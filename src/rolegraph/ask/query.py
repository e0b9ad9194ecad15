"""The SPARQL query library (``queries/*.rq``), typed parameters, the network guard and output formats.

Each ``.rq`` opens with a comment block::

    # What it answers (one line).
    #
    # param code: role-code  the role's code
    # param level?: level-code  optional parameters end with '?'
    # example: rolegraph query role --param code=DATASC.AIMACHIN97C0.P7

Parameters are converted to RDF terms by type (codes are checked against their pattern first) and
bound by the store, never pasted into the query.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rolegraph.ask.store import QueryStore, Table, Term
from rolegraph.errors import QueryError
from rolegraph.formats import QUERY_OUTPUTS
from rolegraph.graph.vocab import XSD
from rolegraph.pages.model import FOCUS_PART_RE, FUNCTION_CODE_RE, LEVEL_CODE_RE, ROLE_CODE_RE
from rolegraph.resources import resource
from rolegraph.text import plural

_PARAM_RE: Final = re.compile(
    r"#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<opt>\??)\s*:\s*(?P<type>[a-z-]+)\s*(?P<doc>.*)"
)
_EXAMPLE_RE: Final = re.compile(r"#\s*example\s*:\s*(?P<text>.+)")
_EXAMPLE_PARAM_RE: Final = re.compile(r"(?:--param|-p)[ =](\S+)")
_SOC_RE: Final = re.compile(r"[0-9]{2}-[0-9]{4}(?:\.[0-9]{2})?")
_FOCUS_RE: Final = re.compile(rf"{FUNCTION_CODE_RE.pattern}\.{FOCUS_PART_RE.pattern}")
MAX_PARAM_LENGTH: Final = 1000


def _coded(pattern: re.Pattern[str], what: str) -> Callable[[str], Term]:
    def convert(value: str) -> Term:
        code = value.strip().upper()  # codes are case-insensitive everywhere else in the CLI
        if pattern.fullmatch(code) is None:
            raise ValueError(f"{what} matching {pattern.pattern}")
        return Literal(code)

    return convert


def _string(value: str) -> Term:
    return Literal(value)


def _integer(value: str) -> Term:
    if re.fullmatch(r"[+-]?[0-9]+", value) is None:
        raise ValueError("an integer")
    return Literal(str(int(value)), datatype=XSD.integer)


def _decimal(value: str) -> Term:
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", value) is None:
        raise ValueError("a decimal number")
    return Literal(str(Decimal(value)), datatype=XSD.decimal)


def _iri(value: str) -> Term:
    if re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", value) is None:
        raise ValueError('an http(s) IRI without spaces or <>"{}|^`\\')
    return URIRef(value)


# One registry of parameter types: name -> converter (raises ValueError naming what it expects).
PARAM_TYPES: Final[dict[str, Callable[[str], Term]]] = {
    "role-code": _coded(ROLE_CODE_RE, "a role code FUNCTION.FOCUS.LEVEL"),
    "focus-code": _coded(_FOCUS_RE, "a focus code FUNCTION.FOCUS"),
    "function-code": _coded(FUNCTION_CODE_RE, "a function code"),
    "level-code": _coded(LEVEL_CODE_RE, "a level code (P1.., M1..)"),
    "soc-code": _coded(_SOC_RE, "a SOC 2018 code like 15-2051"),
    "string": _string,
    "skill-name": _string,  # then matched to a stored skill name, ignoring case (resolve_names)
    "integer": _integer,
    "decimal": _decimal,
    "iri": _iri,
}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    optional: bool
    doc: str

    def usage(self) -> str:
        return f"{self.name}{'?' if self.optional else ''} ({self.type}: {self.doc})"


@dataclass(frozen=True, slots=True)
class QuerySpec:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str
    source: str
    shipped: bool = False

    @property
    def example_params(self) -> dict[str, str]:
        """The parameters of its ``# example:`` line (``--param name=value``): values that work."""
        return parse_param_options(_EXAMPLE_PARAM_RE.findall(self.example))

    def record(self) -> dict[str, object]:
        """The JSON shape of one entry of ``rolegraph queries -f json``."""
        params = [{"name": p.name, "type": p.type, "optional": p.optional, "doc": p.doc} for p in self.params]
        return {"name": self.name, "description": self.description, "params": params, "example": self.example or None}

    def bind(self, raw: Mapping[str, str]) -> dict[str, Term]:
        """Check names and convert values; errors list what the query expects."""
        expected = ", ".join(p.usage() for p in self.params) or "none"
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise QueryError(f"{self.name}: unknown parameter {unknown[0]!r}; expected parameters: {expected}")
        missing = [p.name for p in self.params if not p.optional and p.name not in raw]
        if missing:
            raise QueryError(f"{self.name}: missing parameter {missing[0]!r}; expected parameters: {expected}")
        bound: dict[str, Term] = {}
        for name, value in raw.items():
            param = known[name]
            if len(value) > MAX_PARAM_LENGTH or "\x00" in value:
                raise QueryError(
                    f"{self.name}: parameter {name!r}: expected at most {MAX_PARAM_LENGTH} characters, no NUL"
                )
            try:
                bound[name] = PARAM_TYPES[param.type](value)
            except ValueError as exc:
                raise QueryError(f"{self.name}: parameter {name!r}: expected {exc}, found {value!r}") from None
        return bound


def parse_spec(name: str, text: str, source: str) -> QuerySpec:
    """Read the comment block that opens a ``.rq`` file; its first paragraph is the description."""
    summary: list[str] = []
    ended = False  # the description runs over lines up to a blank comment line, a param or an example
    params: list[Param] = []
    example = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        if m := _PARAM_RE.fullmatch(stripped):
            if m.group("type") not in PARAM_TYPES:
                known = ", ".join(PARAM_TYPES)
                raise QueryError(f"{source}:{number}: expected a parameter type ({known}), found {m.group('type')!r}")
            params.append(Param(m.group("name"), m.group("type"), bool(m.group("opt")), m.group("doc").strip()))
        elif m := _EXAMPLE_RE.fullmatch(stripped):
            example = m.group("text").strip()
        elif (words := stripped.lstrip("#").strip()) and not ended:
            summary.append(words)
            continue
        ended = ended or bool(summary)
    return QuerySpec(name, " ".join(summary), tuple(params), example, text, source)


@cache
def library() -> dict[str, QuerySpec]:
    """The shipped queries by name (file stem), sorted."""
    folder = resource("queries")
    specs = {}
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".rq"):
            name = item.name.removesuffix(".rq")
            spec = parse_spec(name, item.read_text(encoding="utf-8"), f"queries/{item.name}")
            specs[name] = replace(spec, shipped=True)
    return specs


def get_spec(name: str) -> QuerySpec:
    specs = library()
    if name not in specs:
        import difflib  # noqa: PLC0415

        close = difflib.get_close_matches(name, list(specs), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see `rolegraph queries`"
        raise QueryError(f"expected a query name from queries/, found {name!r}", hint=hint)
    return specs[name]


def user_spec(path: Path) -> QuerySpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: expected a readable UTF-8 query file, found {type(exc).__name__}") from None
    return parse_spec(path.stem, text, str(path))


# -- the network guard ------------------------------------------------------------------------------

NETWORK_PARTS: Final = {
    "ServiceGraphPattern": "SERVICE",
    "DatasetClause": "FROM / FROM NAMED",
    "Load": "LOAD",
}


@lru_cache(maxsize=16)  # the CLI checks a --file query before loading the graph, then run() checks it again
def check_local(query: str, *, allow_network: bool = False) -> None:
    """Refuse SERVICE, FROM <url> and LOAD in local evaluation unless the user allows the network.

    The query is parsed by rdflib's SPARQL parser, which expands ``\\u`` escapes first, so
    ``S\\u0045RVICE`` is caught as SERVICE; no regex runs over the query text. The parse takes
    about 0.4 ms a character (25 s for 60,000), holding the GIL: callers that must bound it test
    :func:`could_fetch` first.
    """
    with _PARSE_LOCK:  # rdflib's parser is not thread-safe: concurrent parses fail "at char 0"
        tree: Any = _parse_guarded(query)
    if allow_network:
        return
    found = _find_parts(tree)
    if found:
        raise QueryError(
            f"expected a query without network access, found {found}",
            hint="local queries never fetch; pass --allow-network if you mean it",
        )


def _parse_guarded(query: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # noqa: PLC0415

    try:
        return _parse_deep(parseQuery, query)
    except QueryError:
        raise
    except Exception as query_error:
        try:
            _parse_deep(parseUpdate, query)
        except Exception as update_error:
            # report where the parse got further: a broken SELECT is not an update that fails at char 0
            exc = update_error if _error_at(update_error) > _error_at(query_error) else query_error
            raise QueryError(f"expected a valid SPARQL query, found a syntax error: {_short(exc)}") from None
        raise QueryError(
            "expected a SPARQL query (SELECT); updates such as LOAD, INSERT or DROP are never run"
        ) from None


_PARSE_LOCK: Final = threading.Lock()


def could_fetch(query: str) -> bool:
    """Whether the words SERVICE, FROM or LOAD appear at all, in any case, after ``\\u`` escapes are expanded.

    A cheap, conservative test (microseconds, where :func:`check_local` takes seconds on a long
    query): a query without them has no network part; one with them (even in a string or a name) may.
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes  # noqa: PLC0415

    text = expandUnicodeEscapes(query)
    lower, upper = text.lower(), text.upper()  # both: rdflib folds case with upper(), "ſ".upper() == "S"
    return any(word in lower or word.upper() in upper for word in ("service", "from", "load"))


def _find_parts(tree: Any) -> str | None:
    """Walk rdflib's parse tree: CompValues (dicts with a ``name``) and ParseResults (lists).

    With a stack rather than recursion: a deeply nested query makes a deep tree.
    """
    from pyparsing import ParseResults  # noqa: PLC0415 - rdflib's SPARQL parser loads it anyway

    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name in NETWORK_PARTS:
            return NETWORK_PARTS[name]
        if isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(reversed(list(node)))
    return None


# rdflib's parser (pyparsing) recurses 30-40 Python frames per nested group, OPTIONAL or parenthesis,
# so about 30 levels exhaust Python's default limit of 1,000 and a valid query looked like a syntax
# error. Such a query is parsed again in a thread with a large stack and a higher recursion limit.
DEEP_PARSE_FRAMES: Final = 50_000  # about 1,200 levels of nesting
_DEEP_PARSE_STACK: Final = 256 * 1024 * 1024  # reserved address space; only the pages used are memory
_deep_parse_lock: Final = threading.Lock()  # the recursion limit is process-wide: one deep parse at a time


def _parse_deep(parse: Callable[[str], Any], text: str) -> Any:
    """``parse(text)``; after a RecursionError, again with room for :data:`DEEP_PARSE_FRAMES` frames."""
    try:
        return parse(text)
    except RecursionError:
        pass
    outcome: list[tuple[bool, Any]] = []

    def work() -> None:
        try:
            outcome.append((True, parse(text)))
        except Exception as exc:  # handed back to the calling thread
            outcome.append((False, exc))

    with _deep_parse_lock:
        limit, stack = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(_DEEP_PARSE_STACK)
            sys.setrecursionlimit(max(limit, DEEP_PARSE_FRAMES))
            worker = threading.Thread(target=work, name="rolegraph-deep-parse", daemon=True)
            worker.start()
            worker.join()
        finally:
            threading.stack_size(stack)
            sys.setrecursionlimit(limit)
    ok, value = outcome[0]
    if ok:
        return value
    if isinstance(value, RecursionError):
        raise QueryError(
            f"expected a query nested at most about {DEEP_PARSE_FRAMES // 40:,} levels deep, found deeper nesting"
        ) from None
    raise value


def _error_at(exc: Exception) -> int:
    """Where a pyparsing error stopped (its ``loc``), -1 when it does not say."""
    loc = getattr(exc, "loc", -1)
    return loc if isinstance(loc, int) else -1


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) < 160 else text[:159] + "…"


# -- output formats ---------------------------------------------------------------------------------


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    return str(term)


def as_table(table: Table) -> str:
    header = list(table.columns)
    cells = [[_cell(t).replace("\n", " ") for t in row] for row in table.rows]
    widths = [max([len(h)] + [min(len(r[i]), 80) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        clipped = [c if len(c) <= 80 else c[:79] + "…" for c in row]
        lines.append("  ".join(c.ljust(w) for c, w in zip(clipped, widths, strict=True)).rstrip())
    lines.append(f"({plural(len(cells), 'row')})")
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    """SPARQL 1.1 Query Results JSON form of one term."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)  # noqa: S101 - results hold only these three kinds
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def as_json(table: Table) -> str:
    """SPARQL 1.1 Query Results JSON (what every SPARQL tool reads)."""
    bindings = [
        {name: _json_term(t) for name, t in zip(table.columns, row, strict=True) if t is not None} for row in table.rows
    ]
    return (
        json.dumps(
            {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1
        )
        + "\n"
    )


def _delimited(table: Table, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(t) for t in row])
    return buffer.getvalue()


_RENDERERS: Final[Mapping[str, Callable[[Table], str]]] = {
    "table": as_table,
    "json": as_json,
    "csv": lambda t: _delimited(t, ","),
    "tsv": lambda t: _delimited(t, "\t"),
}
#: the outputs of :data:`rolegraph.formats.QUERY_OUTPUTS`, each with its renderer
OUTPUT_FORMATS: Final[dict[str, Callable[[Table], str]]] = {name: _RENDERERS[name] for name in QUERY_OUTPUTS}


def run(
    spec: QuerySpec,
    raw_params: Mapping[str, str],
    store: QueryStore,
    *,
    allow_network: bool = False,
) -> Table:
    """Bind the parameters and run the query on ``store`` (the network guard for a local store)."""
    bindings = resolve_names(spec, spec.bind(raw_params), store)
    if store.local and not spec.shipped:  # shipped queries pass the guard: tests/test_queries.py proves it
        check_local(spec.text, allow_network=allow_network)
    table: Table = store.select(spec.text, bindings)
    return table


_SKILL_NAMES: Final = """PREFIX rg: <https://w3id.org/rolegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name ?iri WHERE {
  { ?skill a rg:Skill ; skos:prefLabel ?name . }
  UNION
  { ?iri skos:prefLabel ?name . ?skill skos:exactMatch|skos:closeMatch|skos:narrowMatch|skos:broadMatch ?iri .
    ?skill a rg:Skill . }
}
"""


def resolve_names(spec: QuerySpec, bindings: Mapping[str, Term], store: QueryStore) -> dict[str, Term]:
    """Each ``skill-name`` parameter becomes the stored skill name it matches, ignoring case: a page
    skill's name, or the label of an ESCO skill a page skill is aligned to (its URI works too).

    The query itself then matches that exact name, which Oxigraph plans well where a
    ``FILTER(LCASE(...))`` join did not (DESIGN.md, Decisions). A name that matches no skill is a
    :class:`QueryError` that lists the closest names.
    """
    wanted = [p.name for p in spec.params if p.type == "skill-name" and p.name in bindings]
    if not wanted:
        return dict(bindings)
    found = store.select(_SKILL_NAMES, {}).rows
    names = {str(name) for name, _ in found if name is not None}
    by_iri = {str(iri): str(name) for name, iri in found if iri is not None and name is not None}
    resolved = dict(bindings)
    for name in wanted:
        value = str(bindings[name])
        value = by_iri.get(value.strip(), value)  # an aligned ESCO skill's URI: its label
        resolved[name] = Literal(_match_name(f"{spec.name}: parameter {name!r}", value, names))
    return resolved


def _match_name(where: str, value: str, names: set[str]) -> str:
    if value in names:
        return value
    key = value.strip().casefold()
    found = sorted(n for n in names if n.casefold() == key)
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(f"{where}: expected one skill, found {len(found)} named {value!r}: {', '.join(found)}")
    close = closest_names(value, names)
    raise QueryError(
        f"{where}: no skill named {value!r}" + (f"; closest: {', '.join(close)}" if close else ""),
        hint="`rolegraph query focus-skills` lists every skill",
    )


def closest_names(value: str, names: set[str], n: int = 5) -> list[str]:
    """Up to ``n`` names like ``value``, ignoring case: the closest spellings, then names that contain it."""
    import difflib  # noqa: PLC0415

    folded = {name.casefold(): name for name in sorted(names)}
    key = value.strip().casefold()
    close = difflib.get_close_matches(key, list(folded), n=n, cutoff=0.6)
    containing = [k for k in folded if len(key) > 1 and key in k]  # not every name with an "a"
    return [folded[k] for k in dict.fromkeys(close + containing)][:n]


def parse_param_options(values: Sequence[str]) -> dict[str, str]:
    """``["code=X", "n=3"]`` -> ``{"code": "X", "n": "3"}``."""
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"expected --param NAME=VALUE, found {item!r}")
        if name in out:
            raise QueryError(f"expected each parameter once, found {name!r} twice")
        out[name] = value
    return out
