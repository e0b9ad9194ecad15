"""The ISCO-08 hierarchy (major > sub-major > minor > unit group), shipped as package data.

Unit groups have titles; of the broader groups only those the source titles do (see data/README.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from rolegraph.resources import resource


@dataclass(frozen=True, slots=True)
class IscoGroup:
    code: str
    title: str | None  # None where the source gives no title (most major, sub-major and minor groups)
    level: str  # major, sub-major, minor or unit
    parent: str | None


@cache
def isco_groups() -> dict[str, IscoGroup]:
    text = resource("data", "isco08_structure.csv").read_text(encoding="utf-8")
    groups: dict[str, IscoGroup] = {}
    for row in csv.DictReader(io.StringIO(text)):
        groups[row["code"]] = IscoGroup(row["code"], row["title"] or None, row["level"], row["parent"] or None)
    return groups


def isco_chain(code: str) -> list[IscoGroup]:
    """The group of ``code`` and its ancestors up to the major group; empty for a code ISCO-08 does not have."""
    groups = isco_groups()
    chain: list[IscoGroup] = []
    current: str | None = code
    while current is not None and current in groups:
        group = groups[current]
        chain.append(group)
        current = group.parent
    return chain
