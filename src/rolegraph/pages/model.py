"""Typed records of one canon profile page: what ``parse`` hands to ``rdf``.

Every record is a frozen, slotted dataclass that remembers where it came from (:class:`Source`).
The source takes no part in equality, so a record read from two places compares equal when its
content does; that is what merging pages and the parser's round-trip property rely on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal, get_args

Track = Literal["P", "M"]
ConfidenceBand = Literal["high", "medium", "low"]
Status = Literal["approved", "draft", "review", "deprecated"]
DifferentialFlag = Literal["PAY", "SKILL"]

TRACKS: Final = get_args(Track)
CONFIDENCE_BANDS: Final = get_args(ConfidenceBand)
STATUSES: Final = get_args(Status)
DIFFERENTIAL_FLAGS: Final = get_args(DifferentialFlag)

FUNCTION_CODE_RE: Final = re.compile(r"[A-Z][A-Z0-9]{0,31}")
FOCUS_PART_RE: Final = re.compile(r"[A-Z0-9]{1,32}")
LEVEL_CODE_RE: Final = re.compile(r"([PM])([1-9][0-9]?)")
ROLE_CODE_RE: Final = re.compile(r"([A-Z][A-Z0-9]{0,31})\.([A-Z0-9]{1,32})\.([PM][1-9][0-9]?)")

# The level descriptor's key/value lines, in page order: page key -> field name.
DESCRIPTOR_KEYS: Final = (
    "Scope",
    "Autonomy",
    "Complexity",
    "Impact",
    "Decision rights",
    "Leadership",
    "Typical experience",
)

# Classification scheme headings the pages use -> (IRI path under the base, label, code pattern).
# A heading not listed here is kept under ``classification/<slug>`` with a generic code pattern.
CLASSIFICATION_SCHEMES: Final = {
    "O*NET / SOC": ("soc/2018", "SOC 2018 (O*NET / SOC)", re.compile(r"[0-9]{2}-[0-9]{4}(?:\.[0-9]{2})?")),
    "ISCO-08": ("isco/08", "ISCO-08", re.compile(r"[0-9]{1,4}")),
}
GENERIC_CODE_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,31}")

# Currency symbols the pay line may use -> ISO 4217 code.
CURRENCY_SYMBOLS: Final = {"$": "USD", "£": "GBP", "€": "EUR"}


@dataclass(frozen=True, slots=True)
class Source:
    """A place in a page: the path as given to the build (relative, POSIX) and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


NOWHERE: Final = Source("<generated>", 0)


def _src() -> Source:
    return field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Function:
    code: str
    name: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class SiblingFocus:
    """A focus the page says its focus is "distinct from", with the gloss given there."""

    name: str
    gloss: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Focus:
    code: str  # the full focus code, FUNCTION.FOCUSCODE
    function_code: str
    name: str
    definition: str
    distinct_from: tuple[SiblingFocus, ...] = ()
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Level:
    code: str
    title: str  # e.g. "Staff / Distinguished Professional"
    experience_min: int | None = None
    experience_max: int | None = None
    source: Source = _src()

    @property
    def track(self) -> Track:
        return parse_level_code(self.code)[0]

    @property
    def rank(self) -> int:
        return parse_level_code(self.code)[1]


@dataclass(frozen=True, slots=True)
class RoleStatus:
    """The run-together status line: band, score, status word, region, version."""

    confidence_band: ConfidenceBand
    confidence_score: Decimal
    status: Status
    region: str
    version: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Pay:
    """Market pay; amounts in whole currency units per ``period`` (ISO 8601 duration)."""

    median: int
    low: int
    high: int
    currency: str = "USD"
    period: str = "P1Y"
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Responsibility:
    text: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class LevelResponsibilities:
    level_code: str
    items: tuple[Responsibility, ...]
    is_own: bool = False  # the page's own level ("P7this profile")
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class GuidelineRow:
    level_code: str
    knowledge: str  # Knowledge & Application
    complexity: str  # Complexity & Problem Solving
    collaboration: str  # Collaboration & Interaction
    degree_years: str  # Typical Degree & Years
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill as the page's focus applies it: the name is shared, the description is the focus's."""

    name: str
    description: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class ReviewScore:
    dimension: str
    score: Decimal
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Provenance:
    scores: tuple[ReviewScore, ...]
    source_count: int
    pass_threshold: Decimal
    source: Source = _src()

    @property
    def min_score(self) -> Decimal:
        return min(s.score for s in self.scores)

    @property
    def passes(self) -> bool:
        """The panel's rule: the minimum dimension scores at least the threshold."""
        return self.min_score >= self.pass_threshold


@dataclass(frozen=True, slots=True)
class LevelDescriptor:
    level_code: str
    title: str
    summary: str
    attributes: tuple[tuple[str, str], ...]  # (key, value) in page order; keys from DESCRIPTOR_KEYS
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Alias:
    title: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Mapping:
    """A role-to-classification mapping: scheme heading, code, and the tool that resolved it."""

    scheme: str
    code: str
    tool: str
    source: Source = _src()


@dataclass(frozen=True, slots=True)
class Page:
    """Everything one canon profile page says."""

    path: str
    role_code: str
    title: str
    function: Function
    focus: Focus
    level: Level
    status: RoleStatus
    pay: Pay | None
    differentials: tuple[DifferentialFlag, ...]
    responsibilities: tuple[LevelResponsibilities, ...]
    guidelines: tuple[GuidelineRow, ...]
    skills: tuple[Skill, ...]
    provenance: Provenance
    descriptor: LevelDescriptor
    aliases: tuple[Alias, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    source: Source = _src()
    # ``path:line: ...`` notes worth a look that do not stop the build (confusable characters)
    warnings: tuple[str, ...] = field(default=(), compare=False)


def parse_level_code(code: str) -> tuple[Track, int]:
    """``"P7"`` -> ``("P", 7)``; raises ValueError for anything else."""
    m = LEVEL_CODE_RE.fullmatch(code)
    if m is None:
        raise ValueError(f"not a level code: {code!r}")
    track: Track = "P" if m.group(1) == "P" else "M"
    return track, int(m.group(2))


def role_title(focus_name: str, level_code: str) -> str:
    """The title a page gives a role: ``"<focus> — <level code>"``."""
    return f"{focus_name} — {level_code}"


#: what the alias check (``pages.parse.check_aliases``) needs of one page: its roles' names
#: (casefolded code or title, role code), its own role code, and its aliases (title, path, line)
RoleNames = tuple[list[tuple[str, str]], str, list[tuple[str, str, int]]]


def role_names(page: Page) -> RoleNames:
    levels = {
        page.level.code,
        *(b.level_code for b in page.responsibilities),
        *(g.level_code for g in page.guidelines),
    }
    names: list[tuple[str, str]] = []
    for level in levels:
        code = f"{page.focus.code}.{level}"
        names.append((code.casefold(), code))
        names.append((role_title(page.focus.name, level).casefold(), code))
    aliases = [(alias.title, alias.source.path, alias.source.line) for alias in page.aliases]
    return names, page.role_code, aliases
