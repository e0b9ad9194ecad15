"""``rolegraph align --check``: does the aligner confirm each page's own SOC claim?

A role's page states its SOC 2018 code (``Classification mappings``, scheme ``O*NET / SOC``). The claim
is confirmed when one of the aligner's top :data:`TOP` O*NET-SOC candidates falls in it: the candidate's
SOC 2018 detailed code (the first seven characters of its O*NET-SOC code) is the stated code or lies
under it (a page may state a broader group, such as ``15-2050``). Otherwise the finding gives the rank
at which the first such candidate was found (None beyond the ranking asked for) and the candidates
ranked above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rolegraph.align.candidates import Candidate
from rolegraph.graph.soc import soc_chain

TOP: Final = 5  # the claim is confirmed within the aligner's top 5
DEPTH: Final = 50  # how far down the ranking the stated code is looked for
SHOWN: Final = 5  # better candidates listed for an unconfirmed claim


@dataclass(frozen=True, slots=True)
class Claim:
    code: str  # the role's code
    title: str
    soc: str  # the SOC code the page states
    rank: int | None  # where the aligner ranks the first candidate in it; None: not in the top DEPTH
    better: tuple[Candidate, ...]  # candidates ranked above it (the first SHOWN)

    @property
    def confirmed(self) -> bool:
        return self.rank is not None and self.rank <= TOP


def soc_detailed(candidate: Candidate) -> str:
    """The SOC 2018 detailed code of an O*NET-SOC candidate: ``.../15-2051.01`` -> ``15-2051``."""
    return candidate.object_id.rsplit("/", 1)[-1][:7]


def within(detailed: str, stated: str) -> bool:
    """Whether SOC detailed code ``detailed`` is ``stated`` or lies under it in the SOC 2018 hierarchy."""
    if detailed == stated[:7]:
        return True
    return any(group.code == stated for group in soc_chain(detailed))


def check_claims(claims: Iterable[tuple[str, str, str]], ranked: Callable[[str], Sequence[Candidate]]) -> list[Claim]:
    """One :class:`Claim` per (role code, title, stated SOC code); ``ranked(code)`` gives the role's
    O*NET-SOC candidates, best first (at least :data:`DEPTH` when there are that many)."""
    out: list[Claim] = []
    for code, title, soc in claims:
        candidates = sorted(ranked(code), key=lambda c: c.rank)[:DEPTH]
        rank = next((c.rank for c in candidates if within(soc_detailed(c), soc)), None)
        limit = len(candidates) if rank is None else rank - 1
        better = tuple(c for c in candidates[:limit] if not within(soc_detailed(c), soc))[:SHOWN]
        out.append(Claim(code, title, soc, rank, better))
    return out


def report(claims: Sequence[Claim]) -> list[str]:
    """The lines ``align --check`` prints: each claim not confirmed, then a summary."""
    lines: list[str] = []
    for claim in claims:
        if claim.confirmed:
            continue
        where = f"rank {claim.rank}" if claim.rank is not None else f"not in the top {DEPTH}"
        lines.append(f"{claim.code} ({claim.title}): the page states SOC {claim.soc}; the aligner puts it at {where}")
        for c in claim.better:
            lines.append(f"  {c.rank}. {soc_detailed(c)} {c.object_label} ({c.confidence:.3f})")
    confirmed = sum(c.confirmed for c in claims)
    lines.append(f"{confirmed} of {len(claims)} stated SOC codes confirmed (in the aligner's top {TOP})")
    return lines
