"""The dataset description ``graph/void.ttl``: VoID and DCAT about the published graph.

``rolegraph build`` writes it next to ``rolegraph.ttl`` and ``rolegraph.jsonld`` (atomically,
under the same lock). It says what the graph is (``dcat:Dataset``, ``void:Dataset``), its title,
version (the rolegraph package version, ``dcat:version``), license, size (``void:triples``,
``void:entities``, one ``void:classPartition`` per class with ``void:entities``), the pages it
was built from (``dcterms:source`` and ``prov:hadPrimarySource``: the ``rg:SourcePage`` IRIs),
the ontology and shapes it conforms to, and each published file (``dcat:distribution`` with
media type and size in bytes).

Builds are byte-identical, so the description holds no clock time: ``dcterms:created`` comes
from ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) when that
variable is set, and is left out otherwise.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, OWL, VOID
from rdflib.term import Node

from rolegraph import __version__
from rolegraph.errors import RolegraphError
from rolegraph.formats import DESCRIPTION_NAME
from rolegraph.graph.io import FORMATS, to_turtle
from rolegraph.graph.rdf import Key, triple_sort_key
from rolegraph.graph.vocab import DCTERMS, DEFAULT_BASE, LICENSE, PREFIXES, PROV, RDF, RG, XSD, compact

Triple = tuple[URIRef, URIRef, Node]

TITLE: Final = "rolegraph: a knowledge graph of job roles, skills and levels"
ONTOLOGY: Final = URIRef("https://w3id.org/rolegraph/ontology")
SHAPES: Final = URIRef("https://w3id.org/rolegraph/shapes")
MEDIA_TYPES: Final = Namespace("https://www.iana.org/assignments/media-types/")
DCAT_VERSION: Final = URIRef(f"{DCAT}version")  # DCAT 3; rdflib's DCAT namespace is DCAT 2
DESCRIPTION_PREFIXES: Final = {**PREFIXES, "dcat": str(DCAT), "void": str(VOID)}


def source_date_epoch() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, or None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    try:
        return datetime.fromtimestamp(int(raw.strip()), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise RolegraphError(
            f"SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, found {raw!r}",
            hint="unset it to leave dcterms:created out",
        ) from None


@dataclass(frozen=True, slots=True)
class KeyCounts:
    """What the description says about a graph's triples: counts, classes and source pages."""

    triples: int
    subjects: int
    predicates: int
    classes: dict[str, int]  # class IRI -> how many nodes have it
    pages: tuple[str, ...]  # the rg:SourcePage IRIs

    @classmethod
    def of(cls, keys: Sequence[Key]) -> KeyCounts:
        """The counts of the builder's sorted keys (subjects are runs, so counting them is one pass)."""
        subjects = 0
        last = None
        predicates: set[str] = set()
        members: dict[str, set[str]] = {}
        type_key = "0" + str(RDF.type)
        for s, pk, ok, _ in keys:
            if s != last:
                subjects += 1
                last = s
            predicates.add(pk)
            if pk == type_key and ok[0] == "0":
                members.setdefault(ok[1:], set()).add(s)
        pages = tuple(members.get(str(RG.SourcePage), ()))
        return cls(len(keys), subjects, len(predicates), {c: len(m) for c, m in members.items()}, pages)


def _counts_of_triples(triples: Sequence[Triple]) -> KeyCounts:
    typed: dict[Node, set[Node]] = {}
    for s, p, o in triples:
        if p == RDF.type:
            typed.setdefault(o, set()).add(s)
    for cls in typed:
        assert isinstance(cls, URIRef)  # noqa: S101 - the builder types nodes with IRIs only
    return KeyCounts(
        triples=len(triples),
        subjects=len({s for s, _, _ in triples}),
        predicates=len({p for _, p, _ in triples}),
        classes={str(c): len(m) for c, m in typed.items()},
        pages=tuple(str(page) for page in typed.get(RG.SourcePage, set())),
    )


def describe(
    triples: Sequence[Triple] | KeyCounts,
    files: Sequence[tuple[Path, bytes | int]],
    *,
    base: str = DEFAULT_BASE,
    created: datetime | None = None,
) -> tuple[Triple, ...]:
    """The VoID/DCAT triples about ``triples``, published as ``files`` (bytes or sizes); sorted, no blank nodes."""
    dataset = URIRef(f"{base}dataset")
    out: set[Triple] = set()

    def add(s: URIRef, p: URIRef, o: Node) -> None:
        out.add((s, p, o))

    add(dataset, RDF.type, DCAT.Dataset)
    add(dataset, RDF.type, VOID.Dataset)
    add(dataset, DCTERMS.title, Literal(TITLE))
    add(dataset, DCAT_VERSION, Literal(__version__))
    add(dataset, OWL.versionInfo, Literal(__version__))
    add(dataset, DCTERMS.license, LICENSE)
    add(dataset, DCTERMS.conformsTo, ONTOLOGY)
    add(dataset, DCTERMS.conformsTo, SHAPES)
    add(dataset, VOID.uriSpace, Literal(base))
    if created is not None:
        add(
            dataset,
            DCTERMS.created,
            Literal(created.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime, normalize=False),
        )

    counts = _counts_of_triples(triples) if not isinstance(triples, KeyCounts) else triples
    add(dataset, VOID.triples, _int(counts.triples))
    add(dataset, VOID.entities, _int(counts.subjects))
    add(dataset, VOID.distinctSubjects, _int(counts.subjects))
    add(dataset, VOID.properties, _int(counts.predicates))
    add(dataset, VOID.classes, _int(len(counts.classes)))
    for cls, members in counts.classes.items():
        partition = URIRef(f"{dataset}/class/{_local(URIRef(cls))}")
        add(dataset, VOID.classPartition, partition)
        add(partition, RDF.type, VOID.Dataset)
        add(partition, VOID["class"], URIRef(cls))
        add(partition, VOID.entities, _int(members))
    for page in counts.pages:
        add(dataset, DCTERMS.source, URIRef(page))
        add(dataset, PROV.hadPrimarySource, URIRef(page))
    for path, data in files:
        fmt = next(f for f in FORMATS.values() if f.extension == path.suffix)
        distribution = URIRef(f"{dataset}/distribution/{fmt.name}")
        add(dataset, DCAT.distribution, distribution)
        add(distribution, RDF.type, DCAT.Distribution)
        add(distribution, DCTERMS.title, Literal(path.name))
        add(distribution, DCAT.mediaType, MEDIA_TYPES[fmt.media_type])
        add(distribution, DCAT.byteSize, _int(data if isinstance(data, int) else len(data)))
    return tuple(sorted(out, key=triple_sort_key))


def description_turtle(
    triples: Sequence[Triple] | KeyCounts, files: Sequence[tuple[Path, bytes | int]], base: str
) -> bytes:
    """``void.ttl``: :func:`describe` as Turtle, ``created`` from ``SOURCE_DATE_EPOCH`` when set."""
    return to_turtle(describe(triples, files, base=base, created=source_date_epoch()), DESCRIPTION_PREFIXES)


def _local(cls: URIRef) -> str:
    """``rg-Role``, ``skos-Concept``: a readable, unique path segment for a class partition."""
    hashed = "class-" + hashlib.sha256(str(cls).encode("utf-8")).hexdigest()[:16]
    return compact(cls, DESCRIPTION_PREFIXES, sep="-") or hashed


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


__all__ = ["DESCRIPTION_NAME", "LICENSE", "describe", "description_turtle", "source_date_epoch"]
