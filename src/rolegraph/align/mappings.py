"""Alignments as data: the aligner's candidates and a taxonomist's decisions as SSSOM TSV and as RDF.

Three files, one model (SSSOM slots, :class:`~rolegraph.align.candidates.Candidate`):

- ``graph/alignments.sssom.tsv``: what ``rolegraph align --write`` publishes, a SSSOM mapping set
  (``mapping_justification semapv:SemanticSimilarityThresholdMatching``, ``confidence``, the tool and
  its version, the aligner's rank as the extension slot ``rank``).
- ``graph/alignments.ttl``: the same alignments as RDF. Each is an ``rg:Alignment`` node carrying the
  SSSOM fields, its subject states the SKOS match directly, and each reference concept an alignment
  points to is described by its label, notation, scheme and broader concept, and nothing else.
- ``seeds/mappings.sssom.tsv``: a taxonomist's decisions (``semapv:ManualMappingCuration``), read by
  ``rolegraph build`` beside the pages (:func:`read_decisions`). A row with ``predicate_modifier Not``
  rejects the pair. The aligner never proposes a pair a decision covers (:func:`apply_decisions`).

The predicate of an aligner's candidate follows its confidence (:func:`predicate_for`): the aligner
never claims ``skos:exactMatch`` (that is a taxonomist's call); ``skos:closeMatch`` from
:data:`CLOSE_MATCH_MIN`, ``skos:relatedMatch`` below. Every writer is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Final, Protocol
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from rolegraph import __version__
from rolegraph.align.candidates import ESCO_OCCUPATION, ESCO_SKILL, ISCO_PATH, ONET_PATH, TARGETS, Candidate, Target
from rolegraph.errors import SeedError
from rolegraph.graph.rdf import decimal_literal, triple_sort_key
from rolegraph.graph.vocab import DEFAULT_BASE, LICENSE, PREFIXES, RG, SEMAPV, SKOS, XSD

Triple = tuple[URIRef, URIRef, Node]

SSSOM_NAME: Final = "alignments.sssom.tsv"
RDF_NAME: Final = "alignments.ttl"
CURATED_NAME: Final = "mappings.sssom.tsv"

TOOL: Final = "rolegraph align"
ALIGNER: Final = SEMAPV.SemanticSimilarityThresholdMatching
CURATED: Final = SEMAPV.ManualMappingCuration
#: from this confidence an aligner's candidate is a ``skos:closeMatch``; below, a ``skos:relatedMatch``
CLOSE_MATCH_MIN: Final = Decimal("0.7")
NOT: Final = "Not"
MATCHES: Final = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")

#: the scheme (concept scheme) of each target, and its label, for the graph
SCHEME_LABELS: Final[Mapping[Target, str]] = {
    "onet": "O*NET-SOC 2019",
    "esco": "ESCO occupations",
    "isco": "ISCO-08",
    "esco-skills": "ESCO skills",
}
ROLE_TARGETS: Final[frozenset[Target]] = frozenset({"onet", "esco", "isco"})


class ConceptLike(Protocol):
    """What the RDF needs of a reference concept (:class:`rolegraph.align.vocab.Concept` is one)."""

    @property
    def iri(self) -> str: ...
    @property
    def notation(self) -> str | None: ...
    @property
    def label(self) -> str: ...
    @property
    def scheme(self) -> str: ...
    @property
    def broader(self) -> Sequence[str]: ...


Lookup = Callable[[Target, str], ConceptLike | None]  # (target, IRI) -> the concept, or None when unknown


def curie_map(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The SSSOM ``curie_map``: our roles and skills, the reference vocabularies, SKOS and SEMAPV."""
    return {
        "ESCOOCC": ESCO_OCCUPATION,
        "ESCOSKILL": ESCO_SKILL,
        "ISCO08": base + ISCO_PATH,
        "ONETSOC": base + ONET_PATH,
        "rg": PREFIXES["rg"],
        "rgrole": base + "role/",
        "rgskill": base + "skill/",
        "semapv": PREFIXES["semapv"],
        "skos": PREFIXES["skos"],
    }


def target_of(iri: str, base: str = DEFAULT_BASE) -> Target | None:
    """Which reference vocabulary an object IRI belongs to, by its namespace."""
    for target, ns in (
        ("esco", ESCO_OCCUPATION),
        ("esco-skills", ESCO_SKILL),
        ("onet", base + ONET_PATH),
        ("isco", base + ISCO_PATH),
    ):
        if iri.startswith(ns) and len(iri) > len(ns):
            return target  # type: ignore[return-value]
    return None


def predicate_for(confidence: float | Decimal) -> URIRef:
    """``skos:closeMatch`` from :data:`CLOSE_MATCH_MIN`, else ``skos:relatedMatch``; never exactMatch."""
    return SKOS.closeMatch if Decimal(str(confidence)) >= CLOSE_MATCH_MIN else SKOS.relatedMatch


def confidence_text(confidence: float | Decimal) -> str:
    """Three decimals, rounded half-even: the same figure in the TSV, the RDF and the JSON."""
    return str(Decimal(str(confidence)).quantize(Decimal("0.001")))


# -- a taxonomist's decisions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the curated file: an accepted (``negated`` false) or rejected pair."""

    subject_id: str
    predicate_id: str
    object_id: str
    target: Target
    negated: bool
    confidence: Decimal | None
    comment: str
    path: str  # the file's name as the graph records it (relative to its folder)
    line: int

    @property
    def pair(self) -> tuple[str, str]:
        return (self.subject_id, self.object_id)


def apply_decisions(
    candidates: Iterable[Candidate], decided: Iterable[tuple[str, str] | Decision], k: int
) -> list[Candidate]:
    """The candidates without any (subject, object) pair a taxonomist decided on, accepted or rejected, the
    rest ranked again from 1, at most ``k`` per subject and target. Ask the aligner for ``k`` plus the
    decided pairs of a subject to keep ``k``."""
    pairs = {d.pair if isinstance(d, Decision) else d for d in decided}
    kept: dict[tuple[str, Target], list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.subject_id, TARGETS.index(c.target), c.rank, c.object_id)):
        if (c.subject_id, c.object_id) in pairs:
            continue
        group = kept.setdefault((c.subject_id, c.target), [])
        if len(group) < k:
            group.append(replace(c, rank=len(group) + 1))
    return [c for group in kept.values() for c in group]


def _header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The ``curie_map`` of the ``#`` metadata block (a small YAML subset) and the index of the first table line."""
    prefixes: dict[str, str] = {}
    in_map = False
    index = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return prefixes, index
        body = line[1:]
        if body.rstrip() == "curie_map:":
            in_map = True
            continue
        if in_map and body.startswith((" ", "\t")) and ":" in body:
            prefix, _, value = body.strip().partition(":")
            prefixes[prefix.strip()] = value.strip().strip("\"'")
            continue
        in_map = False
    return prefixes, len(lines)


def _expand(value: str, prefixes: Mapping[str, str]) -> str | None:
    """A CURIE expanded with ``prefixes``, a full IRI as it is, or None."""
    if value.startswith(("http://", "https://")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and local:
        return prefixes[prefix] + local
    return None


REQUIRED_COLUMNS: Final = ("subject_id", "predicate_id", "object_id", "mapping_justification")


def read_decisions(
    text: str,
    path: str,
    shown: str,
    *,
    subjects: Mapping[str, str],
    lookup: Lookup,
    base: str = DEFAULT_BASE,
) -> tuple[list[Decision], list[SeedError]]:
    """The decisions of a curated SSSOM file, and one error per bad row (``shown:line: expected ...``).

    ``subjects`` maps the IRI of every role and skill of the graph to ``"role"`` or ``"skill"``;
    ``lookup`` finds a reference concept. ``path`` names the file in the graph, ``shown`` in errors.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    declared, start = _header(lines)
    prefixes = {**curie_map(base), **declared}
    errors: list[SeedError] = []
    if start >= len(lines) or not lines[start].strip():
        return [], [SeedError(shown, start + 1, "a SSSOM table header (subject_id, predicate_id, ...)", "none")]
    columns = [c.strip() for c in lines[start].rstrip("\r").split("\t")]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(columns)
        return [], [SeedError(shown, start + 1, f"the columns {', '.join(REQUIRED_COLUMNS)}", f"{found!r}")]
    decisions: list[Decision] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(lines[start + 1 :], start=start + 2):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > len(columns):
            errors.append(SeedError(shown, number, f"{len(columns)} tab-separated cells", f"{len(cells)}"))
            continue
        row = dict(zip(columns, [c.strip() for c in cells] + [""] * (len(columns) - len(cells)), strict=True))
        try:
            decision = _decision(row, prefixes, subjects, lookup, base, path, number)
        except ValueError as exc:
            expected, found = exc.args
            errors.append(SeedError(shown, number, expected, found))
            continue
        if decision.pair in seen:
            errors.append(
                SeedError(
                    shown, number, "one decision per subject and object", f"the pair of line {seen[decision.pair]}"
                )
            )
            continue
        seen[decision.pair] = number
        decisions.append(decision)
    return decisions, errors


def _decision(
    row: Mapping[str, str],
    prefixes: Mapping[str, str],
    subjects: Mapping[str, str],
    lookup: Lookup,
    base: str,
    path: str,
    line: int,
) -> Decision:
    """One row checked; a bad cell raises ``ValueError(expected, found)``."""
    subject = _expand(row["subject_id"], prefixes)
    if subject is None or subject not in subjects:
        raise ValueError(
            "a subject_id that is a role or a skill of the graph (rgrole:CODE, rgskill:NAME)", repr(row["subject_id"])
        )
    predicate = _expand(row["predicate_id"], prefixes)
    if predicate not in {str(SKOS[m]) for m in MATCHES}:
        raise ValueError("a predicate_id skos:" + ", skos:".join(MATCHES), repr(row["predicate_id"]))
    modifier = row.get("predicate_modifier", "")
    if modifier not in ("", NOT):
        raise ValueError("a predicate_modifier Not, or none", repr(modifier))
    obj = _expand(row["object_id"], prefixes)
    target = None if obj is None else target_of(obj, base)
    if obj is None or target is None or lookup(target, obj) is None:
        raise ValueError(
            "an object_id in ESCO, O*NET-SOC 2019 or ISCO-08 (ESCOOCC:, ESCOSKILL:, ONETSOC:, ISCO08:)",
            repr(row["object_id"]),
        )
    kind = subjects[subject]
    if (kind == "skill") != (target == "esco-skills"):
        wanted = (
            "an ESCO skill for a skill" if kind == "skill" else "an occupation (ESCO, O*NET-SOC, ISCO-08) for a role"
        )
        raise ValueError(wanted, repr(row["object_id"]))
    if _expand(row["mapping_justification"], prefixes) != str(CURATED):
        raise ValueError("mapping_justification semapv:ManualMappingCuration", repr(row["mapping_justification"]))
    confidence = None
    if row.get("confidence"):
        try:
            confidence = Decimal(row["confidence"])
        except InvalidOperation:
            confidence = Decimal(-1)
        if not confidence.is_finite() or not Decimal(0) <= confidence <= Decimal(1):
            raise ValueError("a confidence from 0 to 1, or none", repr(row["confidence"]))
    return Decision(subject, predicate, obj, target, modifier == NOT, confidence, row.get("comment", ""), path, line)


def decided_pairs(triples: Iterable[tuple[Node, Node, Node]]) -> set[tuple[str, str]]:
    """The (subject, object) pairs a taxonomist decided on, accepted or rejected, as a built graph records them."""
    curated: set[Node] = set()
    subject: dict[Node, str] = {}
    obj: dict[Node, str] = {}
    for s, p, o in triples:
        if p == RG.mappingJustification and o == CURATED:
            curated.add(s)
        elif p == RG.mappingSubject:
            subject[s] = str(o)
        elif p == RG.mappingObject:
            obj[s] = str(o)
    return {(subject[n], obj[n]) for n in curated if n in subject and n in obj}


# -- RDF ------------------------------------------------------------------------------------------


def node_iri(subject_id: str, target: Target, object_id: str, base: str = DEFAULT_BASE, *, curated: bool) -> URIRef:
    """``<subject>/alignment/<target>/<object's local id>`` (``/curated/`` for a decision).

    One node per pair and source, so an aligner's file and a taxonomist's never share a node."""
    ns = {
        "esco": ESCO_OCCUPATION,
        "esco-skills": ESCO_SKILL,
        "onet": base + ONET_PATH,
        "isco": base + ISCO_PATH,
    }[target]
    local = quote(object_id.removeprefix(ns), safe=".-")
    return URIRef(f"{subject_id}/{'curated' if curated else 'alignment'}/{target}/{local}")


def concept_triples(concept: ConceptLike, target: Target) -> list[Triple]:
    """A reference concept as the graph keeps it: type, label, notation, scheme, broader; and its scheme."""
    iri, scheme = URIRef(concept.iri), URIRef(concept.scheme)
    coded = target in ("onet", "isco")  # ESCO's identifier is its URI: no skos:notation
    label = concept.label or f"{SCHEME_LABELS[target]} {concept.notation}"  # ISCO-08 leaves some groups untitled
    triples: list[Triple] = [(iri, RDF.type, SKOS.Concept), (iri, SKOS.prefLabel, Literal(label))]
    if coded:
        triples.append((iri, RDF.type, RG.ClassificationCode))  # a code of an occupational classification
    if coded and concept.notation:
        triples.append((iri, SKOS.notation, Literal(concept.notation)))
    triples.append((iri, SKOS.inScheme, scheme))
    triples += [(iri, SKOS.broader, URIRef(b)) for b in concept.broader]
    triples += [(scheme, RDF.type, SKOS.ConceptScheme), (scheme, SKOS.prefLabel, Literal(SCHEME_LABELS[target]))]
    return triples


def candidate_triples(candidates: Iterable[Candidate], lookup: Lookup, base: str = DEFAULT_BASE) -> list[Triple]:
    """The aligner's candidates as RDF, sorted as the build sorts its triples."""
    triples: set[Triple] = set()
    tool = Literal(f"{TOOL} {__version__}")
    for c in candidates:
        concept = lookup(c.target, c.object_id)
        if concept is None:
            raise ValueError(f"the aligner proposed {c.object_id}, which is not in the {c.target} vocabulary")
        subject, obj = URIRef(c.subject_id), URIRef(c.object_id)
        node = node_iri(c.subject_id, c.target, c.object_id, base, curated=False)
        predicate = predicate_for(c.confidence)
        triples.update(
            [
                (node, RDF.type, RG.Alignment),
                (node, RG.mappingSubject, subject),
                (node, RG.mappingPredicate, predicate),
                (node, RG.mappingObject, obj),
                (node, RG.mappingJustification, ALIGNER),
                (node, RG.confidence, decimal_literal(Decimal(confidence_text(c.confidence)))),
                (node, RG.candidateRank, Literal(str(c.rank), datatype=XSD.integer)),
                (node, RG.mappingTool, tool),
                (subject, predicate, obj),
            ]
        )
        if c.why:
            triples.add((node, RDFS.comment, Literal(c.why)))
        triples.update(concept_triples(concept, c.target))
    return sorted(triples, key=triple_sort_key)


def decision_triples(decisions: Iterable[Decision], lookup: Lookup, base: str = DEFAULT_BASE) -> list[Triple]:
    """A taxonomist's decisions as RDF: an accepted one is stated on its subject, a rejected one is not."""
    triples: set[Triple] = set()
    for d in decisions:
        concept = lookup(d.target, d.object_id)
        if concept is None:  # read_decisions checked it
            raise ValueError(f"{d.path}:{d.line}: {d.object_id} is not in the {d.target} vocabulary")
        subject, obj, predicate = URIRef(d.subject_id), URIRef(d.object_id), URIRef(d.predicate_id)
        node = node_iri(d.subject_id, d.target, d.object_id, base, curated=True)
        triples.update(
            [
                (node, RDF.type, RG.Alignment),
                (node, RG.mappingSubject, subject),
                (node, RG.mappingPredicate, predicate),
                (node, RG.mappingObject, obj),
                (node, RG.mappingJustification, CURATED),
                (node, RG.sourceLocation, Literal(f"{d.path}:{d.line}")),
            ]
        )
        if d.negated:
            triples.add((node, RG.predicateModifier, Literal(NOT)))
        else:
            triples.add((subject, predicate, obj))
        if d.confidence is not None:
            triples.add((node, RG.confidence, decimal_literal(d.confidence)))
        if d.comment:
            triples.add((node, RDFS.comment, Literal(d.comment)))
        triples.update(concept_triples(concept, d.target))
    return sorted(triples, key=triple_sort_key)


# -- SSSOM TSV ------------------------------------------------------------------------------------

SSSOM_COLUMNS: Final = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "mapping_tool",
    "mapping_tool_version",
    "rank",
    "comment",
)


def _curie(iri: str, prefixes: Mapping[str, str]) -> str:
    # the longest namespace first: rg's ONETSOC (base + onet/2019/) before a shorter one that also fits
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    raise ValueError(f"no CURIE prefix for {iri}")


def _cell(text: str) -> str:
    """SSSOM TSV has no quoting: a tab or a line break inside a value becomes a space."""
    return " ".join(text.replace("\t", " ").split())


def to_sssom(candidates: Iterable[Candidate], base: str = DEFAULT_BASE) -> bytes:
    """The aligner's candidates as a SSSOM mapping set (TSV with its ``#`` YAML metadata block)."""
    prefixes = curie_map(base)
    rows = sorted(candidates, key=lambda c: (c.subject_id, TARGETS.index(c.target), c.rank, c.object_id))
    lines = ["#curie_map:"]
    lines += [f"#  {prefix}: {json.dumps(ns)}" for prefix, ns in sorted(prefixes.items())]
    lines += [
        f"#mapping_set_id: {json.dumps(base + SSSOM_NAME)}",
        f"#mapping_set_version: {json.dumps(__version__)}",
        '#mapping_set_title: "rolegraph roles and skills aligned to ESCO, O*NET-SOC 2019 and ISCO-08"',
        f"#license: {json.dumps(str(LICENSE))}",
        "#extension_definitions:",
        "#  - slot_name: rank",
        f"#    property: {json.dumps('rg:candidateRank')}",
        f"#    type_hint: {json.dumps(str(XSD.integer))}",
        "\t".join(SSSOM_COLUMNS),
    ]
    for c in rows:
        cells = (
            _curie(c.subject_id, prefixes),
            _cell(c.subject_label),
            _curie(str(predicate_for(c.confidence)), prefixes),
            _curie(c.object_id, prefixes),
            _cell(c.object_label),
            _curie(str(ALIGNER), prefixes),
            confidence_text(c.confidence),
            TOOL,
            __version__,
            str(c.rank),
            _cell(c.why),
        )
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
