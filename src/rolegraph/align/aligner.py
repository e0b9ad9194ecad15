"""The aligner: a subject (one of our roles, or an ESCO occupation being evaluated) -> ranked reference concepts.

Occupations (targets ``onet``, ``esco``, ``isco``) are scored by one linear blend of:

* ``cos``: the cosine of sentence embeddings, the subject's "title. description" against the concept's;
* ``tfidf``: the TF-IDF cosine of all the subject's words (titles, aliases, description, responsibilities,
  skills) against the concept's (title, alternative labels, description), words stemmed (``lexical.stem``);
* ``rrf``: reciprocal-rank terms of each of those two (1 / (5 + rank)), which reward agreement of the two;
* ``prior``: structure. The subject's ISCO-08 unit groups run through the ISCO-08 -> SOC 2010 -> SOC 2018
  crosswalks, and its stated SOC codes, give a set of SOC 2018 detailed groups: a concept in one of them
  scores 1, in the same SOC broad group 0.5, the same minor group 0.2; ``specific`` adds 1/n to each of
  the n concepts that score 1 (a crosswalk that names one occupation says more than one that names ten);
* ``general``: 1 for an O*NET-SOC occupation that is its whole SOC detailed group (code ``.00``), 0 for
  O*NET's specialties (``.01`` ...) and for ESCO occupations: a mild lean to the general occupation.

The weights (:data:`WEIGHTS`) were fitted on one half of the public dev gold standard (split by a hash of
the ESCO URI) and checked on the other (docs/alignment.md gives both halves); the gold file is never read
here. The blend's score becomes a confidence in [0, 1] through a logistic curve fitted the same way.
ISCO-08 groups are ranked by their best ESCO occupation. Skills: :mod:`rolegraph.align.skills`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final, NamedTuple

import numpy as np

from rolegraph.align.candidates import Candidate, Target
from rolegraph.align.embed import Encoder, encoder
from rolegraph.align.lexical import TfIdf
from rolegraph.align.vectors import embed_cached, embed_texts
from rolegraph.align.vocab import Concept, concepts, isco_to_soc2018
from rolegraph.graph.soc import soc_groups
from rolegraph.graph.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from rolegraph.align.skills import SkillIndex

#: the blend; fitted on half A of the dev gold standard (docs/alignment.md)
WEIGHTS: Final = {
    "cos": 1.5,
    "tfidf": 1.45,
    "prior": 0.5,
    "specific": 0.55,
    "rrf_cos": 0.8,
    "rrf_tfidf": 0.7,
    "general": 0.2,
}
#: score -> confidence: 1 / (1 + exp(-SLOPE * (score - MIDPOINT))), fitted on the same half
SLOPE: Final = 2.5
MIDPOINT: Final = 1.95
RRF_K: Final = 5
LEVELS: Final = {1.0: "in", 0.5: "same SOC broad group as", 0.2: "same SOC minor group as"}
ESCO_LEVELS: Final = {1.0: "same ISCO-08 group as", 0.5: "crosswalk match to", 0.2: "same SOC broad group as"}
MAX_DETAIL_CHARS: Final = 4000  # responsibilities and skills beyond this add words, not meaning


@dataclass(frozen=True, slots=True)
class Subject:
    """What the aligner knows about one thing to align: text and structure."""

    iri: str
    label: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    details: tuple[str, ...] = ()  # responsibilities, skill names and how they apply
    soc: tuple[str, ...] = ()  # stated SOC 2018 (or O*NET-SOC) codes
    isco: tuple[str, ...] = ()  # ISCO-08 unit groups
    name: str = ""  # the title to match when the label is not (a role's focus name, without its level)

    def embedding_text(self) -> str:
        title = self.name or self.label
        return f"{title}. {self.description}" if self.description else title

    def lexical_text(self) -> str:
        details = " ".join(self.details)[:MAX_DETAIL_CHARS]
        return " ".join((self.name or self.label, *self.aliases, self.description, details))


class Parts(NamedTuple):
    """The components of a score, for every concept, and the prior in words."""

    cos: NDArray[np.float32]
    tfidf: NDArray[np.float32]
    prior: NDArray[np.float32]
    via: str
    levels: Mapping[float, str]  # prior value -> its words


def concept_text(c: Concept) -> str:
    return f"{c.label}. {c.description}" if c.description else c.label


def _lexical_doc(c: Concept) -> str:
    return " ".join((c.label, *c.alt_labels, c.description))


def _reciprocal_rank(scores: NDArray[np.float32]) -> NDArray[np.float32]:
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1, dtype=np.float32)
    return np.float32(1.0) / (RRF_K + ranks)


def confidence(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-SLOPE * (score - MIDPOINT)))


class OccupationIndex:
    """One occupation vocabulary (O*NET-SOC or ESCO), its vectors and its TF-IDF index, for one base IRI."""

    def __init__(self, target: Target, model: Encoder, base: str = DEFAULT_BASE) -> None:
        self.target = target
        self.concepts: list[Concept] = list(concepts(target, base).values())
        self.position = {c.iri: i for i, c in enumerate(self.concepts)}
        # the vectors do not depend on the base IRI: one cache file serves every base
        self.vectors = embed_cached(model, f"{target}-text", [concept_text(c) for c in self.concepts])
        self.tfidf = TfIdf([_lexical_doc(c) for c in self.concepts], stemmed=True)
        self.general = np.array(
            [target == "onet" and c.notation.endswith(".00") for c in self.concepts], dtype=np.float32
        )
        groups = soc_groups()
        if target == "onet":
            details = [c.notation[:7] for c in self.concepts]
        else:  # an ESCO occupation's SOC 2018 groups are its ISCO-08 group's, through the crosswalks
            crosswalk = isco_to_soc2018()
            details = ["|".join(crosswalk.get(_isco_code(c), ())) for c in self.concepts]
        self.isco = [_isco_code(c) for c in self.concepts] if target == "esco" else []
        self._detail = details
        self._broad = ["|".join(_parents(d, groups)) for d in details]
        self._minor = ["|".join(_parents(b, groups)) for b in self._broad]

    def prior(self, subject: Subject) -> tuple[NDArray[np.float32], NDArray[np.float32], str]:
        """(structure prior, specificity, the prior in words) for every concept."""
        groups = soc_groups()
        crosswalk = isco_to_soc2018()
        wanted: set[str] = {code[:7] for code in subject.soc}
        for isco in subject.isco:
            wanted.update(crosswalk.get(isco, ()))
        prior = np.zeros(len(self.concepts), dtype=np.float32)
        specific = np.zeros(len(self.concepts), dtype=np.float32)
        if not wanted:
            return prior, specific, ""
        broad = set(_parents("|".join(sorted(wanted)), groups))
        minor = set(_parents("|".join(sorted(broad)), groups))
        for i, (d, b, m) in enumerate(zip(self._detail, self._broad, self._minor, strict=True)):
            mine = set(d.split("|")) - {""}
            if self.target == "esco":
                # an ESCO occupation meets a SOC code only through the crosswalks, which new SOC 2018 groups make
                # weak (15-2051 Data Scientists -> ISCO-08 3314, statistical assistants): only its own ISCO counts 1
                if self.isco[i] in subject.isco:
                    prior[i] = 1.0
                elif mine & wanted:
                    prior[i] = 0.5
                elif set(b.split("|")) & broad:
                    prior[i] = 0.2
            elif mine & wanted:
                prior[i] = 1.0
            elif set(b.split("|")) & broad:
                prior[i] = 0.5
            elif set(m.split("|")) & minor:
                prior[i] = 0.2
        exact = prior == 1.0
        specific[exact] = 1.0 / max(1, int(exact.sum()))
        via = "; ".join(
            part
            for part in (
                f"stated SOC {', '.join(sorted(subject.soc))}" if subject.soc else "",
                f"ISCO-08 {', '.join(sorted(subject.isco))} -> SOC 2018 crosswalk" if subject.isco else "",
            )
            if part
        )
        return prior, specific, via

    def scores(self, subject: Subject, query: NDArray[np.float32]) -> tuple[NDArray[np.float32], Parts]:
        cos = self.vectors @ query
        lexical = self.tfidf.scores(subject.lexical_text())
        prior, specific, via = self.prior(subject)
        w = WEIGHTS
        total = (
            w["cos"] * cos
            + w["tfidf"] * lexical
            + w["prior"] * prior
            + w["specific"] * specific
            + w["rrf_cos"] * _reciprocal_rank(cos)
            + w["rrf_tfidf"] * _reciprocal_rank(lexical)
            + w["general"] * self.general
        )
        return total.astype(np.float32), Parts(
            cos, lexical, prior, via, ESCO_LEVELS if self.target == "esco" else LEVELS
        )


def _isco_code(c: Concept) -> str:
    return c.broader[0].rsplit("/", 1)[1] if c.broader else ""


def _parents(codes: str, groups: Mapping[str, object]) -> list[str]:
    out: list[str] = []
    for code in codes.split("|"):
        group = groups.get(code)
        parent = getattr(group, "parent", None)
        if parent:
            out.append(parent)
    return out


class Aligner:
    """Aligns subjects to occupations; the indexes are built on first use and kept."""

    def __init__(self, base: str = DEFAULT_BASE, model: Encoder | None = None) -> None:
        self.base = base
        self.model = model or encoder()
        self._indexes: dict[Target, OccupationIndex] = {}
        self._skills: SkillIndex | None = None

    def skills(self) -> SkillIndex:
        """The ESCO skills index (built on first use, then kept)."""
        if self._skills is None:
            from rolegraph.align.skills import SkillIndex  # noqa: PLC0415

            self._skills = SkillIndex(self.model)
        return self._skills

    def index(self, target: Target) -> OccupationIndex:
        if target not in self._indexes:
            self._indexes[target] = OccupationIndex(target, self.model, self.base)
        return self._indexes[target]

    def embed(self, subjects: Sequence[Subject]) -> NDArray[np.float32]:
        """The subjects' query vectors, each kept in the embedding cache by its text (a warm call runs no model)."""
        return embed_texts(self.model, [s.embedding_text() for s in subjects])

    def align(
        self, subject: Subject, target: Target, k: int = 5, query: NDArray[np.float32] | None = None
    ) -> list[Candidate]:
        """The ``k`` best concepts of ``target`` for ``subject``, best first (ties by IRI)."""
        if query is None:
            query = self.embed([subject])[0]
        if target == "isco":
            return self._isco(subject, k, query)
        index = self.index(target)
        total, parts = index.scores(subject, query)
        return self._candidates(subject, target, index.concepts, total, parts, k)

    def _candidates(
        self,
        subject: Subject,
        target: Target,
        pool: Sequence[Concept],
        total: NDArray[np.float32],
        parts: Parts,
        k: int,
    ) -> list[Candidate]:
        # the pool is in IRI order, so a stable sort breaks ties by IRI
        order = np.argsort(-np.round(total, 6), kind="stable")[:k].tolist()
        out: list[Candidate] = []
        for rank, i in enumerate(order, 1):
            c = pool[i]
            out.append(
                Candidate(
                    subject.iri,
                    subject.label,
                    target,
                    c.iri,
                    c.label,
                    round(confidence(float(total[i])), 4),
                    rank,
                    _why(parts, i),
                )
            )
        return out

    def _isco(self, subject: Subject, k: int, query: NDArray[np.float32]) -> list[Candidate]:
        """ISCO-08 unit groups, each scored by its best ESCO occupation."""
        index = self.index("esco")
        total, parts = index.scores(subject, query)
        best: dict[str, int] = {}
        for i, code in enumerate(index.isco):
            if code and (code not in best or total[i] > total[best[code]]):
                best[code] = i
        groups = concepts("isco", self.base)
        ranked = sorted(best.items(), key=lambda item: (-round(float(total[item[1]]), 6), item[0]))[:k]
        out: list[Candidate] = []
        for rank, (code, i) in enumerate(ranked, 1):
            group = groups[self.base + "isco/08/" + code]
            why = f"via ESCO occupation '{index.concepts[i].label}': {_why(parts, i)}"
            out.append(
                Candidate(
                    subject.iri,
                    subject.label,
                    "isco",
                    group.iri,
                    group.label,
                    round(confidence(float(total[i])), 4),
                    rank,
                    why,
                )
            )
        return out


def _why(parts: Parts, i: int) -> str:
    words = [f"text similarity {float(parts.cos[i]):.2f}", f"word overlap {float(parts.tfidf[i]):.2f}"]
    p = round(float(parts.prior[i]), 2)
    if p > 0:
        words.append(f"prior: {parts.levels.get(p, 'near')} {parts.via}")
    return "; ".join(words)


@cache
def default_aligner(base: str = DEFAULT_BASE) -> Aligner:
    return Aligner(base)
