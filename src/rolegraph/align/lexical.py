"""TF-IDF over words: the lexical half of the aligner's score, in numpy (no extra dependency).

Words are lower-cased runs of letters and digits (``c++`` and ``c#`` kept), English stop words dropped,
a plural ``s`` trimmed; with ``stem``, a common suffix too (:func:`stem`: "operator", "operating" and
"operation" meet at "operat"/"oper", crudely, which measured better than exact words on the gold standard,
docs/alignment.md). Documents are sublinear-tf x idf vectors, L2-normalised; a query's score against
every document is one scatter-add over the postings of its words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

_WORD: Final = re.compile(r"[a-z0-9][a-z0-9+#]*")
STOP: Final = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "other",
        "such",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "with",
        "within",
        "without",
        "who",
        "which",
        "while",
        "all",
        "any",
        "can",
        "may",
        "also",
        "using",
        "use",
        "used",
        "including",
        "include",
        "e",
        "g",
        "etc",
    )
)


#: suffixes :func:`stem` strips, the first that fits; a stem keeps at least ``MIN_STEM`` characters
SUFFIXES: Final = (
    "ational",
    "ation",
    "ement",
    "ment",
    "ness",
    "ing",
    "ers",
    "er",
    "or",
    "ist",
    "ian",
    "ies",
    "al",
    "ive",
    "ic",
    "ed",
    "y",
)
MIN_STEM: Final = 4


def stem(word: str) -> str:
    """``word`` less the first of :data:`SUFFIXES` it ends with, if at least ``MIN_STEM`` characters remain."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str, stemmed: bool = False) -> list[str]:
    out: list[str] = []
    for found in _WORD.findall(text.lower()):
        if found in STOP:
            continue
        plural = len(found) > 3 and found.endswith("s") and not found.endswith(("ss", "us", "is"))
        word = found[:-1] if plural else found
        out.append(stem(word) if stemmed else word)
    return out


class TfIdf:
    """An index of documents; :meth:`scores` gives the cosine of a query against each of them."""

    def __init__(self, documents: Sequence[str], stemmed: bool = False) -> None:
        self.size = len(documents)
        self.stemmed = stemmed
        counts = [Counter(words(d, stemmed)) for d in documents]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        self.idf = {w: math.log((1 + self.size) / (1 + n)) + 1.0 for w, n in df.items()}
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for i, c in enumerate(counts):
            weights = {w: (1.0 + math.log(n)) * self.idf[w] for w, n in c.items()}
            norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
            for w, v in weights.items():
                docs, values = postings.setdefault(w, ([], []))
                docs.append(i)
                values.append(v / norm)
        self._postings = {
            w: (np.array(d, dtype=np.int64), np.array(v, dtype=np.float32)) for w, (d, v) in postings.items()
        }

    def vector(self, text: str) -> dict[str, float]:
        c = Counter(w for w in words(text, self.stemmed) if w in self.idf)
        weights = {w: (1.0 + math.log(n)) * self.idf[w] for w, n in c.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    def scores(self, text: str) -> NDArray[np.float32]:
        out = np.zeros(self.size, dtype=np.float32)
        for w, q in self.vector(text).items():
            docs, values = self._postings[w]
            out[docs] += q * values
        return out
