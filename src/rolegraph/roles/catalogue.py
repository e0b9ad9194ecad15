"""The role catalogue: every role's structural coordinates, titles, aliases and focus skills.

Read once from a store with the shipped ``roles.rq`` and ``focus-skills.rq``; names resolve by
code, title or alias (case-insensitive), and an unknown or ambiguous name suggests the closest.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from rolegraph.ask.query import get_spec, run
from rolegraph.ask.store import QueryStore
from rolegraph.errors import RolegraphError
from rolegraph.errors import UnknownRole as UnknownRole  # noqa: PLC0414 - re-exported: roles.UnknownRole is public
from rolegraph.pages.model import Track

#: the highest rank of a level: a level code is a track letter and one or two digits (P99)
MAX_RANK: Final = 99


@dataclass(frozen=True, slots=True)
class RoleInfo:
    code: str
    title: str
    function: str
    function_name: str
    focus: str
    focus_name: str
    level: str
    track: Track
    rank: int
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Catalogue:
    roles: dict[str, RoleInfo]
    skills: dict[str, tuple[str, ...]]  # focus code -> skill names in page order
    _names: dict[str, set[str]] = field(default_factory=dict)  # built on first use: a role asked by code needs none

    def _name_index(self) -> dict[str, set[str]]:
        if not self._names:
            for role in self.roles.values():
                for name in (role.code, role.title, *role.aliases):
                    self._names.setdefault(name.casefold(), set()).add(role.code)
        return self._names

    def resolve(self, name: str) -> RoleInfo:
        """A role by code, title or alias, ignoring case."""
        if name in self.roles:
            return self.roles[name]
        codes = self._name_index().get(name.strip().casefold(), set())
        if len(codes) == 1:
            return self.roles[next(iter(codes))]
        if len(codes) > 1:
            raise UnknownRole(f"expected one role, found {len(codes)} named {name!r}: {', '.join(sorted(codes))}")
        close = self.suggest(name)
        hint = "did you mean " + "; ".join(f"{code} ({self.roles[code].title})" for code in close) + "?"
        raise UnknownRole(
            f"expected a role code, title or alias, found {name!r}",
            hint=hint if close else "see `rolegraph query roles`",
        )

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` role codes whose code, title or alias is close to ``name``, each role once.

        A role can be close by several names (its title and an alias), and an alias can name
        several roles: the codes are listed in the order of their closest name, without repeats.
        """
        names = self._name_index()
        close = difflib.get_close_matches(name.strip().casefold(), list(names), n=n * 4, cutoff=0.5)
        codes = dict.fromkeys(code for key in close for code in sorted(names[key]))
        return list(codes)[:n]

    def skills_of(self, code: str) -> tuple[str, ...]:
        return self.skills.get(self.roles[code].focus, ())


def skill_overlap(a: Sequence[str], b: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(shared, only in ``a``, only in ``b``), each in its side's page order: what a comparison shows
    and what a career step gains (only in ``b``) and loses (only in ``a``)."""
    in_a, in_b = set(a), set(b)
    return tuple(s for s in a if s in in_b), tuple(s for s in a if s not in in_b), tuple(s for s in b if s not in in_a)


def _rank(source: str, code: str, level: str, track: object, rank: object) -> int:
    """The rank of a role's level, checked before any ladder is built from it."""
    where = f"{source}: role {_clip(code)}"
    if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= MAX_RANK:
        huge = isinstance(rank, int) and rank.bit_length() > 256  # str() of it may raise
        shown = "a number of over 70 digits" if huge else _clip(str(rank))
        raise RolegraphError(f"{where}: expected a level rank, a whole number from 1 to {MAX_RANK}, found {shown!r}")
    if track not in ("P", "M") or level != f"{track}{rank}":
        found = f"level {_clip(level)!r} with track {_clip(str(track))!r} and rank {rank}"
        raise RolegraphError(f"{where}: expected a level code of its track and rank (like P7), found {found}")
    return rank


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_catalogue(store: QueryStore, source: str = "the graph") -> Catalogue:
    """Every role of the graph in ``store`` (read from ``source``, named in errors).

    A level's rank must be a whole number from 1 to ``MAX_RANK`` and agree with its code: the
    distance builds its ladders rank by rank, so a hostile rank would otherwise exhaust memory.
    """
    roles: dict[str, RoleInfo] = {}
    aliases: dict[str, list[str]] = {}
    for code, title, function, fname, focus, focus_name, level, track, rank, alias in run(
        get_spec("roles"), {}, store
    ).values():
        aliases.setdefault(str(code), [])
        if alias is not None:
            aliases[str(code)].append(str(alias))
        if code not in roles:
            roles[str(code)] = RoleInfo(
                str(code),
                str(title),
                str(function),
                str(fname),
                str(focus),
                str(focus_name),
                str(level),
                "M" if track == "M" else "P",
                _rank(source, str(code), str(level), track, rank),
            )
    for code, alias_list in aliases.items():
        if alias_list:
            roles[code] = replace(roles[code], aliases=tuple(alias_list))
    skills: dict[str, list[str]] = {}
    for focus, skill in run(get_spec("focus-skills"), {}, store).values():
        skills.setdefault(str(focus), []).append(str(skill))
    return Catalogue(roles, {k: tuple(v) for k, v in skills.items()})


# -- persisted in a cache entry (rolegraph.ask.cache) as JSON, never pickled ------------------------


def catalogue_to_json(catalogue: Catalogue) -> dict[str, object]:
    roles = [
        [r.code, r.title, r.function, r.function_name, r.focus, r.focus_name, r.level, r.track, r.rank, list(r.aliases)]
        for r in catalogue.roles.values()
    ]
    return {"roles": roles, "skills": {focus: list(skills) for focus, skills in catalogue.skills.items()}}


def catalogue_from_json(value: object) -> Catalogue:
    """The catalogue :func:`catalogue_to_json` wrote; ``ValueError`` when ``value`` is not one."""
    try:
        if not isinstance(value, dict):
            raise TypeError("not an object")
        roles: dict[str, RoleInfo] = {}
        for code, title, function, fname, focus, focus_name, level, track, rank, aliases in value["roles"]:
            # load_catalogue's checks, cheaply: 10,000 roles load in tens of milliseconds
            if (
                type(rank) is not int
                or not 1 <= rank <= MAX_RANK
                or track not in ("P", "M")
                or level != f"{track}{rank}"
            ):
                raise ValueError(f"role {code!r}: a level that does not match its track and rank")
            if not all(type(f) is str for f in (code, title, function, fname, focus, focus_name, *aliases)):
                raise TypeError("a role field that is not text")
            roles[code] = RoleInfo(code, title, function, fname, focus, focus_name, level, track, rank, tuple(aliases))
        skills = {str(focus): tuple(str(s) for s in names) for focus, names in value["skills"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a cached catalogue: {exc}") from None
    return Catalogue(roles, skills)
