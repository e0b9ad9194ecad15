"""Write a :class:`~rolegraph.pages.model.Page` back as canon profile page text.

The layout is the real page's, line for line and blank for blank, so that rendering the records
parsed from a real page reproduces the file byte for byte (no trailing newline). The renderer is
the parser's inverse: it feeds the round-trip tests and the synthetic corpus (``synth``).

Fixed prose (section intros) is copied from the real page; everything else comes from the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from rolegraph.pages.model import (
    CURRENCY_SYMBOLS,
    Alias,
    GuidelineRow,
    Level,
    LevelDescriptor,
    LevelResponsibilities,
    Mapping,
    Page,
    Pay,
    Provenance,
    RoleStatus,
    Skill,
)
from rolegraph.pages.parse import GUIDELINE_HEADER, NO_ALIASES  # the format's fixed lines: one definition, the parser's

BACK_LINK: Final = "← Canon taxonomy"
BULLET: Final = "  • "
OWN_LEVEL_MARK: Final = "this profile"
SHOW_TOGGLE: Final = "show ▾"
NO_PAY: Final = "—"

RESPONSIBILITIES_INTRO: Final = (
    "What this person actually does at each level on the {track} track — escalating scope, "
    "not one generic blob. Your level is highlighted."
)
TRACK_WORDS: Final = {"P": "professional", "M": "management"}
GUIDELINES_INTRO: Final = (
    "The universal leveling rubric applied to this function — how scope, complexity, "
    "collaboration, and experience step up across levels."
)
SKILLS_INTRO: Final = "Focus-specific skills the role applies — the relevance layer beyond the occupational base."
PROVENANCE_INTRO: Final = (
    "The evidence base behind this profile — every layer is sourced; quality is scored by an "
    "adversarial review panel (1–5; passes at ≥{threshold} on the minimum dimension)."
)
ADJACENT_INTRO: Final = (
    "Nearest roles by structural coordinates (level + taxonomy). Distance 0 → 1; each carries "
    "its 3-state match band. How coordinates work → · Compare side-by-side →"
)

_SYMBOL_BY_CURRENCY: Final = {code: symbol for symbol, code in CURRENCY_SYMBOLS.items()}


def render_page(page: Page) -> str:
    """The page text for ``page``: sections in page order, no trailing newline."""
    lines: list[str] = []
    for part in (
        _header(page),
        _summary(page),
        _responsibilities(page.level.track, page.responsibilities),
        _guidelines(page.guidelines),
        _skills(page.skills),
        _provenance(page.provenance),
        _descriptor(page.descriptor),
        _adjacent(),
        _aliases(page.aliases),
        _mappings(page.mappings),
    ):
        lines.extend(part)
    while lines and not lines[-1]:  # without mappings the page ends after the aliases
        lines.pop()
    return "\n".join(lines)


def _header(page: Page) -> list[str]:
    return [
        BACK_LINK,
        page.level.code,
        page.role_code,
        page.title,
        page.function.name,
        "",
        page.title,
        "",
        page.role_code,
        "",
        _status_line(page.level, page.status),
        "",
    ]


def _status_line(level: Level, status: RoleStatus) -> str:
    return (
        f"{level.code}{_level_label(level.code, level.title)}{status.confidence_band}"
        f"{_decimal(status.confidence_score)}{status.status}{status.region}{status.version}"
    )


def _summary(page: Page) -> list[str]:
    """Definition, the Level / Function · Focus / pay block, the focus block and the flags."""
    definition = page.focus.definition
    lines = [
        definition,
        "",
        "Level",
        f"{page.level.code} · {_level_label(page.level.code, page.level.title)}{_experience_suffix(page.level)}",
        "Function · Focus",
        f"{page.function.name} · {page.focus.name}",
        "Market pay (median)",
        _pay_line(page.pay),
        "",
        definition,
        "",
        f"Focus — {page.focus.name}",
        "",
        definition,
        "",
    ]
    if page.differentials:
        flags = " and ".join(page.differentials)
        lines += [f"Material {flags} differential vs the function baseline.", ""]
    return lines


def _level_label(code: str, title: str) -> str:
    return f"{code} — {title}"


def _experience_suffix(level: Level) -> str:
    """`` · 15–22 yrs``, `` · 15+ yrs`` or nothing when the page states no experience."""
    low, high = level.experience_min, level.experience_max
    if low is None and high is None:
        return ""
    if low is None:
        raise ValueError(f"level {level.code}: an experience maximum needs a minimum")
    if high is None:
        return f" · {low}+ yrs"
    return f" · {low}–{high} yrs"


def _pay_line(pay: Pay | None) -> str:
    if pay is None:
        return NO_PAY
    symbol = _SYMBOL_BY_CURRENCY.get(pay.currency)
    if symbol is None:
        raise ValueError(f"no currency symbol for {pay.currency!r}")
    median, low, high = (_thousands(symbol, amount) for amount in (pay.median, pay.low, pay.high))
    return f"{median} ({low}{high})"


def _thousands(symbol: str, amount: int) -> str:
    """``$231k`` for whole thousands (every real page); other amounts are written in full."""
    if amount % 1000:
        return f"{symbol}{amount}"
    return f"{symbol}{amount // 1000}k"


def _responsibilities(track: str, blocks: Iterable[LevelResponsibilities]) -> list[str]:
    lines = [
        "Responsibilities by level",
        "",
        RESPONSIBILITIES_INTRO.format(track=TRACK_WORDS[track]),
        "",
    ]
    for block in blocks:
        lines.append(block.level_code + (OWN_LEVEL_MARK if block.is_own else ""))
        lines += [_bullet(item.text) for item in block.items]
    lines.append("")
    return lines


def _guidelines(rows: Iterable[GuidelineRow]) -> list[str]:
    lines = ["Level guidelines", "", GUIDELINES_INTRO, "", GUIDELINE_HEADER]
    lines += [f"{row.level_code}{row.knowledge}{row.complexity}{row.collaboration}{row.degree_years}" for row in rows]
    lines.append("")
    return lines


def _skills(skills: Iterable[Skill]) -> list[str]:
    lines = ["Skills", "", SKILLS_INTRO, ""]
    for skill in skills:
        lines += [skill.name, skill.description]
    lines.append("")
    return lines


def _provenance(provenance: Provenance) -> list[str]:
    scores = "".join(f"{s.dimension}{_decimal(s.score)}" for s in provenance.scores)
    return [
        "Provenance",
        "",
        PROVENANCE_INTRO.format(threshold=_decimal(provenance.pass_threshold)),
        "",
        scores,
        f"{provenance.source_count} source{'' if provenance.source_count == 1 else 's'}",
        "",
    ]


def _descriptor(descriptor: LevelDescriptor) -> list[str]:
    lines = [
        f"Level — {_level_label(descriptor.level_code, descriptor.title)}",
        "",
        descriptor.summary,
        "",
    ]
    for key, value in descriptor.attributes:
        lines += [key, value]
    lines.append("")
    return lines


def _adjacent() -> list[str]:
    return ["Adjacent roles", "", ADJACENT_INTRO, ""]


def _aliases(aliases: tuple[Alias, ...]) -> list[str]:
    lines = [f"Title aliases{SHOW_TOGGLE}", ""]
    if aliases:
        lines += [_bullet(alias.title) for alias in aliases]
    else:
        lines.append(NO_ALIASES)
    lines.append("")
    return lines


def _mappings(mappings: Iterable[Mapping]) -> list[str]:
    """Bullets grouped under their scheme heading, schemes in first-seen order.

    The section is left out when there are no mappings (the page has nothing to show, and a
    heading without bullets is not a valid page).
    """
    by_scheme: dict[str, list[Mapping]] = {}
    for mapping in mappings:
        by_scheme.setdefault(mapping.scheme, []).append(mapping)
    if not by_scheme:
        return []
    lines = [f"Classification mappings{SHOW_TOGGLE}"]
    for scheme, group in by_scheme.items():
        lines += ["", scheme, ""]
        lines += [_bullet(f"code={m.code}source={m.tool}") for m in group]
    return lines


def _bullet(text: str) -> str:
    return f"{BULLET}{text}"


def _decimal(value: Decimal) -> str:
    """A decimal as written on the page: its own string, so ``Decimal("0.80")`` stays ``0.80``."""
    return str(value)
