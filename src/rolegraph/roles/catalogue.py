"""The role catalogue: every role's structural coordinates, titles, aliases and focus skills.

Read once from a store with the shipped ``roles.rq`` and ``focus-skills.rq``; names resolve by
code, title or alias (case-insensitive), and an unknown or ambiguous name suggests the closest.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from rolegraph.errors import RolegraphError
from rolegraph.errors import UnknownRole as UnknownRole  # noqa: PLC0414 - re-exported: roles.UnknownRole is public

if TYPE_CHECKING:  # the queries (and rdflib) are imported where a catalogue is read from a store
    from rolegraph.ask.store import QueryStore
    from rolegraph.pages.model import Track  # the page records' module: tens of ms of dataclasses to import

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


#: where a role sits: function, function name, focus, focus name (shared by the roles of a focus)
Place = tuple[str, str, str, str]
PLACE_FIELDS: Final = 4


class RoleTable(Mapping[str, RoleInfo]):
    """Roles as the columns a cache entry keeps (:func:`catalogue_from_json`), each :class:`RoleInfo` made
    the first time it is asked for.

    ``rolegraph nearest`` reads the role asked about and the ten it prints: making all 10,000 roles
    of a large graph cost it 0.1 s. The columns were checked when read.
    """

    __slots__ = ("_made", "aliases", "codes", "place", "places", "position", "ranks", "titles", "tracks")

    def __init__(
        self,
        codes: Sequence[str],
        titles: Sequence[str],
        places: Sequence[Place],
        place: Sequence[int],
        tracks: str,
        ranks: Sequence[int],
        aliases: Mapping[str, Sequence[str]],
    ) -> None:
        self.codes, self.titles, self.places, self.place = codes, titles, places, place
        self.tracks, self.ranks, self.aliases = tracks, ranks, aliases
        self.position = dict(zip(codes, range(len(codes)), strict=True))
        self._made: dict[str, RoleInfo] = {}

    def __getitem__(self, code: str) -> RoleInfo:
        role = self._made.get(code)
        if role is None:
            i = self.position[code]
            function, function_name, focus, focus_name = self.places[self.place[i]]
            track: Track = "M" if self.tracks[i] == "M" else "P"  # checked to be one of the two when read
            rank = self.ranks[i]
            aliases = tuple(self.aliases.get(code, ()))
            level = f"{track}{rank}"
            role = RoleInfo(
                code, self.titles[i], function, function_name, focus, focus_name, level, track, rank, aliases
            )
            self._made[code] = role
        return role

    def __contains__(self, code: object) -> bool:
        return code in self.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


class SkillTable(Mapping[str, tuple[str, ...]]):
    """Focus code -> skill names, kept as numbers into one list of names (checked when read) and named
    the first time a focus is asked for."""

    __slots__ = ("_made", "names", "numbers")

    def __init__(self, numbers: Mapping[str, Sequence[int]], names: Sequence[str]) -> None:
        self.numbers, self.names = numbers, names
        self._made: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, focus: str) -> tuple[str, ...]:
        skills = self._made.get(focus)
        if skills is None:
            skills = self._made[focus] = tuple(map(self.names.__getitem__, self.numbers[focus]))
        return skills

    def __contains__(self, focus: object) -> bool:
        return focus in self.numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)


@dataclass(slots=True)
class Catalogue:
    roles: Mapping[str, RoleInfo]  # code -> role, in the order the graph lists them
    skills: Mapping[str, tuple[str, ...]]  # focus code -> skill names in page order
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
        import difflib  # noqa: PLC0415 - only an unknown name needs it

        names = self._name_index()
        close = difflib.get_close_matches(name.strip().casefold(), list(names), n=n * 4, cutoff=0.5)
        codes = dict.fromkeys(code for key in close for code in sorted(names[key]))
        return list(codes)[:n]

    def skills_of(self, code: str) -> tuple[str, ...]:
        return self.skills.get(self.roles[code].focus, ())

    def coordinates(self) -> tuple[Sequence[str], list[str], list[str], list[str], Sequence[str], Sequence[int]]:
        """Codes, functions, focuses, levels, tracks and ranks of every role, in catalogue order (what the
        distance index needs), without making a :class:`RoleInfo` of each."""
        table = self.roles
        if not isinstance(table, RoleTable):
            roles = list(table.values())
            return (
                [r.code for r in roles],
                [r.function for r in roles],
                [r.focus for r in roles],
                [r.level for r in roles],
                [r.track for r in roles],
                [r.rank for r in roles],
            )
        functions = [place[0] for place in table.places]
        focuses = [place[2] for place in table.places]
        return (
            table.codes,
            [functions[p] for p in table.place],
            [focuses[p] for p in table.place],
            [f"{track}{rank}" for track, rank in zip(table.tracks, table.ranks, strict=True)],
            table.tracks,
            table.ranks,
        )


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
    from rolegraph.ask.query import get_spec, run  # noqa: PLC0415

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
    """The catalogue as columns: one list per field, the (function, focus) of each role as an index into
    ``places``, tracks as one string, aliases by code, skills as indexes into ``skill_names``. A third
    smaller than a list of rows (1.4 MB at 10,000 roles), and read without a loop over the roles."""
    places: dict[Place, int] = {}
    skill_ids: dict[str, int] = {}
    roles = list(catalogue.roles.values())
    number = skill_ids.setdefault
    skills = {focus: [number(s, len(skill_ids)) for s in names] for focus, names in catalogue.skills.items()}
    return {
        "format": CATALOGUE_FORMAT,
        "code": [r.code for r in roles],
        "title": [r.title for r in roles],
        "place": [places.setdefault((r.function, r.function_name, r.focus, r.focus_name), len(places)) for r in roles],
        "places": [list(place) for place in places],
        "track": "".join(r.track for r in roles),
        "rank": [r.rank for r in roles],
        "aliases": {r.code: list(r.aliases) for r in roles if r.aliases},
        "skills": skills,  # focus -> indexes into skill_names
        "skill_names": list(skill_ids),
    }


#: the layout :func:`catalogue_to_json` writes; another one is not read (then it is recomputed)
CATALOGUE_FORMAT: Final = 2


def _flat(lists: Iterable[Iterable[Any]]) -> list[Any]:
    """The items of JSON lists, in one list (checked with C loops: ``set(map(type, ...))``, ``min``, ``max``)."""
    return list(itertools.chain.from_iterable(lists))


def _all(values: object, kind: type) -> bool:
    """``values`` is a list of ``kind`` exactly (no subclasses: JSON's bool is not an int here)."""
    return type(values) is list and set(map(type, values)) <= {kind}


def catalogue_from_json(value: object) -> Catalogue:
    """The catalogue :func:`catalogue_to_json` wrote; ``ValueError`` when ``value`` is not one.

    Every field is checked here as :func:`load_catalogue` checks what it reads (the distance index
    builds its ladders from the ranks), a column at a time; a :class:`RoleInfo` is made only when a
    role is asked for (:class:`RoleTable`).
    """
    try:
        if not isinstance(value, dict) or value.get("format") != CATALOGUE_FORMAT:
            raise ValueError("not this version's layout")
        codes, titles, place, places = value["code"], value["title"], value["place"], value["places"]
        tracks, ranks, aliases, skills = value["track"], value["rank"], value["aliases"], value["skills"]
        skill_names = value["skill_names"]
        n = len(codes)
        if not (_all(codes, str) and _all(titles, str) and _all(place, int) and _all(ranks, int)):
            raise TypeError("a column of the wrong type")
        if not (type(tracks) is str and set(tracks) <= {"P", "M"}):
            raise ValueError("a track that is not P or M")
        if not len(titles) == len(place) == len(tracks) == len(ranks) == n:
            raise ValueError("columns of different lengths")
        if n and not (min(ranks) >= 1 and max(ranks) <= MAX_RANK and min(place) >= 0 and max(place) < len(places)):
            raise ValueError(f"a rank outside 1 to {MAX_RANK}, or a place that is not listed")
        if not (_all(places, list) and set(map(len, places)) <= {PLACE_FIELDS} and _all(_flat(places), str)):
            raise TypeError("a place that is not four names")
        table = RoleTable(codes, titles, [tuple(p) for p in places], place, tracks, ranks, aliases)
        if len(table.position) != n:
            raise ValueError("a role code listed twice")
        if type(aliases) is not dict or not (_all([*aliases.values()], list) and _all(_flat(aliases.values()), str)):
            raise TypeError("aliases that are not lists of names")
        if not set(aliases) <= table.position.keys():
            raise ValueError("aliases of a role that is not listed")
        if type(skills) is not dict or not _all(skill_names, str) or not _all([*skills.values()], list):
            raise TypeError("skills that are not lists of skill numbers")
        numbers = _flat(skills.values())
        if not _all(numbers, int) or (numbers and not 0 <= min(numbers) <= max(numbers) < len(skill_names)):
            raise ValueError("a skill number that is not listed")
        return Catalogue(table, SkillTable(skills, skill_names))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a cached catalogue: {exc}") from None
