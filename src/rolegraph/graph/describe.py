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
from rolegraph.graph.rdf import triple_sort_key
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


def describe(
    triples: Sequence[Triple],
    files: Sequence[tuple[Path, bytes]],
    *,
    base: str = DEFAULT_BASE,
    created: datetime | None = None,
) -> tuple[Triple, ...]:
    """The VoID/DCAT triples about ``triples``, published as ``files`` (sorted, no blank nodes)."""
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

    subjects = {s for s, _, _ in triples}
    predicates = {p for _, p, _ in triples}
    typed: dict[Node, set[Node]] = {}
    for s, p, o in triples:
        if p == RDF.type:
            typed.setdefault(o, set()).add(s)
    add(dataset, VOID.triples, _int(len(triples)))
    add(dataset, VOID.entities, _int(len(subjects)))
    add(dataset, VOID.distinctSubjects, _int(len(subjects)))
    add(dataset, VOID.properties, _int(len(predicates)))
    add(dataset, VOID.classes, _int(len(typed)))
    for cls, members in typed.items():
        assert isinstance(cls, URIRef)  # noqa: S101 - the builder types nodes with IRIs only
        partition = URIRef(f"{dataset}/class/{_local(cls)}")
        add(dataset, VOID.classPartition, partition)
        add(partition, RDF.type, VOID.Dataset)
        add(partition, VOID["class"], cls)
        add(partition, VOID.entities, _int(len(members)))
    for page in typed.get(RG.SourcePage, set()):
        assert isinstance(page, URIRef)  # noqa: S101
        add(dataset, DCTERMS.source, page)
        add(dataset, PROV.hadPrimarySource, page)
    for path, data in files:
        fmt = next(f for f in FORMATS.values() if f.extension == path.suffix)
        distribution = URIRef(f"{dataset}/distribution/{fmt.name}")
        add(dataset, DCAT.distribution, distribution)
        add(distribution, RDF.type, DCAT.Distribution)
        add(distribution, DCTERMS.title, Literal(path.name))
        add(distribution, DCAT.mediaType, MEDIA_TYPES[fmt.media_type])
        add(distribution, DCAT.byteSize, _int(len(data)))
    return tuple(sorted(out, key=triple_sort_key))


def description_turtle(triples: Sequence[Triple], files: Sequence[tuple[Path, bytes]], base: str) -> bytes:
    """``void.ttl``: :func:`describe` as Turtle, ``created`` from ``SOURCE_DATE_EPOCH`` when set."""
    return to_turtle(describe(triples, files, base=base, created=source_date_epoch()), DESCRIPTION_PREFIXES)


def _local(cls: URIRef) -> str:
    """``rg-Role``, ``skos-Concept``: a readable, unique path segment for a class partition."""
    hashed = "class-" + hashlib.sha256(str(cls).encode("utf-8")).hexdigest()[:16]
    return compact(cls, DESCRIPTION_PREFIXES, sep="-") or hashed


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


__all__ = ["DESCRIPTION_NAME", "LICENSE", "describe", "description_turtle", "source_date_epoch"]
