"""The SOC 2018 hierarchy (major > minor > broad > detailed), shipped as package data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from typing import Final

from rolegraph.resources import resource

LEVELS: Final = {"2": "major", "3": "minor", "5": "broad", "6": "detailed"}


@dataclass(frozen=True, slots=True)
class SocGroup:
    code: str
    title: str
    level: str  # major, minor, broad or detailed
    parent: str | None


@cache
def soc_groups() -> dict[str, SocGroup]:
    text = resource("data", "soc2018_structure.csv").read_text(encoding="utf-8")
    groups: dict[str, SocGroup] = {}
    for row in csv.DictReader(io.StringIO(text)):
        parent = row["parent"] if row["parent"] != "NA" else None
        groups[row["code"]] = SocGroup(row["code"], row["title"], LEVELS[row["Level"]], parent)
    return groups


def soc_chain(code: str) -> list[SocGroup]:
    """The group of ``code`` (an O*NET-SOC ``15-2051.01`` counts as its detailed ``15-2051``) and its ancestors."""
    groups = soc_groups()
    chain: list[SocGroup] = []
    current: str | None = code.split(".", 1)[0]
    while current is not None and current in groups:
        group = groups[current]
        chain.append(group)
        current = group.parent
    return chain
