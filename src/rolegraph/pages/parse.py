"""Parse canon profile pages into :mod:`rolegraph.pages.model` records.

Tolerant of form (CRLF, a BOM, non-breaking spaces, trailing blanks, a missing dash in the pay
range, absent optional sections), strict about content: anything else is a :class:`SeedError`
that reads ``path:line: expected ..., found ...``.

The page is cut into sections at its headings, which must come in :data:`SECTIONS` order; each
section has one small reader below.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Final, cast

from rolegraph.errors import SeedError
from rolegraph.pages.model import (
    CLASSIFICATION_SCHEMES,
    CONFIDENCE_BANDS,
    CURRENCY_SYMBOLS,
    DESCRIPTOR_KEYS,
    DIFFERENTIAL_FLAGS,
    GENERIC_CODE_RE,
    LEVEL_CODE_RE,
    ROLE_CODE_RE,
    STATUSES,
    Alias,
    ConfidenceBand,
    DifferentialFlag,
    Focus,
    Function,
    GuidelineRow,
    Level,
    LevelDescriptor,
    LevelResponsibilities,
    Mapping,
    Page,
    Pay,
    Provenance,
    Responsibility,
    ReviewScore,
    RoleNames,
    RoleStatus,
    SiblingFocus,
    Skill,
    Source,
    Status,
    parse_level_code,
    role_names,
    role_title,
)

# Real pages are ~13 kB, ~150 lines, lines under 1,000 characters. These bounds keep the worst input
# under about a second and ~100 MB (tests/hardening/test_pages.py measures it); bigger is refused.
MAX_PAGE_BYTES: Final = 1024 * 1024  # refused before reading the file
MAX_PAGE_LINES: Final = 20_000
MAX_LINE_CHARS: Final = 10_000  # bounds the cost of every per-line pattern
# What one page may list. SHACL time grows faster than linearly with them (a page of 8,000 skills
# took 19 s to validate, 4,000 took 5 s): at these bounds, all of them at once, one page still builds
# in seconds (bench/page_limits measures it). A real page has ~13 skills, ~30 bullets, 1 mapping.
MAX_SKILLS: Final = 500
MAX_RESPONSIBILITIES: Final = 1_000  # bullets, over all levels of the page
MAX_ALIASES: Final = 500
MAX_MAPPINGS: Final = 100
MAX_SIBLINGS: Final = 100  # focuses named after 'Distinct from'
MAX_REVIEW_SCORES: Final = 100
BULLET: Final = "•"
GUIDELINE_HEADER: Final = (
    "LevelKnowledge & ApplicationComplexity & Problem SolvingCollaboration & InteractionTypical Degree & Years"
)
NO_ALIASES: Final = "No title aliases recorded for this profile yet."


@dataclass(frozen=True, slots=True)
class Line:
    no: int
    text: str


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    label: str
    matches: Callable[[str], bool]
    required: bool


def _exact(word: str) -> Callable[[str], bool]:
    return lambda text: text == word


def _prefix(word: str) -> Callable[[str], bool]:
    return lambda text: text.startswith(word) and len(text) > len(word)


def _either(*words: str) -> Callable[[str], bool]:
    return lambda text: text in words


SECTIONS: Final = (
    SectionSpec("level", "Level", _exact("Level"), True),
    SectionSpec("function_focus", "Function · Focus", _exact("Function · Focus"), True),
    SectionSpec("pay", "Market pay (median)", _exact("Market pay (median)"), True),
    SectionSpec("focus", "Focus — <name>", _prefix("Focus — "), True),
    SectionSpec("responsibilities", "Responsibilities by level", _exact("Responsibilities by level"), True),
    SectionSpec("guidelines", "Level guidelines", _exact("Level guidelines"), True),
    SectionSpec("skills", "Skills", _exact("Skills"), True),
    SectionSpec("provenance", "Provenance", _exact("Provenance"), True),
    SectionSpec("descriptor", "Level — <level>", _prefix("Level — "), True),
    SectionSpec("adjacent", "Adjacent roles", _exact("Adjacent roles"), False),
    SectionSpec("aliases", "Title aliases", _either("Title aliases", "Title aliasesshow ▾"), False),
    SectionSpec(
        "mappings",
        "Classification mappings",
        _either("Classification mappings", "Classification mappingsshow ▾"),
        False,
    ),
)


class _Reader:
    """Helpers that raise located errors for one page."""

    def __init__(self, path: str, last_line: int) -> None:
        self.path = path
        self.last_line = last_line

    def fail(self, line: int, expected: str, found: str | None = None) -> SeedError:
        return SeedError(self.path, line, expected, found)

    def src(self, line: Line) -> Source:
        return Source(self.path, line.no)


# ---------------------------------------------------------------------------------------------
# entry points


def parse_page(path: Path, root: Path | None = None) -> Page:
    """Read and parse one page file; ``root`` makes the recorded path relative to it."""
    shown, data = read_page(path, root)
    return parse_page_bytes(data, shown)


def read_page(path: Path, root: Path | None = None) -> tuple[str, bytes]:
    """The name a page is known by (see :func:`display_path`) and its bytes, before any parsing.

    At most :data:`MAX_PAGE_BYTES` + 1 bytes are read, so a device, a FIFO or ``<(cmd)`` (whose
    size ``stat`` gives as 0) is refused as soon as it passes the bound, never read to the end.
    """
    shown = display_path(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise SeedError(shown, 0, f"a page under {MAX_PAGE_BYTES // (1024 * 1024)} MB", f"{size} bytes")
        with path.open("rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise SeedError(shown, 0, "a readable file", _unreadable(path, exc)) from None
    if len(data) > MAX_PAGE_BYTES:
        raise SeedError(
            shown, 0, f"a page under {MAX_PAGE_BYTES // (1024 * 1024)} MB", f"more than {MAX_PAGE_BYTES} bytes"
        )
    return shown, data


def _unreadable(path: Path, exc: OSError) -> str:
    if path.is_symlink() and exc.errno == errno.ENOENT:
        return f"a dangling symlink (to {os.readlink(path)!r})"
    if exc.errno == errno.ELOOP:
        return "a symlink that loops"
    return exc.strerror or type(exc).__name__


def parse_page_bytes(data: bytes, path: str) -> Page:
    """Decode UTF-8 (a BOM is allowed) and parse."""
    if len(data) > MAX_PAGE_BYTES:
        raise SeedError(path, 0, f"a page under {MAX_PAGE_BYTES // (1024 * 1024)} MB", f"{len(data)} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedError(path, line, "UTF-8 text", f"byte 0x{data[exc.start]:02x} at offset {exc.start}") from None
    return parse_page_text(text, path)


def parse_page_text(text: str, path: str) -> Page:
    """Parse the text of one page; ``path`` is what errors and sources name."""
    if len(text) > MAX_PAGE_BYTES:  # refused before any copy is made: memory and time stay bounded
        raise SeedError(path, 0, f"a page under {MAX_PAGE_BYTES // (1024 * 1024)} MB", f"{len(text)} characters")
    if max(text.count("\n"), text.count("\r")) >= MAX_PAGE_LINES:
        raise SeedError(path, 0, f"a page under {MAX_PAGE_LINES} lines", "more")
    lines = _normalise(text)
    r = _Reader(path, len(lines))
    for ln in lines:
        if "\x00" in ln.text:
            raise r.fail(ln.no, "text without NUL bytes", "a NUL byte")
        if len(ln.text) > MAX_LINE_CHARS:
            raise r.fail(ln.no, f"a line under {MAX_LINE_CHARS} characters", f"{len(ln.text)} characters")
    content = [ln for ln in lines if ln.text]
    if not content:
        raise r.fail(1, "a canon profile page", "an empty file")
    preamble, sections = _split_sections(content, r)
    return _build_page(preamble, sections, r)


def iter_page_files(inputs: Iterable[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Expand files and folders (``*.txt``, sorted, recursive) into ``(file, root)`` pairs.

    A page is named by its path relative to ``root`` (POSIX separators), or by its file name when
    ``root`` is None (a file given directly). ``root`` is the folder given, or, when several inputs
    are given, the folder that holds it, so that ``dA/x.txt`` and ``dB/x.txt`` keep their folder's
    name and stay two pages. A ``.txt`` symlink in a folder that leads nowhere (dangling or looping)
    is listed too, so that reading it reports it instead of skipping it without a word.
    """
    items = list(inputs)
    for item in items:
        if item.is_dir():
            root = Path(os.path.abspath(item)).parent if len(items) > 1 else item
            for file in sorted(item.rglob("*.txt")):
                if file.is_file() or (file.is_symlink() and not file.exists()):
                    yield file, root
        else:
            yield item, None


def display_path(path: Path, root: Path | None) -> str:
    if root is None:
        return path.name
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _normalise(text: str) -> list[Line]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return [Line(i, raw.rstrip()) for i, raw in enumerate(text.split("\n"), start=1)]


# ---------------------------------------------------------------------------------------------
# sections


def _split_sections(content: list[Line], r: _Reader) -> tuple[list[Line], dict[str, tuple[Line, list[Line]]]]:
    """Cut non-blank lines at headings; check order, duplicates and required sections."""
    order = {spec.key: i for i, spec in enumerate(SECTIONS)}
    found: dict[str, tuple[Line, list[Line]]] = {}
    preamble: list[Line] = []
    current: list[Line] = preamble
    last_index = -1
    for ln in content:
        spec = _heading(ln.text)
        if spec is None:
            current.append(ln)
            continue
        if spec.key in found:
            first = found[spec.key][0].no
            raise r.fail(ln.no, f"section '{spec.label}' once", f"it again (first at line {first})")
        index = order[spec.key]
        if index < last_index:
            later = SECTIONS[last_index].label
            raise r.fail(ln.no, f"section '{spec.label}' before section '{later}'", "it after")
        missing = [s for s in SECTIONS[last_index + 1 : index] if s.required]
        if missing:
            raise r.fail(ln.no, f"section '{missing[0].label}'", f"section '{spec.label}'")
        body: list[Line] = []
        found[spec.key] = (ln, body)
        current = body
        last_index = index
    missing = [s for s in SECTIONS[last_index + 1 :] if s.required]
    if missing:
        last = content[-1].no
        raise r.fail(last, f"section '{missing[0].label}'", "the end of the page (truncated?)")
    return preamble, found


def _heading(text: str) -> SectionSpec | None:
    for spec in SECTIONS:
        if spec.matches(text):
            return spec
    return None


def _build_page(preamble: list[Line], sections: dict[str, tuple[Line, list[Line]]], r: _Reader) -> Page:
    header = _read_header(preamble, r)
    level = _read_level(sections["level"], r)
    function_name, focus_name = _read_function_focus(sections["function_focus"], r)
    role_code, function_code, focus_part, level_code = header.role_code_parts
    if level.code != level_code:
        raise r.fail(sections["level"][1][0].no, f"level {level_code} (from the role code)", level.code)
    if header.level_code.text != level_code:
        raise r.fail(header.level_code.no, f"level {level_code} (from the role code)", header.level_code.text)
    if header.function_name.text != function_name:
        line = sections["function_focus"][1][0].no
        raise r.fail(
            line, f"function {header.function_name.text!r} (line {header.function_name.no})", repr(function_name)
        )
    expected_title = role_title(focus_name, level_code)
    for title in header.titles:
        if title.text != expected_title:
            raise r.fail(title.no, f"title {expected_title!r}", repr(title.text))
    status = _read_status(header.status, level, r)
    definition = header.definition
    pay = _read_pay(sections["pay"], definition, r)
    differentials = _read_focus_section(sections["focus"], focus_name, definition, r)
    responsibilities = _read_responsibilities(sections["responsibilities"], level_code, r)
    guidelines = _read_guidelines(sections["guidelines"], r)
    skills = _read_skills(sections["skills"], r)
    provenance = _read_provenance(sections["provenance"], r)
    descriptor = _read_descriptor(sections["descriptor"], level, r)
    aliases = _read_aliases(sections.get("aliases"), r)
    mappings = _read_mappings(sections.get("mappings"), r)
    function = Function(function_code, function_name, r.src(header.function_name))
    focus = Focus(
        code=f"{function_code}.{focus_part}",
        function_code=function_code,
        name=focus_name,
        definition=definition.text,
        distinct_from=_siblings(definition, r),
        source=r.src(definition),
    )
    return Page(
        path=r.path,
        role_code=role_code,
        title=expected_title,
        function=function,
        focus=focus,
        level=level,
        status=status,
        pay=pay,
        differentials=differentials,
        responsibilities=responsibilities,
        guidelines=guidelines,
        skills=skills,
        provenance=provenance,
        descriptor=descriptor,
        aliases=aliases,
        mappings=mappings,
        source=r.src(header.role_code),
        warnings=_confusables(
            [("title", header.titles[0])] + [("alias", Line(a.source.line, a.title)) for a in aliases], r
        ),
    )


# Characters that make two names look alike, or look unlike what they are (issue #12): warned
# about, not refused, since a real title may need them.
_BIDI_CONTROLS: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_SCRIPTS: Final = ("LATIN", "CYRILLIC", "GREEK")


def _confusables(named: Sequence[tuple[str, Line]], r: _Reader) -> tuple[str, ...]:
    """``path:line: ...`` for each title or alias with a bidi control, a zero-width character or a
    word that mixes Latin with Cyrillic or Greek letters (``Dаta`` with a Cyrillic ``а``)."""
    found: list[str] = []
    for what, line in named:
        text = line.text
        odd = next((c for c in text if c in _BIDI_CONTROLS or c in _ZERO_WIDTH), None)
        if odd is not None:
            kind = "a bidirectional control" if odd in _BIDI_CONTROLS else "an invisible zero-width character"
            found.append(f"{r.path}:{line.no}: {what} {_clip(text)!r} has {kind} (U+{ord(odd):04X})")
        for word in re.findall(r"\w+", text):
            scripts = {_script(c) for c in word if c.isalpha()} - {None}
            if "LATIN" in scripts and len(scripts) > 1:
                others = " and ".join(sorted(str(s).title() for s in scripts - {"LATIN"}))
                found.append(
                    f"{r.path}:{line.no}: {what} {_clip(text)!r} has a word mixing Latin and {others} letters"
                    f" ({word!r}): it may look like another name"
                )
                break
    return tuple(found)


def check_aliases(pages: Sequence[Page]) -> None:
    """Refuse a title alias that is another role's code or title (ignoring case): ``rolegraph``
    resolves roles by code, title or alias, so such an alias would make a name point at two roles."""
    check_role_names([role_names(page) for page in pages])


def check_role_names(pages: Sequence[RoleNames]) -> None:
    """:func:`check_aliases` of each page's :func:`role_names`, in page order."""
    names: dict[str, str] = {}  # casefolded code or title -> role code
    for page_names, _, _ in pages:
        for key, code in page_names:
            names.setdefault(key, code)
    for _, role_code, aliases in pages:
        for title, path, line in aliases:
            other = names.get(title.strip().casefold())
            if other is not None and other != role_code:
                raise SeedError(
                    path,
                    line,
                    "an alias that names no other role",
                    f"{title!r}, the code or title of {other}",
                )


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((script for script in _SCRIPTS if name.startswith(script + " ")), None)


@dataclass(frozen=True, slots=True)
class _Header:
    level_code: Line
    role_code: Line
    role_code_parts: tuple[str, str, str, str]
    titles: tuple[Line, ...]
    function_name: Line
    status: Line
    definition: Line


def _read_header(preamble: list[Line], r: _Reader) -> _Header:
    """Back link, level code, role code, title, function, title, role code, status, definition."""
    names = (
        "a back link ('← Canon taxonomy')",
        "the level code",
        "the role code",
        "the role title",
        "the function name",
        "the role title again",
        "the role code again",
        "the status line",
        "the focus definition",
    )
    if preamble and not preamble[0].text.startswith("←"):
        raise r.fail(preamble[0].no, names[0], repr(_clip(preamble[0].text)))
    if len(preamble) < len(names):
        last = preamble[-1].no if preamble else 1
        raise r.fail(last, names[len(preamble)], "a section heading or the end of the page")
    if len(preamble) > len(names):
        extra = preamble[len(names)]
        raise r.fail(extra.no, "the section heading 'Level'", repr(_clip(extra.text)))
    _, level, code, title, function, title2, code2, status, definition = preamble
    parts = _role_code(code, r)
    if code2.text != code.text:
        raise r.fail(code2.no, f"role code {code.text} (line {code.no})", repr(_clip(code2.text)))
    return _Header(level, code, parts, (title, title2), function, status, definition)


def _role_code(line: Line, r: _Reader) -> tuple[str, str, str, str]:
    m = ROLE_CODE_RE.fullmatch(line.text)
    if m is None:
        raise r.fail(line.no, "a role code FUNCTION.FOCUS.LEVEL (A-Z, 0-9, level P1.. or M1..)", repr(_clip(line.text)))
    return line.text, m.group(1), m.group(2), m.group(3)


def _read_status(line: Line, level: Level, r: _Reader) -> RoleStatus:
    prefix = f"{level.code}{level.code} — {level.title}"
    if not line.text.startswith(prefix):
        raise r.fail(line.no, f"a status line starting {prefix!r}", repr(_clip(line.text)))
    rest = line.text[len(prefix) :]
    # one lazy group for status + region (two adjacent lazy groups made this quadratic on long lines)
    m = re.fullmatch(r"([a-z]+?)([0-9]+(?:\.[0-9]+)?)([a-z]{2}[a-z-]*?)(v[0-9]+(?:\.[0-9]+)*)", rest)
    if m is None:
        raise r.fail(line.no, "band, score, status, region and version after the level title", repr(_clip(rest)))
    band, score_text, tail, version = m.group(1), m.group(2), m.group(3), m.group(4)
    if band not in CONFIDENCE_BANDS:
        raise r.fail(line.no, f"a confidence band ({', '.join(CONFIDENCE_BANDS)})", repr(band))
    score = Decimal(score_text)
    if not Decimal(0) <= score <= Decimal(1):
        raise r.fail(line.no, "a confidence score between 0 and 1", score_text)
    status = next((s for s in STATUSES if tail.startswith(s) and len(tail) > len(s)), None)
    if status is None:
        raise r.fail(line.no, f"a status word ({', '.join(STATUSES)}) then a region", repr(tail))
    return RoleStatus(
        confidence_band=cast(ConfidenceBand, band),
        confidence_score=score,
        status=cast(Status, status),
        region=tail[len(status) :],
        version=version,
        source=r.src(line),
    )


_LEVEL_LINE_RE: Final = re.compile(r"(?P<code>\S+) · (?P=code) — (?P<title>.+?)(?: · (?P<exp>.+))?")
_EXPERIENCE_RE: Final = re.compile(r"(?P<min>[0-9]+)(?:\s*[–-]\s*(?P<max>[0-9]+)|(?P<plus>\+))?\s*yrs")


def _read_level(section: tuple[Line, list[Line]], r: _Reader) -> Level:
    line = _single(section, "the level line 'P7 · P7 — <title> · <years> yrs'", r)
    m = _LEVEL_LINE_RE.fullmatch(line.text)
    if m is None or LEVEL_CODE_RE.fullmatch(m.group("code")) is None:
        raise r.fail(line.no, "'<level> · <level> — <title> · <min>–<max> yrs'", repr(_clip(line.text)))
    low: int | None = None
    high: int | None = None
    if m.group("exp") is not None:
        e = _EXPERIENCE_RE.fullmatch(m.group("exp"))
        if e is None:
            raise r.fail(line.no, "experience like '15–22 yrs' or '10+ yrs'", repr(m.group("exp")))
        low = int(e.group("min"))
        high = int(e.group("max")) if e.group("max") else (None if e.group("plus") else low)
        if high is not None and high < low:
            raise r.fail(line.no, "experience min <= max", m.group("exp"))
    return Level(m.group("code"), m.group("title"), low, high, r.src(line))


def _read_function_focus(section: tuple[Line, list[Line]], r: _Reader) -> tuple[str, str]:
    line = _single(section, "'<function name> · <focus name>'", r)
    parts = line.text.split(" · ")
    if len(parts) != 2 or not all(parts):
        raise r.fail(line.no, "'<function name> · <focus name>'", repr(_clip(line.text)))
    return parts[0], parts[1]


_AMOUNT: Final = r"(?P<{0}cur>[^\d\s])(?P<{0}>[0-9]+(?:\.[0-9]+)?)(?P<{0}k>[kK]?)"
_PAY_RE: Final = re.compile(
    _AMOUNT.format("median") + r" \(" + _AMOUNT.format("low") + r"\s*[–-]?\s*" + _AMOUNT.format("high") + r"\)"
)


def _read_pay(section: tuple[Line, list[Line]], definition: Line, r: _Reader) -> Pay | None:
    heading, body = section
    if not body:
        raise r.fail(heading.no + 1, "the market pay line ('$231k ($182k–$294k)' or '—')", "nothing")
    line, rest = body[0], body[1:]
    _repeats(rest, definition, r)
    if line.text in ("—", "-", "–"):
        return None
    m = _PAY_RE.fullmatch(line.text)
    if m is None:
        raise r.fail(line.no, "market pay like '$231k ($182k–$294k)' or '—'", repr(_clip(line.text)))
    symbols = {m.group("mediancur"), m.group("lowcur"), m.group("highcur")}
    if len(symbols) != 1 or next(iter(symbols)) not in CURRENCY_SYMBOLS:
        raise r.fail(line.no, f"one currency symbol of {' '.join(CURRENCY_SYMBOLS)}", repr(line.text))
    median, low, high = (_amount(m, name) for name in ("median", "low", "high"))
    if median is None or low is None or high is None:
        raise r.fail(line.no, "pay in whole currency units", repr(line.text))
    if not low <= median <= high:
        raise r.fail(line.no, "pay low <= median <= high", repr(line.text))
    return Pay(median, low, high, CURRENCY_SYMBOLS[next(iter(symbols))], "P1Y", r.src(line))


def _amount(m: re.Match[str], name: str) -> int | None:
    """Whole currency units (``$231k`` -> 231000); None when the amount has cents."""
    value = Decimal(m.group(name)) * (1000 if m.group(name + "k") else 1)
    return int(value) if value == value.to_integral_value() else None


def _repeats(lines: Sequence[Line], definition: Line, r: _Reader) -> None:
    """Lines that repeat the focus definition (the page shows it three times) must repeat it exactly."""
    for ln in lines:
        if ln.text != definition.text:
            raise r.fail(ln.no, f"the focus definition as on line {definition.no}", repr(_clip(ln.text)))


_DIFFERENTIAL_RE: Final = re.compile(
    r"Material (?P<flags>[A-Z]+(?:(?:, | and )[A-Z]+)*) differential vs the function baseline\."
)


def _read_focus_section(
    section: tuple[Line, list[Line]], focus_name: str, definition: Line, r: _Reader
) -> tuple[DifferentialFlag, ...]:
    heading, body = section
    name = heading.text[len("Focus — ") :]
    if name != focus_name:
        raise r.fail(heading.no, f"'Focus — {focus_name}'", repr(heading.text))
    flags: tuple[DifferentialFlag, ...] = ()
    if body and (m := _DIFFERENTIAL_RE.fullmatch(body[-1].text)):
        words = re.split(r", | and ", m.group("flags"))
        for word in words:
            if word not in DIFFERENTIAL_FLAGS:
                raise r.fail(body[-1].no, f"differential flags among {', '.join(DIFFERENTIAL_FLAGS)}", word)
        if len(set(words)) != len(words):
            raise r.fail(body[-1].no, "each differential flag once", m.group("flags"))
        flags = tuple(cast(DifferentialFlag, w) for w in words)
        body = body[:-1]
    _repeats(body, definition, r)
    return flags


_SIBLINGS_RE: Final = re.compile(r"Distinct from (?P<list>.+?) in that\b")
_SIBLING_RE: Final = re.compile(r"(?P<name>[^()]+?) \((?P<gloss>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def _siblings(definition: Line, r: _Reader) -> tuple[SiblingFocus, ...]:
    m = _SIBLINGS_RE.search(definition.text)
    if m is None:
        return ()
    text = m.group("list")
    found: list[SiblingFocus] = []
    pos = 0
    while pos < len(text):
        s = _SIBLING_RE.match(text, pos)
        if s is None:
            raise r.fail(
                definition.no, "'Distinct from <Focus> (<gloss>) and <Focus> (<gloss>)'", repr(_clip(text[pos:]))
            )
        if len(found) == MAX_SIBLINGS:
            raise r.fail(definition.no, f"at most {MAX_SIBLINGS} focuses after 'Distinct from'", "more")
        found.append(SiblingFocus(s.group("name"), s.group("gloss"), r.src(definition)))
        pos = s.end()
        sep = re.match(r",? and |, ", text[pos:])
        if sep:
            pos += sep.end()
        elif pos < len(text):
            raise r.fail(definition.no, "', ' or ' and ' between sibling focuses", repr(_clip(text[pos:])))
    return tuple(found)


def _read_responsibilities(
    section: tuple[Line, list[Line]], own_level: str, r: _Reader
) -> tuple[LevelResponsibilities, ...]:
    heading, body = section
    body = _skip_intro(body, "What this person actually does")
    blocks: list[LevelResponsibilities] = []
    code: Line | None = None
    is_own = False
    items: list[Responsibility] = []
    count = 0

    def close() -> None:
        if code is None:
            return
        if not items:
            raise r.fail(code.no, f"'  • ' responsibility bullets under level {code.text}", "none")
        blocks.append(LevelResponsibilities(code.text, tuple(items), is_own, r.src(code)))

    for ln in body:
        if ln.text.lstrip().startswith(BULLET):
            if code is None:
                raise r.fail(ln.no, "a level code before the first bullet", repr(_clip(ln.text)))
            count += 1
            if count > MAX_RESPONSIBILITIES:
                raise r.fail(ln.no, f"at most {MAX_RESPONSIBILITIES} responsibility bullets on a page", "more")
            items.append(Responsibility(_bullet(ln, r), r.src(ln)))
            continue
        close()
        text = ln.text
        is_own = text.endswith("this profile")
        bare = text.removesuffix("this profile")
        if LEVEL_CODE_RE.fullmatch(bare) is None:
            raise r.fail(ln.no, "a level code (P1.., M1..) or a '  • ' bullet", repr(_clip(text)))
        code = Line(ln.no, bare)
        items = []
    close()
    if not blocks:
        raise r.fail(heading.no, "responsibilities for at least one level", "none")
    _unique_levels([(b.level_code, b.source.line) for b in blocks], r)
    own = [b for b in blocks if b.is_own]
    if len(own) != 1 or own[0].level_code != own_level:
        marked = ", ".join(b.level_code for b in own) or "none"
        raise r.fail(heading.no, f"exactly one level marked 'this profile', {own_level}", marked)
    return tuple(blocks)


def _unique_levels(codes: list[tuple[str, int]], r: _Reader) -> None:
    seen: dict[str, int] = {}
    for code, line in codes:
        if code in seen:
            raise r.fail(line, f"level {code} once", f"it again (first at line {seen[code]})")
        seen[code] = line


def _skip_intro(body: list[Line], starts: str) -> list[Line]:
    if body and body[0].text.startswith(starts):
        return body[1:]
    return body


def _bullet(ln: Line, r: _Reader) -> str:
    text = ln.text.lstrip()[len(BULLET) :].strip()
    if not text:
        raise r.fail(ln.no, "text after the bullet", "an empty bullet")
    return text


_CELL_BREAK_RE: Final = re.compile(r"(?<=[.!?)])(?=[A-Z0-9])")
_ABBREVIATION_RE: Final = re.compile(r"(?:^|[\s/(])[A-Za-z]{1,2}\.$")


def _read_guidelines(section: tuple[Line, list[Line]], r: _Reader) -> tuple[GuidelineRow, ...]:
    heading, body = section
    body = _skip_intro(body, "The universal leveling rubric")
    if not body or body[0].text != GUIDELINE_HEADER:
        found = repr(_clip(body[0].text)) if body else "nothing"
        raise r.fail(
            body[0].no if body else heading.no, "the guideline table header 'LevelKnowledge & Application…'", found
        )
    rows: list[GuidelineRow] = []
    for ln in body[1:]:
        m = re.match(r"([PM][1-9][0-9]?)(?=[A-Z])", ln.text)
        if m is None:
            raise r.fail(ln.no, "a guideline row starting with a level code", repr(_clip(ln.text)))
        cells = _split_cells(ln.text[m.end() :])
        if len(cells) != 4:
            raise r.fail(
                ln.no,
                "a guideline row of 4 cells (knowledge, complexity, collaboration, degree & years)",
                f"{len(cells)} cells",
            )
        rows.append(GuidelineRow(m.group(1), cells[0], cells[1], cells[2], cells[3], r.src(ln)))
    if not rows:
        raise r.fail(body[0].no, "at least one guideline row", "none")
    _unique_levels([(row.level_code, row.source.line) for row in rows], r)
    return tuple(rows)


def _split_cells(text: str) -> list[str]:
    """Split run-together sentences at '.X' where X opens the next cell; skip 'Ph.D'-like breaks."""
    cuts = [m.start() for m in _CELL_BREAK_RE.finditer(text)]
    if len(cuts) > 3:  # the test needs at most 4 characters before the cut (not all of text[:c]: quadratic)
        cuts = [c for c in cuts if not _ABBREVIATION_RE.search(text[max(0, c - 4) : c])]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in pairwise(bounds) if text[a:b]]


def _read_skills(section: tuple[Line, list[Line]], r: _Reader) -> tuple[Skill, ...]:
    heading, body = section
    body = _skip_intro(body, "Focus-specific skills")
    if not body:
        raise r.fail(heading.no, "skill name and description lines", "none")
    if len(body) % 2:
        raise r.fail(body[-1].no, "a description line after each skill name", "a name without a description")
    skills: list[Skill] = []
    seen: dict[str, int] = {}
    if len(body) > 2 * MAX_SKILLS:
        raise r.fail(body[2 * MAX_SKILLS].no, f"at most {MAX_SKILLS} skills on a page", "more")
    for name, desc in zip(body[::2], body[1::2], strict=True):
        key = name.text.casefold()
        if key in seen:
            raise r.fail(name.no, f"skill {name.text!r} once", f"it again (first at line {seen[key]})")
        seen[key] = name.no
        skills.append(Skill(name.text, desc.text, r.src(name)))
    return tuple(skills)


_THRESHOLD_RE: Final = re.compile(r"passes at ≥\s*(?P<t>[0-9]+(?:\.[0-9]+)?) on the minimum dimension")
_SCORE_RE: Final = re.compile(r"(?P<dim>[^0-9]+?)(?P<score>[0-9]+(?:\.[0-9]+)?)")
_SOURCES_RE: Final = re.compile(r"(?P<n>[0-9]+) sources?")


def _read_provenance(section: tuple[Line, list[Line]], r: _Reader) -> Provenance:
    heading, body = section
    if len(body) != 3:
        found = f"{len(body)} lines"
        raise r.fail(
            body[-1].no if body else heading.no,
            "an intro stating the pass rule, the review scores and 'N sources'",
            found,
        )
    intro, scores_line, sources = body
    t = _THRESHOLD_RE.search(intro.text)
    if t is None:
        raise r.fail(intro.no, "the pass rule 'passes at ≥N on the minimum dimension'", repr(_clip(intro.text)))
    pos = 0
    scores: list[ReviewScore] = []
    while pos < len(scores_line.text):
        s = _SCORE_RE.match(scores_line.text, pos)
        if s is None:
            raise r.fail(
                scores_line.no, "review dimensions each followed by a score", repr(_clip(scores_line.text[pos:]))
            )
        if len(scores) == MAX_REVIEW_SCORES:
            raise r.fail(scores_line.no, f"at most {MAX_REVIEW_SCORES} review scores", "more")
        score = Decimal(s.group("score"))
        if not Decimal(1) <= score <= Decimal(5):
            raise r.fail(scores_line.no, f"a review score between 1 and 5 for {s.group('dim')!r}", s.group("score"))
        scores.append(ReviewScore(s.group("dim").strip(), score, r.src(scores_line)))
        pos = s.end()
    if not scores:
        raise r.fail(scores_line.no, "at least one review score", "none")
    n = _SOURCES_RE.fullmatch(sources.text)
    if n is None:
        raise r.fail(sources.no, "'N sources'", repr(_clip(sources.text)))
    try:
        threshold = Decimal(t.group("t"))
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise r.fail(intro.no, "a numeric pass threshold", t.group("t")) from None
    return Provenance(tuple(scores), int(n.group("n")), threshold, r.src(heading))


def _read_descriptor(section: tuple[Line, list[Line]], level: Level, r: _Reader) -> LevelDescriptor:
    heading, body = section
    expected = f"Level — {level.code} — {level.title}"
    if heading.text != expected:
        raise r.fail(heading.no, repr(expected), repr(_clip(heading.text)))
    if not body:
        raise r.fail(heading.no, "a level summary and key/value lines", "none")
    summary, rest = body[0], body[1:]
    if len(rest) % 2:
        raise r.fail(rest[-1].no, "a value line after each key line", "a key without a value")
    attributes: list[tuple[str, str]] = []
    for (key, value), expected_key in zip(zip(rest[::2], rest[1::2], strict=True), DESCRIPTOR_KEYS, strict=False):
        if key.text != expected_key:
            raise r.fail(key.no, f"the level descriptor key {expected_key!r}", repr(_clip(key.text)))
        attributes.append((key.text, value.text))
    if len(attributes) != len(DESCRIPTOR_KEYS):
        missing = DESCRIPTOR_KEYS[len(attributes)] if len(attributes) < len(DESCRIPTOR_KEYS) else None
        last = rest[-1].no if rest else summary.no
        expected = f"the level descriptor key {missing!r}" if missing else "no more level descriptor lines"
        raise r.fail(last, expected, "the end of the section" if missing else "more")
    return LevelDescriptor(level.code, level.title, summary.text, tuple(attributes), r.src(heading))


def _read_aliases(section: tuple[Line, list[Line]] | None, r: _Reader) -> tuple[Alias, ...]:
    if section is None:
        return ()
    heading, body = section
    if len(body) == 1 and body[0].text == NO_ALIASES:
        return ()
    aliases: list[Alias] = []
    for ln in body:
        if not ln.text.lstrip().startswith(BULLET):
            raise r.fail(ln.no, f"'  • <alias>' bullets or {NO_ALIASES!r}", repr(_clip(ln.text)))
        if len(aliases) == MAX_ALIASES:
            raise r.fail(ln.no, f"at most {MAX_ALIASES} title aliases on a page", "more")
        aliases.append(Alias(_bullet(ln, r), r.src(ln)))
    if not aliases:
        raise r.fail(heading.no, f"'  • <alias>' bullets or {NO_ALIASES!r}", "nothing")
    return tuple(aliases)


_MAPPING_RE: Final = re.compile(r"code=(?P<code>[^\s=]+?)source=(?P<source>\S+)")


def _read_mappings(section: tuple[Line, list[Line]] | None, r: _Reader) -> tuple[Mapping, ...]:
    if section is None:
        return ()
    heading, body = section
    mappings: list[Mapping] = []
    scheme: str | None = None
    for ln in body:
        if ln.text.lstrip().startswith(BULLET):
            if scheme is None:
                raise r.fail(
                    ln.no, "a scheme heading (e.g. 'O*NET / SOC') before the first mapping", repr(_clip(ln.text))
                )
            if len(mappings) == MAX_MAPPINGS:
                raise r.fail(ln.no, f"at most {MAX_MAPPINGS} classification mappings on a page", "more")
            m = _MAPPING_RE.fullmatch(_bullet(ln, r))
            if m is None:
                raise r.fail(ln.no, "'  • code=<code>source=<tool>'", repr(_clip(ln.text)))
            pattern = CLASSIFICATION_SCHEMES[scheme][2] if scheme in CLASSIFICATION_SCHEMES else GENERIC_CODE_RE
            if pattern.fullmatch(m.group("code")) is None:
                raise r.fail(ln.no, f"a {scheme} code matching {pattern.pattern}", repr(m.group("code")))
            mappings.append(Mapping(scheme, m.group("code"), m.group("source"), r.src(ln)))
        else:
            scheme = ln.text
    if not mappings:
        raise r.fail(heading.no, "at least one '  • code=<code>source=<tool>' mapping", "none")
    return tuple(mappings)


def _single(section: tuple[Line, list[Line]], expected: str, r: _Reader) -> Line:
    heading, body = section
    if len(body) != 1:
        found = "nothing" if not body else f"{len(body)} lines"
        raise r.fail(body[1].no if len(body) > 1 else heading.no, expected, found)
    return body[0]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "SECTIONS",
    "check_aliases",
    "display_path",
    "iter_page_files",
    "parse_level_code",
    "parse_page",
    "parse_page_bytes",
    "parse_page_text",
]
