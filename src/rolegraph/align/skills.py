"""Page skills -> ESCO skills and knowledge concepts.

A page skill's name is split into the parts it lists: "Programming (Python, SQL, Java)" asks for
"Programming", "Python", "SQL" and "Java"; "Data preprocessing & feature engineering" for both halves.
Each part is scored against every ESCO skill's preferred label by:

* the cosine of their embeddings (the ESCO label alone, so a short name meets a short label);
* an exact label match (case and an ESCO qualifier in brackets ignored: "Python" = "Python (computer
  programming)"), worth :data:`EXACT`;
* the TF-IDF cosine against the skill's labels;
* the cosine of the page's whole skill (name and description) against the label, which breaks ties
  towards the sense the page means.

The best concept of each part comes first (so a compound skill maps to several concepts), then the rest
by score. Confidence is a logistic of the score: comparable among skills, not calibrated against a gold
standard (the hand-checked fixture in tests/ measures precision@5 instead).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from rolegraph.align.candidates import Candidate
from rolegraph.align.embed import Encoder
from rolegraph.align.lexical import TfIdf
from rolegraph.align.vectors import embed_cached, embed_texts
from rolegraph.align.vocab import Concept, concepts

if TYPE_CHECKING:
    from numpy.typing import NDArray

EXACT: Final = 0.5
WEIGHTS: Final = {"cos": 1.0, "exact": 1.0, "tfidf": 0.3, "context": 0.3}
SLOPE: Final = 8.0
MIDPOINT: Final = 0.8
_SPLIT: Final = re.compile(r"\s*(?:[(),;/]|&|\band\b)\s*")
_QUALIFIER: Final = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True, slots=True)
class SkillSubject:
    iri: str
    label: str
    description: str = ""


#: abbreviations ESCO spells out
ABBREVIATIONS: Final = {"ml": "machine learning", "ai": "artificial intelligence", "nlp": "natural language processing"}
_ABBREVIATION: Final = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b", re.IGNORECASE)


def expand(text: str) -> str:
    """``text`` with :data:`ABBREVIATIONS` spelt out: "ML pipeline" -> "machine learning pipeline"."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], text)


def parts(name: str) -> list[str]:
    """The things a skill name lists, in order, without repeats; the name itself when it lists one."""
    found: list[str] = []
    for raw in _SPLIT.split(name):
        piece = raw.strip(" .-–—")
        if piece and piece.casefold() not in (p.casefold() for p in found):
            found.append(piece)
    return found or [name.strip()]


def _norm(label: str) -> str:
    return " ".join(_QUALIFIER.sub("", label).casefold().split())


class SkillIndex:
    """The ESCO skills, their label vectors and a TF-IDF index of their labels."""

    def __init__(self, model: Encoder) -> None:
        self.model = model
        self.concepts: list[Concept] = list(concepts("esco-skills").values())
        self.vectors = embed_cached(model, "esco-skills-label", [c.label for c in self.concepts])
        self.tfidf = TfIdf([" ".join((c.label, *c.alt_labels)) for c in self.concepts])

    @cached_property
    def by_label(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, c in enumerate(self.concepts):
            out.setdefault(_norm(c.label), []).append(i)
        return out

    def align(self, subject: SkillSubject, k: int = 5) -> list[Candidate]:
        names = [expand(p) for p in parts(subject.label)]
        context = expand(f"{subject.label}. {subject.description}" if subject.description else subject.label)
        vectors = embed_texts(self.model, [*names, context])  # cached by text: a warm call runs no model
        context_cos = self.vectors @ vectors[-1]
        w = WEIGHTS
        per_part: list[NDArray[np.float32]] = []
        for name, vector in zip(names, vectors[:-1], strict=True):
            exact = np.zeros(len(self.concepts), dtype=np.float32)
            exact[self.by_label.get(_norm(name), [])] = EXACT
            score = (
                w["cos"] * (self.vectors @ vector)
                + w["exact"] * exact
                + w["tfidf"] * self.tfidf.scores(name)
                + w["context"] * context_cos
            )
            per_part.append(score.astype(np.float32))
        best = np.max(np.stack(per_part), axis=0)
        order: list[int] = []
        leaders = sorted(
            (int(np.argmax(score)) for score in per_part), key=lambda i: (-float(best[i]), self.concepts[i].iri)
        )
        for i in leaders:
            if i not in order:
                order.append(i)
        # concepts are in IRI order, so a stable sort breaks ties by IRI
        for i in np.argsort(-np.round(best, 6), kind="stable")[: k + len(names)].tolist():
            if len(order) >= k:
                break
            if i not in order:
                order.append(i)
        out: list[Candidate] = []
        for rank, i in enumerate(order[:k], 1):
            c = self.concepts[i]
            part = names[int(np.argmax([float(s[i]) for s in per_part]))]
            why = f"'{part}' ~ '{c.label}': text similarity {float(np.max([s[i] for s in per_part])):.2f}"
            if _norm(c.label) in {_norm(n) for n in names}:
                why += "; same label"
            out.append(
                Candidate(subject.iri, subject.label, "esco-skills", c.iri, c.label, _confidence(best[i]), rank, why)
            )
        return out


def _confidence(score: float | np.floating[Any]) -> float:
    return round(1.0 / (1.0 + math.exp(-SLOPE * (float(score) - MIDPOINT))), 4)


def align_skills(index: SkillIndex, subjects: Sequence[SkillSubject], k: int = 5) -> list[Candidate]:
    return [c for s in subjects for c in index.align(s, k)]
