"""The one list of formats, engines and default paths that every option, reader and writer reads.

Each kind is a mapping name -> :class:`Format`, in the order ``--help`` lists it: RDF syntaxes
(files we read and write), exports, ``rolegraph query`` outputs, and what the web's SPARQL
endpoint serves (results of SELECT and ASK; graphs of CONSTRUCT and DESCRIBE, with the other names
clients such as SPARQLWrapper send). The readers and writers live with their stage (``graphio``,
``export``, ``query``, ``web.sparql``), each built from these names, so a name here without a writer
there fails at import; ``tests/test_formats.py`` proves every entry works end to end.

This module is light on purpose (dataclasses, pathlib, typing): the CLI builds its ``click.Choice``
lists and ``--help`` from it without importing rdflib, pyoxigraph or pySHACL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, get_args


@dataclass(frozen=True, slots=True)
class Format:
    """One format: its name, file extensions and media types (the first of each is the one we write)."""

    name: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    description: str = ""
    #: other names clients send for it as ``format=`` (SPARQLWrapper's ``xml`` means RDF/XML for a graph)
    aliases: tuple[str, ...] = ()
    #: served with ``; charset=utf-8`` (text formats whose media type has no fixed encoding)
    charset: bool = False
    #: an export that a ROLE narrows to that role
    takes_role: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header we send."""
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


def _kind(*entries: Format) -> Mapping[str, Format]:
    return {f.name: f for f in entries}


#: RDF files we read and write (``graphio``); ``.json`` is read as JSON-LD too
RDF_SYNTAXES: Final = _kind(
    Format("turtle", (".ttl",), ("text/turtle",), "Turtle"),
    Format("jsonld", (".jsonld", ".json"), ("application/ld+json",), "JSON-LD (compact, context embedded)"),
    Format("ntriples", (".nt",), ("application/n-triples",), "N-Triples"),
)
#: what ``rolegraph build`` writes into the out folder, next to the dataset description
PUBLISHED: Final = ("turtle", "jsonld")

#: ``rolegraph export --format`` (``export``); the RDF syntaxes export the graph or one role
EXPORTS: Final = _kind(
    Format(
        "sssom",
        (".sssom.tsv",),
        ("text/tab-separated-values",),
        "role -> classification mappings, SSSOM TSV (read by sssom-py)",
        takes_role=True,
    ),
    Format(
        "schema-org",
        (".jsonld",),
        ("application/ld+json",),
        "schema.org Occupation JSON-LD for career sites (every role, or ROLE)",
        takes_role=True,
    ),
    Format(
        "graphml",
        (".graphml",),
        ("application/graphml+xml",),
        "the career-move graph (roles, weights) for Gephi, yEd or networkx",
    ),
    Format(
        "csv",
        (".csv",),
        ("text/csv",),
        "one row per role: coordinates, level, pay, codes, skills ('; ')",
        takes_role=True,
    ),
    *(
        Format(
            f.name,
            f.extensions[:1],
            f.media_types,
            "the graph itself, or with ROLE the role and the nodes it owns and names",
            takes_role=True,
        )
        for f in RDF_SYNTAXES.values()
    ),
)

#: ``rolegraph query --format`` (``query.OUTPUT_FORMATS``)
QUERY_OUTPUTS: Final = _kind(
    Format("table", (".txt",), ("text/plain",), "aligned columns for reading", charset=True),
    Format("json", (".srj", ".json"), ("application/sparql-results+json",), "SPARQL 1.1 Query Results JSON"),
    Format("csv", (".csv",), ("text/csv",), "comma-separated values, a header row first", charset=True),
    Format("tsv", (".tsv",), ("text/tab-separated-values",), "tab-separated values, a header row first", charset=True),
)

#: ``--format`` of the commands that answer a question (distance, nearest, path, compare, queries, validate):
#: text to read, or one JSON document whose shape docs/json.md gives, for jq and pandas
ANSWER_OUTPUTS: Final = _kind(
    Format("text", (".txt",), ("text/plain",), "lines to read", charset=True),
    Format("json", (".json",), ("application/json",), "one JSON document (docs/json.md)"),
)

#: the SPARQL endpoint's answers to SELECT and ASK (``web.sparql``), the W3C result formats
ENDPOINT_RESULTS: Final = _kind(
    Format("json", (".srj",), ("application/sparql-results+json", "application/json"), "SPARQL results JSON"),
    Format("xml", (".srx",), ("application/sparql-results+xml", "application/xml"), "SPARQL results XML"),
    Format("csv", (".csv",), ("text/csv",), "SPARQL results CSV", charset=True),
    Format("tsv", (".tsv",), ("text/tab-separated-values",), "SPARQL results TSV", charset=True),
)
#: the SPARQL endpoint's answers to CONSTRUCT and DESCRIBE; SPARQLWrapper's XML and JSON mean RDF/XML and JSON-LD
ENDPOINT_GRAPHS: Final = _kind(
    Format(
        "turtle",
        (".ttl",),
        ("text/turtle", "text/n3", "text/rdf+n3", "application/x-turtle"),  # Turtle is N3 too
        "Turtle",
        aliases=("n3", "ttl"),
        charset=True,
    ),
    Format("ntriples", (".nt",), ("application/n-triples", "text/plain"), "N-Triples", aliases=("nt",)),
    Format("rdfxml", (".rdf",), ("application/rdf+xml",), "RDF/XML", aliases=("xml", "rdf", "rdf+xml")),
    Format(
        "jsonld", (".jsonld",), ("application/ld+json", "application/x-json+ld"), "JSON-LD", aliases=("json", "json-ld")
    ),
)
DEFAULT_ENDPOINT_RESULT: Final = "json"
DEFAULT_ENDPOINT_GRAPH: Final = "turtle"

ShaclEngine = Literal["turbo", "pyshacl"]
#: ``--shacl-engine``: pyshacl-turbo (fast, the default) or pySHACL (the reference)
SHACL_ENGINES: Final[tuple[ShaclEngine, ...]] = get_args(ShaclEngine)
DEFAULT_SHACL_ENGINE: Final[ShaclEngine] = "turbo"

QueryEngine = Literal["oxigraph", "rdflib"]
#: ``rolegraph query --engine``: the local SPARQL engine
QUERY_ENGINES: Final[tuple[QueryEngine, ...]] = get_args(QueryEngine)
DEFAULT_QUERY_ENGINE: Final[QueryEngine] = "oxigraph"

# -- default paths and names -----------------------------------------------------------------

#: `rolegraph align --target`: the reference vocabularies (rolegraph.align.candidates.TARGETS, checked by a test)
ALIGN_TARGETS: Final = ("onet", "esco", "isco", "esco-skills")
#: `rolegraph align -f`
ALIGN_OUTPUTS: Final = ("table", "json")

DEFAULT_SEEDS: Final = Path("seeds")  # the canon profile pages `rolegraph build` reads
DEFAULT_OUT: Final = Path("graph")  # where it writes the published graph
GRAPH_NAME: Final = "rolegraph"  # the published files' stem
DESCRIPTION_NAME: Final = "void.ttl"  # the dataset description (VoID/DCAT) beside them
#: the graph every reading command opens without ``--graph FILE``
DEFAULT_GRAPH: Final = DEFAULT_OUT / f"{GRAPH_NAME}{RDF_SYNTAXES['turtle'].extension}"
#: the named graph ``push`` replaces and ``query --endpoint`` reads
DEFAULT_GRAPH_IRI: Final = "https://w3id.org/rolegraph/graph"


def published_files() -> tuple[str, ...]:
    """The file names ``rolegraph build`` writes: the graph in each published syntax, then the description."""
    return (*(f"{GRAPH_NAME}{RDF_SYNTAXES[name].extension}" for name in PUBLISHED), DESCRIPTION_NAME)


def by_media_type(kind: Mapping[str, Format]) -> dict[str, str]:
    """Media type -> format name, for every media type an entry of ``kind`` accepts."""
    return {media: f.name for f in kind.values() for media in f.media_types}


def by_alias(kind: Mapping[str, Format]) -> dict[str, str]:
    """Alias -> format name."""
    return {alias: f.name for f in kind.values() for alias in f.aliases}


def implying_extensions() -> tuple[str, ...]:
    """The ``-o`` file name endings that imply an export: those that exactly one export writes."""
    return tuple(f.extension for f in EXPORTS.values() if export_for_path(f.extension) == f.name)


def export_for_path(path: str) -> str | None:
    """The export a file name implies (``x.sssom.tsv`` -> sssom), or None.

    None also when the name fits several (``.jsonld`` is both schema-org and jsonld).
    """
    lowered = path.lower()
    fits = [f.name for f in EXPORTS.values() if lowered.endswith(f.extension)]
    return fits[0] if len(fits) == 1 else None


__all__ = [
    "ANSWER_OUTPUTS",
    "DEFAULT_ENDPOINT_GRAPH",
    "DEFAULT_ENDPOINT_RESULT",
    "DEFAULT_GRAPH",
    "DEFAULT_GRAPH_IRI",
    "DEFAULT_OUT",
    "DEFAULT_QUERY_ENGINE",
    "DEFAULT_SEEDS",
    "DEFAULT_SHACL_ENGINE",
    "DESCRIPTION_NAME",
    "ENDPOINT_GRAPHS",
    "ENDPOINT_RESULTS",
    "EXPORTS",
    "GRAPH_NAME",
    "PUBLISHED",
    "QUERY_ENGINES",
    "QUERY_OUTPUTS",
    "RDF_SYNTAXES",
    "SHACL_ENGINES",
    "Format",
    "QueryEngine",
    "ShaclEngine",
    "by_alias",
    "by_media_type",
    "export_for_path",
    "implying_extensions",
]
