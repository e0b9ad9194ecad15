"""Measure the aligner against a gold standard of ESCO occupations -> SOC 2018 detailed codes.

The gold file is a CSV with at least ``esco_uri`` and ``soc2018`` (accepted codes, ``|``-separated). Only
those two columns are read: each ESCO occupation is aligned from the vendored ESCO data alone (its
labels, description and ISCO-08 group) to the O*NET-SOC occupations, and a candidate is right when its
O*NET-SOC code's first 7 characters (its SOC 2018 detailed group) are among the accepted codes.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rolegraph.align.aligner import Aligner, Subject
from rolegraph.align.candidates import Candidate
from rolegraph.align.vocab import Concept, concepts
from rolegraph.errors import AlignError, os_failure

#: the confidence bands of the breakdown, high to low: (lower bound, name)
BANDS: Final = ((0.8, "high"), (0.5, "medium"), (0.0, "low"))
REQUIRED: Final = ("esco_uri", "soc2018")


@dataclass(frozen=True, slots=True)
class GoldRow:
    line: int
    esco_uri: str
    accepted: frozenset[str]


@dataclass(frozen=True, slots=True)
class Outcome:
    row: GoldRow
    rank: int | None  # of the first right candidate within the top k; None if none is
    candidates: tuple[Candidate, ...]


@dataclass(slots=True)
class Evaluation:
    k: int
    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """``n``, ``top1``, ``top5``, ``mrr`` (within the top k) and the same per band of top-1 confidence."""
        out = _metrics(self.outcomes, self.k)
        bands: list[dict[str, object]] = []
        for i, (low, name) in enumerate(BANDS):
            high = 1.01 if i == 0 else BANDS[i - 1][0]
            chosen = [o for o in self.outcomes if o.candidates and low <= o.candidates[0].confidence < high]
            bands.append({"band": name, "min_confidence": low, **_metrics(chosen, self.k)})
        return {**out, "k": self.k, "by_confidence": bands}


def _metrics(outcomes: Sequence[Outcome], k: int) -> dict[str, object]:
    n = len(outcomes)
    if n == 0:
        return {"n": 0, "top1": 0.0, "top5": 0.0, "mrr": 0.0}
    top1 = sum(1 for o in outcomes if o.rank == 1) / n
    top5 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 5) / n
    mrr = sum(1.0 / o.rank for o in outcomes if o.rank is not None and o.rank <= k) / n
    return {"n": n, "top1": round(top1, 4), "top5": round(top5, 4), "mrr": round(mrr, 4)}


def read_gold(path: Path) -> list[GoldRow]:
    """The gold rows; a missing column, an unknown ESCO URI or an empty code list is an error at its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise os_failure(path, exc, "a readable gold-standard CSV file") from None
    except UnicodeDecodeError:
        raise AlignError(str(path), 0, "a UTF-8 CSV file", "bytes that are not UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise AlignError(str(path), 1, "a header with the columns esco_uri and soc2018", f"no {', '.join(missing)}")
    known = concepts("esco")
    rows: list[GoldRow] = []
    for line, row in enumerate(reader, 2):
        uri = (row.get("esco_uri") or "").strip()
        codes = frozenset(c.strip() for c in (row.get("soc2018") or "").split("|") if c.strip())
        if uri not in known:
            raise AlignError(str(path), line, "an ESCO occupation URI of the vendored ESCO data", repr(uri))
        if not codes:
            raise AlignError(str(path), line, "one or more SOC 2018 codes in soc2018", "none")
        rows.append(GoldRow(line, uri, codes))
    if not rows:
        raise AlignError(str(path), 1, "at least one gold row", "none")
    return rows


def esco_subject(c: Concept) -> Subject:
    """An ESCO occupation as the aligner sees it: its labels, description and ISCO-08 group, nothing else."""
    isco = tuple(b.rsplit("/", 1)[1] for b in c.broader)
    return Subject(c.iri, c.label, c.alt_labels, c.description, (), (), isco)


def evaluate(rows: Sequence[GoldRow], aligner: Aligner, k: int = 5) -> Evaluation:
    esco = concepts("esco", aligner.base)
    index = aligner.index("esco")  # the ESCO occupations' own vectors are the queries
    result = Evaluation(k)
    depth = max(k, 5)
    for row in rows:
        subject = esco_subject(esco[row.esco_uri])
        query = index.vectors[index.position[row.esco_uri]]
        found = aligner.align(subject, "onet", depth, query=query)
        codes = [_soc_of(c) for c in found]
        rank = next((i + 1 for i, code in enumerate(codes) if code in row.accepted), None)
        result.outcomes.append(Outcome(row, rank, tuple(found[:k])))
    return result


def _soc_of(candidate: Candidate) -> str:
    return candidate.object_id.rsplit("/", 1)[1][:7]


def half(uri: str) -> int:
    """0 or 1: the half of a gold file a URI falls in (a hash), for fitting on one and checking on the other."""
    return int(hashlib.sha256(uri.encode("utf-8")).hexdigest(), 16) % 2
