"""Typo-tolerant search over roles by code, title, alias, focus, function and skill names.

Every name is cut into lower-case word tokens (accents dropped), plus the initials of each run of
two to four words, so "ml" finds "Machine Learning". A query token matches a name token exactly,
as its prefix ("engineer" in "engineering"), or within a small edit distance (one edit from four
letters, two from eight), also against the name token's prefix ("enginer" in "engineering"). A role
must match every query token; its score adds, per query token, the best match strength times the
weight of the field it matched in (code > title and alias > focus > function > skill). A code counts
as a code only when a query token is one of its parts ("datasc"); a fragment of it ("data" in
"DATASC") weighs less than any title, alias or focus match, so "data engineer" ranks the Data
Engineering roles above roles that only share the function code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rolegraph.api import Catalogue

WEIGHTS: Final = {"code": 4.0, "title": 3.0, "alias": 3.0, "focus": 2.0, "function": 1.5, "skill": 1.0, "esco": 1.0}
CODE_FRAGMENT: Final = 1.0  # a prefix or near miss of a code part: below focus x TYPO (1.4), title and alias
EXACT: Final = 1.0
PREFIX: Final = 0.9
INITIALS: Final = 0.9
TYPO: Final = 0.7
STOPWORDS: Final = frozenset({"and", "of", "the", "for", "in", "to", "a", "an", "with", "on"})
_WORD: Final = re.compile(r"[0-9a-z]+")


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words, accents dropped: "Données & IA" -> ["donnees", "ia"]."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(plain)


def initials(text: str) -> set[str]:
    """Initials of every run of 2-4 consecutive words, skipping stop words: "Machine Learning" -> {"ml"}."""
    letters = [w[0] for w in words(text) if w not in STOPWORDS and w.isalpha()]
    return {"".join(letters[i : i + n]) for n in range(2, 5) for i in range(len(letters) - n + 1)}


def edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def typo_limit(token: str) -> int:
    return 0 if len(token) < 4 else 1 if len(token) < 8 else 2


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    title: str
    score: float
    matched: tuple[str, ...]  # what matched, for the reader: "title", "skill: MLOps", ...


Posting = tuple[tuple[float, str], tuple[float, str]]  # (weight, label) for an exact match, for a fragment


class SearchIndex:
    """An inverted index of name tokens: token -> role code -> (exact, fragment) (weight, what matched)."""

    def __init__(self, catalogue: Catalogue, concepts: Mapping[str, Iterable[tuple[str, str]]] | None = None) -> None:
        """``concepts``: role code -> (IRI, label) of the ESCO skills its skills are aligned to."""
        self.catalogue = catalogue
        self._postings: dict[str, dict[str, Posting]] = {}
        self._exact: dict[str, set[str]] = {}  # a whole name, case-folded -> role codes
        self._iris: dict[str, set[str]] = {}  # an aligned ESCO skill's URI -> role codes
        aligned = concepts or {}
        for role in catalogue.roles.values():
            linked = sorted(set(aligned.get(role.code, ())))
            for iri, _ in linked:
                self._iris.setdefault(iri, set()).add(role.code)
            fields: list[tuple[str, str, str]] = [
                ("code", role.code, "code"),
                ("title", role.title, "title"),
                ("focus", role.focus_name, "focus"),
                ("function", role.function_name, "function"),
                *(("alias", alias, f"alias: {alias}") for alias in role.aliases),
                *(("skill", skill, f"skill: {skill}") for skill in catalogue.skills_of(role.code)),
                *(("esco", label, f"ESCO skill: {label}") for _, label in linked),
            ]
            for field, text, label in fields:
                fragment = CODE_FRAGMENT if field == "code" else WEIGHTS[field]
                self._add(role.code, words(text), WEIGHTS[field], fragment, label)
                self._add(role.code, initials(text), WEIGHTS[field] * INITIALS, fragment * INITIALS, label)
                if field in {"code", "title", "alias"}:
                    self._exact.setdefault(" ".join(words(text)), set()).add(role.code)
        self._vocabulary = tuple(sorted(self._postings))
        self._expand = lru_cache(maxsize=4096)(self._expand_uncached)

    def _add(self, code: str, tokens: Iterable[str], weight: float, fragment: float, label: str) -> None:
        for token in tokens:
            postings = self._postings.setdefault(token, {})
            exact, partial = postings.get(code, ((0.0, ""), (0.0, "")))
            postings[code] = (
                (weight, label) if weight > exact[0] else exact,
                (fragment, label) if fragment > partial[0] else partial,
            )

    def _expand_uncached(self, token: str) -> tuple[tuple[str, float], ...]:
        """The name tokens a query token matches, each with its strength."""
        limit = typo_limit(token)
        found: list[tuple[str, float]] = []
        for name in self._vocabulary:
            if name == token:
                found.append((name, EXACT))
            elif name.startswith(token) and len(token) >= 2:
                found.append((name, PREFIX))
            elif limit and (
                edits(token, name, limit) <= limit
                or (len(name) > len(token) and edits(token, name[: len(token)], limit) <= limit)
            ):
                found.append((name, TYPO))
        return tuple(found)

    def exact(self, query: str) -> set[str]:
        """Roles whose code, title or alias is the query, ignoring case and punctuation."""
        return set(self._exact.get(" ".join(words(query)), set()))

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        by_iri = self._iris.get(query.strip())
        if by_iri is not None:  # an aligned ESCO skill's URI: the roles that need it
            roles = self.catalogue.roles
            label = f"ESCO skill: {query.strip()}"
            return [Hit(code, roles[code].title, EXACT, (label,)) for code in sorted(by_iri)[:limit]]
        scores: dict[str, float] | None = None
        matched: dict[str, set[str]] = {}
        for token in dict.fromkeys(words(query)):
            best: dict[str, tuple[float, str]] = {}
            for name, strength in self._expand(token):
                for code, (exact, partial) in self._postings[name].items():
                    weight, label = exact if strength == EXACT else partial
                    if strength * weight > best.get(code, (0.0, ""))[0]:
                        best[code] = (strength * weight, label)
            if scores is None:
                scores = {code: value for code, (value, _) in best.items()}
            else:
                scores = {code: total + best[code][0] for code, total in scores.items() if code in best}
            for code, (_, label) in best.items():
                matched.setdefault(code, set()).add(label)
        if not scores:
            return []
        for code in self.exact(query) & scores.keys():
            scores[code] += 10.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        roles = self.catalogue.roles
        return [Hit(code, roles[code].title, round(score, 3), tuple(sorted(matched[code]))) for code, score in ranked]

    def suggest(self, name: str, n: int = 5) -> list[Hit]:
        """Roles to offer for a name that matched none: search hits, else the closest codes and titles."""
        hits = self.search(name, limit=n)
        if hits:
            return hits
        codes = self.catalogue.suggest(name, n)  # each role once, as the CLI's "did you mean"
        return [Hit(code, self.catalogue.roles[code].title, 0.0, ("a close name",)) for code in codes]
