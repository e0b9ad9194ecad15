"""Exports for other tools: one registry of formats, each reading the built graph through the shipped queries.

============  =========================================================================================
format        what it writes
============  =========================================================================================
sssom         role -> classification mappings as SSSOM TSV (``queries/mappings.rq``)
schema-org    schema.org ``Occupation`` JSON-LD for career sites (all roles, or one)
graphml       the career-move structure of :class:`~rolegraph.roles.distance.RoleGraph` for Gephi, yEd, networkx
csv           one row per role: coordinates, level, pay, codes, skills (pandas-friendly)
turtle ...    the graph itself in another RDF syntax (``turtle``, ``jsonld``, ``ntriples``; graphio's writers)
============  =========================================================================================

Every writer returns bytes (UTF-8) and is deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from rolegraph import __version__, formats
from rolegraph.ask.query import get_spec, run
from rolegraph.ask.store import QueryStore, Table
from rolegraph.errors import ExportError as ExportError  # noqa: PLC0414 - re-exported: export.ExportError is public
from rolegraph.graph.io import FORMATS
from rolegraph.graph.rdf import decimal_literal, slug, triple_sort_key
from rolegraph.graph.vocab import DEFAULT_BASE, LICENSE, SEMAPV, SKOS, XSD, compact
from rolegraph.pages.model import CLASSIFICATION_SCHEMES
from rolegraph.roles.catalogue import Catalogue, RoleInfo
from rolegraph.roles.distance import RoleGraph

SCHEMA_CONTEXT: Final = "https://schema.org/"
# How schema.org's inCodeSet names a scheme; other schemes go by their heading on the page.
CODE_SET_NAMES: Final = {"O*NET / SOC": "SOC 2018"}
LIST_SEPARATOR: Final = "; "


class GraphSource(Protocol):
    """What an export reads: :class:`rolegraph.api.Session` is one."""

    store: QueryStore

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def roles(self) -> RoleGraph: ...


def _rows(table: Table) -> list[dict[str, Node | None]]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _text(value: Node | None) -> str:
    return "" if value is None else str(value)


def _params(role: RoleInfo | None) -> dict[str, str]:
    return {} if role is None else {"code": role.code}


# -- SSSOM --------------------------------------------------------------------------------------


def code_prefix(scheme_name: str) -> str:
    """The CURIE prefix of a classification scheme: ``SOC2018``, ``ISCO08``, else from the heading."""
    if scheme_name in CLASSIFICATION_SCHEMES:
        path = CLASSIFICATION_SCHEMES[scheme_name][0]
        return re.sub(r"[^A-Za-z0-9]", "", path).upper()
    return re.sub(r"[^A-Za-z0-9]", "", slug(scheme_name)).upper() or "CODE"


def _namespace(iri: str, local: str) -> str:
    if not iri.endswith(local):
        raise ExportError(f"expected the IRI {iri} to end with its code {local!r}")
    return iri[: len(iri) - len(local)]


def sssom_rows(source: GraphSource, role: RoleInfo | None = None) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The CURIE map and the SSSOM rows (subject_id, predicate_id, object_id, ...) of the mappings."""
    prefixes = {"skos": str(SKOS), "semapv": str(SEMAPV)}
    rows: list[dict[str, str]] = []

    def curie(iri: str, prefix: str, local: str) -> str:
        ns = _namespace(iri, local)
        if prefixes.setdefault(prefix, ns) != ns:
            raise ExportError(
                f"expected one namespace for the CURIE prefix {prefix}, found {prefixes[prefix]} and {ns}"
            )
        return f"{prefix}:{local}"

    def known(iri: str) -> str:
        if found := compact(iri, prefixes):
            return found
        raise ExportError(f"expected a mapping term in SKOS or SEMAPV, found <{iri}>")

    for row in _rows(run(get_spec("mappings"), _params(role), source.store)):
        code = _text(row["code"])
        notation = _text(row["notation"])
        rows.append(
            {
                "subject_id": curie(_text(row["role"]), "rgrole", code),
                "subject_label": _text(row["title"]),
                "predicate_id": known(_text(row["predicate"])),
                "object_id": curie(_text(row["object"]), code_prefix(_text(row["schemeName"])), notation),
                "object_label": _text(row["objectTitle"]),
                "mapping_justification": known(_text(row["justification"])),
                "mapping_tool": _text(row["tool"]),
            }
        )
    return dict(sorted(prefixes.items())), rows


SSSOM_COLUMNS: Final = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "mapping_tool",
)


def to_sssom(source: GraphSource, role: RoleInfo | None = None) -> bytes:
    """SSSOM TSV: a ``#``-commented YAML metadata block (curie_map, mapping_set_id, license), then the table.

    There is no ``confidence`` column: the pages state none for their mappings (a role's
    ``rg:confidenceScore`` is the confidence of the whole profile, not of a mapping).
    """
    prefixes, rows = sssom_rows(source, role)
    base = DEFAULT_BASE
    if "rgrole" in prefixes:
        base = prefixes["rgrole"].removesuffix("role/")
    lines = ["#curie_map:"]
    lines += [f"#  {prefix}: {json.dumps(ns)}" for prefix, ns in prefixes.items()]
    lines += [
        f"#mapping_set_id: {json.dumps(base + 'mappings.sssom.tsv')}",
        f"#mapping_set_version: {json.dumps(__version__)}",
        '#mapping_set_title: "rolegraph role to occupational classification mappings"',
        f"#license: {json.dumps(str(LICENSE))}",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SSSOM_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\n".join(lines) + "\n" + buffer.getvalue()).encode("utf-8")


# -- schema.org ----------------------------------------------------------------------------------


def occupations(source: GraphSource, role: RoleInfo | None = None) -> list[dict[str, Any]]:
    """schema.org Occupation objects (no ``@context``), in role-code order.

    Pay is a ``MonetaryAmountDistribution`` with the page's median, and the page's market range as
    ``minValue`` / ``maxValue`` (the graph's own modelling): the pages do not say which percentiles
    bound the range, so ``percentile10`` / ``percentile90`` would claim what the source never states.
    """
    store = source.store
    codes: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(run(get_spec("mappings"), _params(role), store)):
        scheme = _text(row["schemeName"])
        category: dict[str, Any] = {"@type": "CategoryCode", "@id": _text(row["object"])}
        category["codeValue"] = _text(row["notation"])
        if row["objectTitle"] is not None:
            category["name"] = _text(row["objectTitle"])
        category["inCodeSet"] = {
            "@type": "CategoryCodeSet",
            "@id": _text(row["scheme"]),
            "name": CODE_SET_NAMES.get(scheme, scheme),
        }
        codes.setdefault(_text(row["code"]), []).append(category)
    out: list[dict[str, Any]] = []
    for row in _rows(run(get_spec("occupations"), _params(role), store)):
        code = _text(row["code"])
        info = source.catalogue.roles[code]
        item: dict[str, Any] = {"@type": "Occupation", "@id": _text(row["role"]), "identifier": code}
        item["name"] = _text(row["title"])
        if info.aliases:
            item["alternateName"] = list(info.aliases)
        if row["definition"] is not None:
            item["description"] = _text(row["definition"])
        skills = source.catalogue.skills_of(code)
        if skills:
            item["skills"] = [{"@type": "DefinedTerm", "name": name} for name in skills]
        responsibilities = run(get_spec("role-responsibilities"), {"code": code}, store).values()
        if responsibilities:
            item["responsibilities"] = [str(r[2]) for r in responsibilities]
        if row["median"] is not None:
            item["estimatedSalary"] = {
                "@type": "MonetaryAmountDistribution",
                "currency": _text(row["currency"]),
                "duration": _text(row["duration"]),
                "median": int(_text(row["median"])),
                "minValue": int(_text(row["low"])),
                "maxValue": int(_text(row["high"])),
            }
        if row["minYears"] is not None:
            item["experienceRequirements"] = {
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": 12 * int(_text(row["minYears"])),
            }
        if code in codes:
            item["occupationalCategory"] = codes[code]
        out.append(item)
    return out


def to_schema_org(source: GraphSource, role: RoleInfo | None = None) -> bytes:
    """JSON-LD: one Occupation when a role is given, else every role in an ``@graph``."""
    items = occupations(source, role)
    document: dict[str, Any]
    if role is not None:
        document = {"@context": SCHEMA_CONTEXT, **items[0]}
    else:
        document = {"@context": SCHEMA_CONTEXT, "@graph": items}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- GraphML -------------------------------------------------------------------------------------


def move_graph(source: GraphSource) -> Any:
    """The career-move graph of :meth:`RoleGraph.moves` with string ids and attributes for GraphML.

    Role nodes are their codes (``kind=role``, with code, title, function, focus, level, track,
    rank); hubs are ``function/<FUNCTION>/<LEVEL>`` and ``level/<LEVEL>``, those of equivalent
    levels joined by track switches. Edge ``weight`` is the cost of the move, so the shortest
    weighted path between two roles is ``rolegraph path``'s cost.
    """
    import networkx as nx  # noqa: PLC0415

    structure = source.roles
    moves = structure.moves()
    out: nx.Graph[str] = nx.Graph()
    config = structure.config
    for name in ("level_step", "focus_step", "function_step", "track_switch", "m_offset", "scale", "strong", "partial"):
        out.graph[name] = getattr(config, name)

    def node_id(node: object) -> str:
        if isinstance(node, str):
            return node
        assert isinstance(node, tuple)  # noqa: S101 - RoleGraph.moves() hubs are tuples
        return "/".join(str(part) for part in node)

    for node in moves.nodes:
        if isinstance(node, str):
            r = structure.catalogue.roles[node]
            out.add_node(
                node,
                kind="role",
                code=r.code,
                title=r.title,
                function=r.function,
                focus=r.focus,
                level=r.level,
                track=r.track,
                rank=r.rank,
            )
        elif node[0] == "function":
            out.add_node(node_id(node), kind="function-level", function=node[1], level=node[2])
        else:
            out.add_node(node_id(node), kind="level", level=node[1])
    for a, b, data in moves.edges(data=True):
        out.add_edge(node_id(a), node_id(b), weight=float(data["weight"]), move=_move(structure, a, b))
    return out


def _move(structure: RoleGraph, a: object, b: object) -> str:
    if isinstance(a, str) and isinstance(b, str):
        ra, rb = structure.catalogue.roles[a], structure.catalogue.roles[b]
        return "track switch" if ra.track != rb.track else "level"
    if isinstance(a, str) or isinstance(b, str):
        return "focus"  # a role to its (function, level) hub: leaving the focus
    if isinstance(a, tuple) and isinstance(b, tuple) and a[-1] != b[-1]:
        return "track switch"  # hubs of equivalent levels (M<n>, P<n + m_offset>)
    return "function"  # a (function, level) hub to the level hub: leaving the function


def to_graphml(source: GraphSource, role: RoleInfo | None = None) -> bytes:
    import networkx as nx  # noqa: PLC0415

    del role
    return ("\n".join(nx.generate_graphml(move_graph(source))) + "\n").encode("utf-8")


# -- CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS: Final = (
    "code",
    "title",
    "function",
    "function_name",
    "focus",
    "focus_name",
    "level",
    "track",
    "rank",
    "level_title",
    "min_years",
    "max_years",
    "pay_median",
    "pay_low",
    "pay_high",
    "currency",
    "classification_codes",
    "aliases",
    "skill_count",
    "skills",
)


def to_csv(source: GraphSource, role: RoleInfo | None = None) -> bytes:
    """One row per role; lists (aliases, codes, skills) joined with ``'; '``; empty cells where unknown."""
    store, catalogue = source.store, source.catalogue
    codes: dict[str, list[str]] = {}
    for row in _rows(run(get_spec("mappings"), _params(role), store)):
        prefix = code_prefix(_text(row["schemeName"]))
        codes.setdefault(_text(row["code"]), []).append(f"{prefix}:{_text(row['notation'])}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(run(get_spec("occupations"), _params(role), store)):
        r = catalogue.roles[_text(row["code"])]
        skills = catalogue.skills_of(r.code)
        writer.writerow(
            [
                r.code,
                r.title,
                r.function,
                r.function_name,
                r.focus,
                r.focus_name,
                r.level,
                r.track,
                r.rank,
                _text(row["levelTitle"]),
                _text(row["minYears"]),
                _text(row["maxYears"]),
                _text(row["median"]),
                _text(row["low"]),
                _text(row["high"]),
                _text(row["currency"]),
                LIST_SEPARATOR.join(codes.get(r.code, [])),
                LIST_SEPARATOR.join(r.aliases),
                len(skills),
                LIST_SEPARATOR.join(skills),
            ]
        )
    return buffer.getvalue().encode("utf-8")


# -- RDF -----------------------------------------------------------------------------------------


def _rdf(name: str) -> Callable[[GraphSource, RoleInfo | None], bytes]:
    def write(source: GraphSource, role: RoleInfo | None = None) -> bytes:
        if role is None:
            table = source.store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {})
        else:  # the role, the nodes it owns and the nodes it names (what `rolegraph serve` gives as JSON-LD)
            table = run(get_spec("role-description"), {"code": role.code}, source.store)
        triples: list[tuple[URIRef, URIRef, Node]] = []
        for s, p, o in table.rows:
            assert isinstance(s, URIRef), s  # noqa: S101 - the graph has no blank nodes (SHACL)
            assert isinstance(p, URIRef), p  # noqa: S101
            assert o is not None  # noqa: S101
            # Oxigraph reads 4.0 as "4": write decimals as the build does
            value = decimal_literal(Decimal(str(o))) if isinstance(o, Literal) and o.datatype == XSD.decimal else o
            triples.append((s, p, value))
        ordered = sorted(triples, key=triple_sort_key)
        return FORMATS[name].write(ordered)

    return write


# -- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    write: Callable[[GraphSource, RoleInfo | None], bytes]
    takes_role: bool = False
    description: str = ""


_WRITERS: Final[Mapping[str, Callable[[GraphSource, RoleInfo | None], bytes]]] = {
    "sssom": to_sssom,
    "schema-org": to_schema_org,
    "graphml": to_graphml,
    "csv": to_csv,
    **{name: _rdf(name) for name in FORMATS},
}
#: the exports of :data:`rolegraph.formats.EXPORTS`, each with its writer
EXPORTS: Final[Mapping[str, ExportFormat]] = {
    name: ExportFormat(name, f.extension, f.media_type, _WRITERS[name], f.takes_role, f.description)
    for name, f in formats.EXPORTS.items()
}


def export(source: GraphSource, name: str, role: RoleInfo | None = None) -> bytes:
    fmt = EXPORTS[name]
    if role is not None and not fmt.takes_role:
        takes = ", ".join(n for n, f in EXPORTS.items() if f.takes_role)
        raise ExportError(
            f"--format {name} exports the whole graph: expected no ROLE, found {role.code!r}",
            hint=f"a ROLE works with {takes}",
        )
    return fmt.write(source, role)


def format_for_path(path: str) -> str | None:
    """The export format a file name implies (``x.sssom.tsv`` -> sssom), or None."""
    return formats.export_for_path(path)
