"""What changed between two builds: roles, skills, levels, pay and mappings added, removed or changed.

Each side is a graph file (Turtle, N-Triples, JSON-LD) or a git revision and path, ``REV:path``
(``HEAD~1:graph/rolegraph.ttl``), read with ``git show`` in the current folder. Each build is
reduced to a :class:`Snapshot` by the shipped queries, keyed by codes and names (not by triples,
so a renamed title is one change, not a removed and an added triple).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox

from rolegraph.ask.query import get_spec, run
from rolegraph.ask.store import OxigraphStore, QueryStore, Table
from rolegraph.errors import GraphFileError, RolegraphError
from rolegraph.graph.io import format_for, parse_quads
from rolegraph.graph.vocab import compact
from rolegraph.roles.catalogue import load_catalogue

SECTIONS: Final = ("roles", "skills", "levels", "pay", "mappings")
Record = dict[str, str]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A build by section: key (a code, a skill name, a role and code pair) -> its fields as text."""

    sections: dict[str, dict[str, Record]]


@dataclass(frozen=True, slots=True)
class Change:
    section: str
    key: str
    kind: str  # added, removed, changed
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # changed: name -> (old, new)
    record: Record = field(default_factory=dict)  # added / removed: the record


def _text(value: object) -> str:
    return "" if value is None else str(value)


def snapshot(store: QueryStore) -> Snapshot:
    catalogue = load_catalogue(store)
    roles = {
        r.code: {
            "title": r.title,
            "function": r.function,
            "focus": r.focus,
            "level": r.level,
            "aliases": "; ".join(sorted(r.aliases)),
        }
        for r in catalogue.roles.values()
    }
    used_by: dict[str, list[str]] = {}
    for focus, names in sorted(catalogue.skills.items()):
        for skill in names:
            used_by.setdefault(skill, []).append(focus)
    skills = {name: {"focuses": "; ".join(focuses)} for name, focuses in sorted(used_by.items())}
    levels = {
        _text(level): {"title": _text(title), "min years": _text(low), "max years": _text(high)}
        for level, title, _track, _rank, low, high in run(get_spec("levels"), {}, store).values()
    }
    pay: dict[str, Record] = {}
    for values in _records(run(get_spec("occupations"), {}, store)):
        if values["median"]:
            pay[values["code"]] = {name: values[name] for name in ("median", "low", "high", "currency", "duration")}
    mappings: dict[str, Record] = {}
    for values in _records(run(get_spec("mappings"), {}, store)):
        key = f"{values['code']} {values['schemeName']} {values['notation']}"
        mappings[key] = {name: _curie(values[name]) for name in ("predicate", "justification", "tool")}
        mappings[key]["title"] = values["objectTitle"]
    return Snapshot({"roles": roles, "skills": skills, "levels": levels, "pay": pay, "mappings": mappings})


def _curie(value: str) -> str:
    return compact(value) or value


def _records(table: Table) -> list[Record]:
    return [{name: _text(t) for name, t in zip(table.columns, row, strict=True)} for row in table.rows]


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    changes: list[Change] = []
    for section in SECTIONS:
        a, b = old.sections[section], new.sections[section]
        for key in sorted(set(a) | set(b)):
            if key not in b:
                changes.append(Change(section, key, "removed", record=a[key]))
            elif key not in a:
                changes.append(Change(section, key, "added", record=b[key]))
            elif a[key] != b[key]:
                fields = {n: (a[key].get(n, ""), b[key].get(n, "")) for n in b[key] if a[key].get(n) != b[key].get(n)}
                changes.append(Change(section, key, "changed", fields=fields))
    return changes


# -- reading a side ------------------------------------------------------------------------------


def load(spec: str, cwd: Path | None = None) -> QueryStore:
    """A graph file, or ``REV:path`` from git when no such file exists."""
    path = Path(spec)
    if path.is_file():
        return OxigraphStore.from_file(path)
    if ":" not in spec:
        raise GraphFileError(spec, 0, "a graph file or a git revision and path (REV:path)", "no such file")
    if spec.startswith("-"):
        raise GraphFileError(spec, 0, "a git revision and path (REV:path)", "an option")
    _, _, inner = spec.partition(":")
    try:
        fmt = format_for(Path(inner))
    except GraphFileError as exc:
        raise GraphFileError(spec, 0, exc.expected, exc.found) from None
    try:
        done = subprocess.run(  # noqa: S603 - one argument, after --end-of-options: never an option
            ["git", "show", "--end-of-options", spec],  # noqa: S607 - git from PATH, as the user runs it
            cwd=cwd,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RolegraphError(f"{spec}: expected git to read it, found {type(exc).__name__}: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        found = message[0] if message else f"git exit code {done.returncode}"
        raise GraphFileError(spec, 0, "a git revision and path that exist (REV:path)", found)
    store = ox.Store()
    store.bulk_extend(parse_quads(done.stdout, spec, fmt))
    return OxigraphStore(store)


# -- output --------------------------------------------------------------------------------------


def summary(changes: list[Change]) -> dict[str, dict[str, int]]:
    out = {s: {"added": 0, "removed": 0, "changed": 0} for s in SECTIONS}
    for c in changes:
        out[c.section][c.kind] += 1
    return out


def as_text(changes: list[Change], old: str, new: str) -> str:
    if not changes:
        return f"{old} -> {new}: no differences\n"
    lines = [f"{old} -> {new}:"]
    counts = summary(changes)
    mark = {"added": "+", "removed": "-", "changed": "~"}
    for section in SECTIONS:
        c = counts[section]
        if not any(c.values()):
            continue
        lines.append(f"{section}: {c['added']} added, {c['removed']} removed, {c['changed']} changed")
        for change in (ch for ch in changes if ch.section == section):
            if change.kind == "changed":
                parts = [f"{name} {_short(a)!r} -> {_short(b)!r}" for name, (a, b) in change.fields.items()]
                lines.append(f"  ~ {change.key}: {'; '.join(parts)}")
            else:
                shown = ", ".join(f"{k} {_short(v)!r}" for k, v in change.record.items() if v)
                lines.append(f"  {mark[change.kind]} {change.key}" + (f"  ({shown})" if shown else ""))
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change], old: str, new: str) -> str:
    sections: dict[str, dict[str, list[Any]]] = {s: {"added": [], "removed": [], "changed": []} for s in SECTIONS}
    for c in changes:
        if c.kind == "changed":
            fields = {name: {"old": a, "new": b} for name, (a, b) in c.fields.items()}
            sections[c.section]["changed"].append({"key": c.key, "fields": fields})
        else:
            sections[c.section][c.kind].append({"key": c.key, **c.record})
    document = {"old": old, "new": new, "changed": bool(changes), "summary": summary(changes), "sections": sections}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
