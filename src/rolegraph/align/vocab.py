"""The reference vocabularies, offline: O*NET-SOC 2019, ESCO occupations and skills, ISCO-08, and the crosswalks.

Read from the package's ``data/`` folder (gzip'd CSV, see ``data/README.md`` for sources and credits), once
per process. Nothing here goes into the published graph: only the concepts a mapping points to do, and
that is the writer's business. IRIs are minted as the graph mints them (``graph/rdf.py``): O*NET-SOC
occupations under ``<base>onet/2019/``, each under its SOC 2018 detailed group ``<base>soc/2018/<code>``;
ISCO-08 groups under ``<base>isco/08/``; ESCO concepts keep ESCO's own URIs, an ESCO occupation under its
ISCO-08 unit group.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final
from urllib.parse import quote

from rolegraph.align.candidates import ESCO_OCCUPATION, ESCO_SKILL, ISCO_PATH, ONET_PATH, Target
from rolegraph.graph.isco import isco_groups
from rolegraph.graph.vocab import DEFAULT_BASE
from rolegraph.resources import resource

ESCO_OCCUPATIONS_SCHEME: Final = "http://data.europa.eu/esco/concept-scheme/occupations"
ESCO_SKILLS_SCHEME: Final = "http://data.europa.eu/esco/concept-scheme/skills"
SOC_PATH: Final = "soc/2018/"

#: bump when a vendored file changes: cached embeddings are keyed by it
DATA_VERSION: Final = "2026-12-01.1"


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a reference vocabulary."""

    iri: str
    notation: str  # the code (O*NET-SOC, ISCO-08) or, for ESCO, the URI's last segment
    label: str  # the preferred label; empty for the ISCO-08 groups the source does not title
    scheme: str  # the concept scheme's IRI
    broader: tuple[str, ...]  # IRIs
    alt_labels: tuple[str, ...]
    description: str


def _rows(name: str) -> list[dict[str, str]]:
    data = gzip.decompress(resource("data", name).read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(data)))


def scheme_iri(target: Target, base: str = DEFAULT_BASE) -> str:
    if target == "onet":
        return base + ONET_PATH.rstrip("/")
    if target == "isco":
        return base + ISCO_PATH.rstrip("/")
    return ESCO_OCCUPATIONS_SCHEME if target == "esco" else ESCO_SKILLS_SCHEME


def onet_iri(code: str, base: str = DEFAULT_BASE) -> str:
    return base + ONET_PATH + quote(code, safe=".-")


def isco_iri(code: str, base: str = DEFAULT_BASE) -> str:
    return base + ISCO_PATH + quote(code, safe=".-")


def soc_iri(code: str, base: str = DEFAULT_BASE) -> str:
    return base + SOC_PATH + quote(code, safe=".-")


def _onet(base: str) -> dict[str, Concept]:
    scheme = scheme_iri("onet", base)
    out: dict[str, Concept] = {}
    for row in _rows("onet_occupations.csv.gz"):
        code = row["onet_soc_code"]
        iri = onet_iri(code, base)
        out[iri] = Concept(iri, code, row["title"], scheme, (soc_iri(code[:7], base),), (), row["description"])
    return out


def _esco(base: str) -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for row in _rows("esco_occupations.csv.gz"):
        iri = row["uri"]
        alts = tuple(a for a in row["alt_labels"].split("|") if a)
        broader = (isco_iri(row["isco08"], base),) if row["isco08"] else ()
        notation = iri.removeprefix(ESCO_OCCUPATION)
        out[iri] = Concept(
            iri, notation, row["preferred_label"], ESCO_OCCUPATIONS_SCHEME, broader, alts, row["description"]
        )
    return out


def _esco_skills() -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for row in _rows("esco_skills.csv.gz"):
        iri = row["uri"]
        alts = (row["alt_labels"],) if row["alt_labels"] else ()
        notation = iri.removeprefix(ESCO_SKILL)
        out[iri] = Concept(iri, notation, row["preferred_label"], ESCO_SKILLS_SCHEME, (), alts, row["description"])
    return out


def _isco(base: str) -> dict[str, Concept]:
    scheme = scheme_iri("isco", base)
    out: dict[str, Concept] = {}
    for code, group in sorted(isco_groups().items()):
        iri = isco_iri(code, base)
        broader = (isco_iri(group.parent, base),) if group.parent else ()
        out[iri] = Concept(iri, code, group.title or "", scheme, broader, (), "")
    return out


@cache
def concepts(target: Target, base: str = DEFAULT_BASE) -> Mapping[str, Concept]:
    """Every concept of ``target``'s vocabulary, keyed by IRI, in IRI order."""
    if target == "onet":
        found = _onet(base)
    elif target == "esco":
        found = _esco(base)
    elif target == "isco":
        found = _isco(base)
    else:
        found = _esco_skills()
    return dict(sorted(found.items()))


@cache
def isco_to_soc2018() -> Mapping[str, tuple[str, ...]]:
    """ISCO-08 unit group -> the SOC 2018 detailed codes it maps to (ISCO-08 -> SOC 2010 -> SOC 2018), sorted."""
    soc10_18: dict[str, set[str]] = defaultdict(set)
    for row in _rows("soc2010_soc2018_crosswalk.csv.gz"):
        soc10_18[row["soc2010"]].add(row["soc2018"])
    out: dict[str, set[str]] = defaultdict(set)
    for row in _rows("isco08_soc2010_crosswalk.csv.gz"):
        out[row["isco08"]] |= soc10_18.get(row["soc2010"], {row["soc2010"]})
    return {code: tuple(sorted(socs)) for code, socs in sorted(out.items())}


@cache
def soc2018_to_isco() -> Mapping[str, tuple[str, ...]]:
    """SOC 2018 detailed code -> the ISCO-08 unit groups that map to it, sorted (the crosswalks read backwards)."""
    out: dict[str, set[str]] = defaultdict(set)
    for isco, socs in isco_to_soc2018().items():
        for soc in socs:
            out[soc].add(isco)
    return {code: tuple(sorted(iscos)) for code, iscos in sorted(out.items())}
