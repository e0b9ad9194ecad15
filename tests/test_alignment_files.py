"""Alignments as data (issue 16): the SSSOM file sssom-py validates, the RDF the shapes accept, a taxonomist's
decisions (accepted, rejected) and how they win over the aligner, and ``align --check``'s verdicts.

The candidates here are built by hand from real vocabulary entries (real ESCO URIs, O*NET-SOC codes and
ISCO-08 groups, with their labels), so these tests pin the files' format whatever the aligner ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from rolegraph.align.candidates import ESCO_OCCUPATION, ESCO_SKILL, Candidate, Target
from rolegraph.align.check import Claim, check_claims, report
from rolegraph.align.mappings import (
    CLOSE_MATCH_MIN,
    ConceptLike,
    Decision,
    apply_decisions,
    candidate_triples,
    decision_triples,
    predicate_for,
    read_decisions,
    to_sssom,
)
from rolegraph.align.vocab import concepts
from rolegraph.graph.rdf import BuiltGraph
from rolegraph.graph.validate import validate_graph
from rolegraph.graph.vocab import DEFAULT_BASE, RG, SEMAPV, SKOS
from tests.helpers import REAL_ROLE

ROLE = f"{DEFAULT_BASE}role/{REAL_ROLE}"
SKILL = f"{DEFAULT_BASE}skill/programming-python-sql-java"
ONET = f"{DEFAULT_BASE}onet/2019/"
ISCO = f"{DEFAULT_BASE}isco/08/"
DATA_SCIENTIST = ESCO_OCCUPATION + "258e46f9-0075-4a2e-adae-1ff0477e0f30"
SOFTWARE_DEVELOPER = ESCO_OCCUPATION + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"
PYTHON = ESCO_SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d"
CLOUD = ESCO_SKILL + "bd14968e-e409-45af-b362-3495ed7b10e0"


def lookup(target: Target, iri: str) -> ConceptLike | None:
    return concepts(target).get(iri)


LABELS = {
    ONET + "15-2051.00": "Data Scientists",
    ONET + "15-1221.00": "Computer and Information Research Scientists",
    ISCO + "2511": "Systems analysts",
    DATA_SCIENTIST: "data scientist",
    SOFTWARE_DEVELOPER: "software developer",
    PYTHON: "Python (computer programming)",
    CLOUD: "cloud technologies",
}


def candidate(subject: str, target: Target, obj: str, confidence: float, rank: int) -> Candidate:
    label = "AI / Machine Learning Engineering — P7" if subject == ROLE else "Programming (Python, SQL, Java)"
    return Candidate(subject, label, target, obj, LABELS[obj], confidence, rank, f"title: {LABELS[obj]}")


CANDIDATES = [
    candidate(ROLE, "onet", ONET + "15-2051.00", 0.912, 1),
    candidate(ROLE, "onet", ONET + "15-1221.00", 0.64, 2),
    candidate(ROLE, "esco", DATA_SCIENTIST, 0.8804, 1),
    candidate(ROLE, "esco", SOFTWARE_DEVELOPER, 0.51, 2),
    candidate(ROLE, "isco", ISCO + "2511", 0.7, 1),
    candidate(SKILL, "esco-skills", PYTHON, 0.83, 1),
    candidate(SKILL, "esco-skills", CLOUD, 0.2, 2),
]


# -- the predicate follows the confidence --------------------------------------------------------


def test_predicate_is_close_match_from_the_threshold_and_never_exact() -> None:
    assert predicate_for(CLOSE_MATCH_MIN) == SKOS.closeMatch
    assert predicate_for(0.99) == SKOS.closeMatch
    assert predicate_for(0.6999) == SKOS.relatedMatch
    assert predicate_for(1.0) != SKOS.exactMatch


# -- SSSOM TSV -----------------------------------------------------------------------------------


def test_sssom_file_is_read_and_validated_by_sssom_py(tmp_path: Path) -> None:
    from sssom.constants import DEFAULT_VALIDATION_TYPES
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    target = tmp_path / "alignments.sssom.tsv"
    target.write_bytes(to_sssom(CANDIDATES))
    msdf = parse_sssom_table(target)
    assert msdf.metadata["mapping_set_id"] == f"{DEFAULT_BASE}alignments.sssom.tsv"
    rows = msdf.df.to_dict("records")
    assert len(rows) == len(CANDIDATES)
    (first,) = [r for r in rows if r["object_id"] == "ONETSOC:15-2051.00"]
    assert first["subject_id"] == f"rgrole:{REAL_ROLE}"
    assert first["predicate_id"] == "skos:closeMatch"
    assert first["object_label"] == "Data Scientists"
    assert first["mapping_justification"] == "semapv:SemanticSimilarityThresholdMatching"
    assert float(first["confidence"]) == pytest.approx(0.912)
    assert first["mapping_tool"] == "rolegraph align"
    assert {r["predicate_id"] for r in rows} == {"skos:closeMatch", "skos:relatedMatch"}
    assert msdf.converter.expand("ESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30") == DATA_SCIENTIST
    assert msdf.converter.expand("ESCOSKILL:ccd0a1d9-afda-43d9-b901-96344886e14d") == PYTHON
    assert msdf.converter.expand("ISCO08:2511") == ISCO + "2511"
    reports = validate(msdf, DEFAULT_VALIDATION_TYPES, fail_on_error=False)
    assert all(not r.results for r in reports.values()), reports


def test_sssom_file_is_deterministic_and_sorted() -> None:
    first = to_sssom(CANDIDATES)
    assert to_sssom(list(reversed(CANDIDATES))) == first
    body = [line.split("\t") for line in first.decode().splitlines() if not line.startswith("#")]
    header, rows = body[0], body[1:]
    assert header[:3] == ["subject_id", "subject_label", "predicate_id"]
    ranks = [(r[0], r[header.index("object_id")].split(":")[0], r[header.index("rank")]) for r in rows]
    assert ranks == sorted(ranks, key=lambda t: (t[0], ["ONETSOC", "ESCOOCC", "ISCO08", "ESCOSKILL"].index(t[1]), t[2]))
    assert rows[0][header.index("confidence")] == "0.912"


def test_sssom_cells_never_break_the_table() -> None:
    odd = replace(CANDIDATES[0], why="two\tcells\nand a line")
    lines = to_sssom([odd]).decode().splitlines()
    assert lines[-1].endswith("two cells and a line")
    assert len(lines[-1].split("\t")) == len(lines[-2].split("\t"))


# -- RDF -----------------------------------------------------------------------------------------


def conforms_with(real_built: BuiltGraph, triples: Sequence[tuple[URIRef, URIRef, Node]]) -> list[str]:
    report = validate_graph(sorted(set(real_built.triples) | set(triples), key=lambda t: tuple(map(str, t))))
    return [f"{f.focus} {f.message}" for f in report.findings]


def test_alignment_rdf_conforms_with_the_real_graph(real_built: BuiltGraph) -> None:
    triples = candidate_triples(CANDIDATES, lookup)
    assert conforms_with(real_built, triples) == []
    graph = Graph()
    for t in triples:
        graph.add(t)
    role, skill = URIRef(ROLE), URIRef(SKILL)
    assert (role, SKOS.closeMatch, URIRef(ONET + "15-2051.00")) in graph
    assert (role, SKOS.relatedMatch, URIRef(SOFTWARE_DEVELOPER)) in graph
    assert (skill, SKOS.closeMatch, URIRef(PYTHON)) in graph
    node = URIRef(f"{ROLE}/alignment/esco/258e46f9-0075-4a2e-adae-1ff0477e0f30")
    assert graph.value(node, RG.confidence) == Literal(
        "0.88", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    )
    assert graph.value(node, RG.candidateRank).toPython() == 1  # type: ignore[union-attr]
    assert graph.value(node, RG.mappingJustification) == SEMAPV.SemanticSimilarityThresholdMatching
    assert str(graph.value(node, RG.mappingTool)).startswith("rolegraph align ")
    assert graph.value(node, RDFS.comment) == Literal("title: data scientist")
    # the reference concept: label, notation, scheme, broader, and nothing else
    onet = URIRef(ONET + "15-2051.00")
    assert {p for p, _ in graph.predicate_objects(onet)} == {
        RDF.type,
        SKOS.prefLabel,
        SKOS.notation,
        SKOS.inScheme,
        SKOS.broader,
    }
    assert {p for p, _ in graph.predicate_objects(URIRef(DATA_SCIENTIST))} == {
        RDF.type,
        SKOS.prefLabel,
        SKOS.inScheme,
        SKOS.broader,
    }


def test_alignment_rdf_is_deterministic() -> None:
    assert candidate_triples(CANDIDATES, lookup) == candidate_triples(list(reversed(CANDIDATES)), lookup)


def test_labels_are_the_vocabularies_own() -> None:
    target_of = {ONET: "onet", ISCO: "isco", ESCO_OCCUPATION: "esco", ESCO_SKILL: "esco-skills"}
    for iri, label in LABELS.items():
        target = next(t for ns, t in target_of.items() if iri.startswith(ns))
        assert concepts(target)[iri].label == label


def test_an_unknown_object_is_refused() -> None:
    bad = replace(CANDIDATES[0], object_id=ONET + "99-9999.00")
    with pytest.raises(ValueError, match="not in the onet vocabulary"):
        candidate_triples([bad], lookup)


# -- a taxonomist's decisions --------------------------------------------------------------------

SUBJECTS = {ROLE: "role", SKILL: "skill"}
CURATED = f"""#curie_map:
#  ESCOOCC: "{ESCO_OCCUPATION}"
#  rgrole: "{DEFAULT_BASE}role/"
#  semapv: "https://w3id.org/semapv/vocab/"
#  skos: "http://www.w3.org/2004/02/skos/core#"
#mapping_set_id: "https://example.org/curated.sssom.tsv"
#license: "https://spdx.org/licenses/MIT"
subject_id\tpredicate_id\tpredicate_modifier\tobject_id\tmapping_justification\tcomment
rgrole:{REAL_ROLE}\tskos:exactMatch\t\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\tthe page's focus
rgrole:{REAL_ROLE}\tskos:closeMatch\tNot\tESCOOCC:f2b15a0e-e65a-438a-affb-29b9d50b77d1\tsemapv:ManualMappingCuration\tnot a developer role
"""


def decisions() -> list[Decision]:
    found, errors = read_decisions(
        CURATED, "mappings.sssom.tsv", "seeds/mappings.sssom.tsv", subjects=SUBJECTS, lookup=lookup
    )
    assert errors == []
    return found


def test_curated_file_reads_an_accepted_and_a_rejected_decision() -> None:
    accepted, rejected = decisions()
    assert (accepted.subject_id, accepted.object_id, accepted.negated, accepted.line) == (
        ROLE,
        DATA_SCIENTIST,
        False,
        9,
    )
    assert accepted.predicate_id == str(SKOS.exactMatch)
    assert (rejected.object_id, rejected.negated, rejected.line) == (SOFTWARE_DEVELOPER, True, 10)


def test_curated_rdf_states_the_accepted_pair_only(real_built: BuiltGraph) -> None:
    triples = decision_triples(decisions(), lookup)
    assert conforms_with(real_built, triples) == []
    graph = Graph()
    for t in triples:
        graph.add(t)
    assert (URIRef(ROLE), SKOS.exactMatch, URIRef(DATA_SCIENTIST)) in graph
    assert not list(graph.triples((URIRef(ROLE), None, URIRef(SOFTWARE_DEVELOPER))))
    node = URIRef(f"{ROLE}/curated/esco/f2b15a0e-e65a-438a-affb-29b9d50b77d1")
    assert graph.value(node, RG.predicateModifier) == Literal("Not")
    assert graph.value(node, RG.sourceLocation) == Literal("mappings.sssom.tsv:10")


def test_the_aligner_never_overwrites_a_decision(real_built: BuiltGraph) -> None:
    kept = apply_decisions(CANDIDATES, decisions(), k=5)
    pairs = {(c.subject_id, c.object_id) for c in kept}
    assert (ROLE, DATA_SCIENTIST) not in pairs  # accepted: the taxonomist's row stands
    assert (ROLE, SOFTWARE_DEVELOPER) not in pairs  # rejected: never proposed
    assert [c.rank for c in kept if c.target == "onet"] == [1, 2]
    assert len(kept) == len(CANDIDATES) - 2
    # both sets of triples together conform; the aligner's own pair beside a decision does not
    both = decision_triples(decisions(), lookup) + candidate_triples(kept, lookup)
    assert conforms_with(real_built, both) == []
    clash = decision_triples(decisions(), lookup) + candidate_triples(CANDIDATES, lookup)
    problems = conforms_with(real_built, clash)
    assert any("a taxonomist decided on" in p for p in problems), problems


def test_apply_decisions_ranks_again_and_keeps_k() -> None:
    rejected = Decision(ROLE, str(SKOS.closeMatch), ONET + "15-2051.00", "onet", True, None, "", "m", 1)
    kept = apply_decisions(CANDIDATES, [rejected], k=1)
    onet = [c for c in kept if c.target == "onet"]
    assert [(c.object_id, c.rank) for c in onet] == [(ONET + "15-1221.00", 1)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "rgrole:NOPE.X.P1\tskos:exactMatch\t\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\t",
            "a subject_id that is a role or a skill",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:sameAs\t\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\t",
            "a predicate_id skos:exactMatch",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\tMaybe\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\t",
            "a predicate_modifier Not",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\t\tESCOOCC:00000000-0000-0000-0000-000000000000\tsemapv:ManualMappingCuration\t",
            "an object_id in ESCO",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\t\tESCOSKILL:ccd0a1d9-afda-43d9-b901-96344886e14d\tsemapv:ManualMappingCuration\t",
            "an occupation",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\t\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:LexicalMatching\t",
            "mapping_justification semapv:ManualMappingCuration",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\t\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\tx\ty",
            "6 tab-separated cells",
        ),
        (
            f"rgrole:{REAL_ROLE}\tskos:exactMatch\tNot\tESCOOCC:258e46f9-0075-4a2e-adae-1ff0477e0f30\tsemapv:ManualMappingCuration\t",
            "one decision per subject and object",
        ),
    ],
)
def test_a_bad_row_is_one_error_naming_file_line_and_expectation(row: str, expected: str) -> None:
    text = CURATED + row + "\n"
    found, errors = read_decisions(
        text, "mappings.sssom.tsv", "seeds/mappings.sssom.tsv", subjects=SUBJECTS, lookup=lookup
    )
    assert len(found) == 2
    assert [str(e).split(": expected ")[0] for e in errors] == ["seeds/mappings.sssom.tsv:11"]
    assert expected in str(errors[0])
    assert "\n" not in str(errors[0])


def test_a_curated_file_without_the_required_columns_is_refused() -> None:
    _, errors = read_decisions("subject_id\tobject_id\n", "m", "m.tsv", subjects=SUBJECTS, lookup=lookup)
    assert [str(e) for e in errors] == [
        "m.tsv:1: expected the columns subject_id, predicate_id, object_id, mapping_justification, found 'subject_id, object_id'"
    ]


def test_confidence_of_a_decision_is_kept_when_given() -> None:
    text = CURATED.replace("\tcomment\n", "\tcomment\tconfidence\n").replace(
        "the page's focus", "the page's focus\t0.95"
    )
    found, errors = read_decisions(text, "m", "m", subjects=SUBJECTS, lookup=lookup)
    assert errors == []
    assert found[0].confidence == Decimal("0.95")


# -- align --check -------------------------------------------------------------------------------


def test_check_confirms_a_claim_in_the_top_five_and_lists_better_candidates_otherwise() -> None:
    ranked = [c for c in CANDIDATES if c.target == "onet"]
    claims = check_claims([(REAL_ROLE, "AI / ML — P7", "15-2051"), ("X.Y.P1", "x", "15-1252")], lambda code: ranked)
    assert claims[0] == Claim(REAL_ROLE, "AI / ML — P7", "15-2051", 1, ())
    assert claims[0].confirmed
    assert claims[1].rank is None and not claims[1].confirmed
    assert [c.object_id for c in claims[1].better] == [ONET + "15-2051.00", ONET + "15-1221.00"]
    lines = report(claims)
    assert lines[0] == "X.Y.P1 (x): the page states SOC 15-1252; the aligner puts it at not in the top 50"
    assert lines[-1] == "1 of 2 stated SOC codes confirmed (in the aligner's top 5)"


def test_check_counts_a_broader_stated_group() -> None:
    ranked = [c for c in CANDIDATES if c.target == "onet"]
    (claim,) = check_claims([(REAL_ROLE, "t", "15-2050")], lambda code: ranked)
    assert claim.rank == 1
    (claim,) = check_claims([(REAL_ROLE, "t", "15-1221")], lambda code: ranked)
    assert (claim.rank, [c.rank for c in claim.better]) == (2, [1])
