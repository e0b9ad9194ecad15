"""Paths and names shared by the tests (one small fixture set, as in ontology-access-kit)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REAL_PAGE = SEEDS / "000_cf26a15490124fcc.txt"
REAL_ROLE = "DATASC.AIMACHIN97C0.P7"
REAL_FOCUS = "DATASC.AIMACHIN97C0"


def page_aliases(seeds: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """From a corpus's parsed pages: aliases naming one role (alias -> code) and aliases naming several
    (alias -> codes), compared ignoring case, leaving out any alias that is also a code or a title."""
    from rolegraph.api import parse_pages

    pages, _ = parse_pages([seeds])
    taken = {name.casefold() for p in pages for name in (p.role_code, p.title)}
    named: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    for page in pages:
        for alias in page.aliases:
            named.setdefault(alias.title.casefold(), set()).add(page.role_code)
            spelled.setdefault(alias.title.casefold(), alias.title)
    one = {spelled[k]: next(iter(v)) for k, v in named.items() if len(v) == 1 and k not in taken}
    several = {spelled[k]: sorted(v) for k, v in named.items() if len(v) > 1 and k not in taken}
    return one, several
