"""Charts for the web pages, as inline SVG built by hand on the server (no JavaScript, no library).

Each function takes the page records of :mod:`rolegraph.web.views` and returns one ``<svg>``
element as :class:`markupsafe.Markup`, ready for a template. Every chart:

- scales with the page (a ``viewBox``, a width and ``max-width: 100%`` in the stylesheet), so it
  fits a 390 px phone;
- carries its text alternative, a ``<title>`` and a ``<desc>`` with the numbers it draws
  (``role="img"``, ``aria-labelledby``); the pages keep a table or list of the same facts (and links)
  beside it, so its links are for the mouse only;
- is styled by classes of ``static/style.css`` only: no ``style`` attribute, which the
  Content-Security-Policy (``style-src 'self'``) would block;
- escapes every text it is given, and is the same bytes for the same records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from markupsafe import Markup

if TYPE_CHECKING:
    from rolegraph.web.views import FunctionEntry, LevelPay, Near, Pay, Ref, Rung, StepView

#: the width of a drawing, in its own units: CSS pixels on a 390 px phone (its page is 358 px wide),
#: a quarter larger on a wide screen
WIDTH: Final = 360
#: how wide a character of 12-unit text is, on average, for the system sans-serif fonts
CHAR: Final = 6.6
TRACK_NAMES: Final = {"P": "Professional (P)", "M": "Management (M)"}


def money(value: int, currency: str = "USD") -> str:
    """``231000`` -> "$231k"; a value not in whole thousands in full; an unknown currency by its code."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    text = f"{value // 1000:,}k" if value >= 1000 and value % 1000 == 0 else f"{value:,}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


# -- SVG text ------------------------------------------------------------------------------------------


def _num(x: float) -> str:
    """A coordinate: one decimal at most, no trailing zero (``12``, ``12.5``)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _el(name: str, attrs: dict[str, str | float | None], *children: str) -> str:
    parts = [name]
    for key, value in attrs.items():
        if value is not None:
            shown = _num(value) if isinstance(value, float | int) else escape(value, quote=True)
            parts.append(f'{key}="{shown}"')
    head = " ".join(parts)
    return f"<{head}>{''.join(children)}</{name}>" if children else f"<{head}/>"


def _text(x: float, y: float, text: str, cls: str = "", anchor: str | None = None) -> str:
    return _el("text", {"x": x, "y": y, "class": cls or None, "text-anchor": anchor}, escape(text, quote=False))


def plural(count: int, noun: str) -> str:
    """``1, "roles"`` -> "1 role", ``2, "focuses"`` -> "2 focuses"."""
    if count != 1:
        return f"{count} {noun}"
    return f"{count} {noun[:-2] if noun.endswith('ses') else noun[:-1]}"


def clip(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters, with an ellipsis when cut."""
    return text if len(text) <= chars else text[: max(1, chars - 1)].rstrip() + "…"


def wrap(text: str, chars: int, lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``chars``; the last one clipped."""
    out: list[str] = []
    rest = text.split()
    while rest and len(out) < lines:
        line = rest.pop(0)
        while rest and len(line) + 1 + len(rest[0]) <= chars:
            line += " " + rest.pop(0)
        out.append(line)
    if rest:
        out[-1] = clip(f"{out[-1]} {' '.join(rest)}", chars)
    return [clip(line, chars) for line in out]


def _svg(ident: str, height: float, title: str, desc: str, body: Iterable[str], width: float = WIDTH) -> Markup:
    """The ``<svg>`` element: ``ident`` makes its title and desc ids unique on the page."""
    head = _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "id": ident,
            "viewBox": f"0 0 {_num(width)} {_num(height)}",
            "width": float(math.ceil(width * 1.25)),  # a little larger than its units on a wide screen
            "height": float(math.ceil(height * 1.25)),
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
        },
    )[:-2]
    title_el = _el("title", {"id": f"{ident}-title"}, escape(title, quote=False))
    desc_el = _el("desc", {"id": f"{ident}-desc"}, escape(desc, quote=False))
    return Markup(f"{head}>{title_el}{desc_el}{''.join(body)}</svg>")  # noqa: S704 - every part escaped above


def _link(href: str | None, label: str, *children: str) -> str:
    """A link for the mouse; out of the tab order, as a chart is one image to assistive technology and
    the page's list or table beside it holds the same links."""
    if not href:
        return "".join(children)
    return _el("a", {"href": href, "aria-label": label, "tabindex": "-1"}, *children)


def _role_href(code: str) -> str:
    return f"/role/{quote(code)}"


# -- scales --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """A linear map from values (``low`` .. ``high``) to drawing units (``left`` .. ``right``)."""

    low: float
    high: float
    left: float
    right: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.left + self.right) / 2
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)

    def ticks(self, most: int = 5) -> list[float]:
        """Round values from ``low`` to ``high``, at most ``most`` of them."""
        span = self.high - self.low
        if span <= 0:
            return [self.low]
        step = nice_step(span / max(1, most - 1))
        first = math.ceil(self.low / step) * step
        count = int((self.high - first) / step + 1e-9) + 1
        return [first + i * step for i in range(count)]


def nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at least ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= rough)


def money_scale(values: Iterable[int], left: float, right: float) -> Scale:
    """A scale over ``values`` widened to round amounts of money on both ends."""
    seen = list(values)
    low, high = min(seen), max(seen)
    step = nice_step(max(high - low, 1000) / 4)
    return Scale(math.floor(low / step) * step, math.ceil(high / step) * step, left, right)


def _axis(scale: Scale, y: float, label: Callable[[float], str]) -> list[str]:
    out = [_el("line", {"class": "axis", "x1": scale.left, "y1": y, "x2": scale.right, "y2": y})]
    for value in scale.ticks():
        x = scale(value)
        out.append(
            _el(
                "g",
                {"class": "tick"},
                _el("line", {"class": "grid", "x1": x, "y1": 0.0, "x2": x, "y2": y}),
                _text(x, y + 14, label(value), "small", "middle"),
            )
        )
    return out


# -- pay ranges ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayRow:
    """One bar of a pay chart: the range ``low`` .. ``high`` and the median, or the range of medians of
    several roles (``median_low`` .. ``median_high``)."""

    label: str
    low: int
    median_low: int
    median_high: int
    high: int
    currency: str
    current: bool = False
    href: str | None = None
    note: str = ""  # said after the numbers in the text alternative

    @property
    def median_text(self) -> str:
        if self.median_low == self.median_high:
            return money(self.median_low, self.currency)
        return f"{money(self.median_low, self.currency)}–{money(self.median_high, self.currency)}"

    def sentence(self) -> str:
        what = "median" if self.median_low == self.median_high else "medians"
        low, high = money(self.low, self.currency), money(self.high, self.currency)
        return f"{self.label}: {what} {self.median_text}, range {low}–{high}{self.note}"


def pay_ranges(rows: Sequence[PayRow], ident: str, title: str, *, labels_above: bool = False) -> Markup:
    """A range bar per row (low to high) with its median marked, on one money axis; the current row
    highlighted. The rows share one currency (one chart per currency). Short labels (level codes) sit
    left of their bar; long ones (role titles), ``labels_above``, on a line of their own."""
    if not rows:
        return Markup("")
    row_h, top = (40.0, 4.0) if labels_above else (28.0, 4.0)
    label_w = 6.0 if labels_above else 56.0
    value_w = 100.0 if any(r.median_low != r.median_high for r in rows) else 56.0
    scale = money_scale([v for r in rows for v in (r.low, r.high)], label_w + 4, WIDTH - value_w - 6)
    body: list[str] = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h - 14 if labels_above else y + row_h / 2
        parts: list[str] = []
        if row.current:
            parts.append(_el("rect", {"class": "here", "x": 0.0, "y": y, "width": float(WIDTH), "height": row_h}))
        if labels_above:
            parts.append(_text(label_w, y + 13, clip(row.label, int((WIDTH - 12) / CHAR)), "label"))
        else:
            parts.append(_text(label_w - 4, mid + 4, clip(row.label, int((label_w - 8) / CHAR)), "label", "end"))
        x_low, x_high = scale(row.low), scale(row.high)
        parts.append(_el("rect", {"class": "range", "x": x_low, "y": mid - 6, "width": x_high - x_low, "height": 12.0}))
        m_low, m_high = scale(row.median_low), scale(row.median_high)
        if row.median_low == row.median_high:
            parts.append(_el("line", {"class": "median", "x1": m_low, "y1": mid - 10, "x2": m_low, "y2": mid + 10}))
        else:
            parts.append(
                _el("rect", {"class": "medians", "x": m_low, "y": mid - 6, "width": m_high - m_low, "height": 12.0})
            )
        parts.append(_text(WIDTH - value_w, mid + 4, row.median_text, "value"))
        body.append(_link(row.href, row.label, _el("g", {"class": "row current" if row.current else "row"}, *parts)))
    axis_y = top + len(rows) * row_h + 4
    body[:0] = _axis(scale, axis_y, lambda v: money(int(v), rows[0].currency) if rows else "")
    desc = "; ".join(r.sentence() for r in rows) + "."
    return _svg(ident, axis_y + 20, title, desc, body)


def role_pay_rows(ladder: Sequence[Rung]) -> dict[str, list[PayRow]]:
    """The pay rows of a focus's ladder, by currency (a focus has one; a hand-made graph may mix them):
    the professional track first, each track from its lowest level up."""
    out: dict[str, list[PayRow]] = {}
    for rung in sorted(ladder, key=lambda r: (r.track != "P", r.rank)):
        if rung.pay is not None:
            p = rung.pay
            row = PayRow(rung.level, p.low, p.median, p.median, p.high, p.currency, rung.current, _role_href(rung.code))
            out.setdefault(p.currency, []).append(row)
    return out


def function_pay_rows(levels: Sequence[LevelPay]) -> dict[str, list[PayRow]]:
    """The pay rows of a function, one per level, by currency."""
    out: dict[str, list[PayRow]] = {}
    for level in levels:
        noun = "role" if level.roles == 1 else "roles"
        row = PayRow(
            level.level,
            level.low,
            level.min_median,
            level.max_median,
            level.high,
            level.currency,
            note=f" ({level.roles} {noun})",
        )
        out.setdefault(level.currency, []).append(row)
    return out


def compare_pay_rows(a: tuple[str, Pay | None], b: tuple[str, Pay | None]) -> list[PayRow]:
    """Two roles' pay side by side: both, when both record pay in one currency; else none."""
    (label_a, pay_a), (label_b, pay_b) = a, b
    if pay_a is None or pay_b is None or pay_a.currency != pay_b.currency:
        return []
    return [
        PayRow(label, p.low, p.median, p.median, p.high, p.currency)
        for label, p in ((label_a, pay_a), (label_b, pay_b))
    ]


# -- the ladder ----------------------------------------------------------------------------------------


def equivalent_rank(track: str, rank: int, m_offset: int) -> int:
    """The row of a level on the two-track ladder: ``M<n>`` beside ``P<n + m_offset>``."""
    return rank + m_offset if track == "M" else rank


def ladder(rungs: Sequence[Rung], m_offset: int, ident: str, focus: str) -> Markup:
    """The focus's ladder: a column per track, most senior at the top, equivalent levels side by side
    (joined by a dashed line), each box with the level, its title and its pay median; this role marked."""
    tracks = [t for t in ("P", "M") if any(r.track == t for r in rungs)]
    if not tracks:
        return Markup("")
    gap, margin, head, row_h, box_h = 24.0, 6.0, 24.0, 64.0, 56.0
    col_w = (WIDTH - 2 * margin - (len(tracks) - 1) * gap) / len(tracks)
    width = 2 * margin + len(tracks) * col_w + (len(tracks) - 1) * gap
    rows = sorted({equivalent_rank(r.track, r.rank, m_offset) for r in rungs}, reverse=True)
    row_of = {e: i for i, e in enumerate(rows)}
    x_of = {t: margin + i * (col_w + gap) for i, t in enumerate(tracks)}
    body = [_text(x_of[t] + col_w / 2, 16, TRACK_NAMES.get(t, t), "head", "middle") for t in tracks]
    placed: dict[str, list[tuple[float, Rung]]] = {t: [] for t in tracks}
    for rung in rungs:
        y = head + row_of[equivalent_rank(rung.track, rung.rank, m_offset)] * row_h
        placed[rung.track].append((y, rung))
    for track, boxes in placed.items():  # the rail of each track, behind its boxes
        ys = [y for y, _ in boxes]
        x = x_of[track] + col_w / 2
        body.append(_el("line", {"class": "rail", "x1": x, "y1": min(ys) + box_h, "x2": x, "y2": max(ys)}))
    if len(tracks) == 2:  # equivalent levels, side by side
        for y in sorted({y for y, _ in placed["P"]} & {y for y, _ in placed["M"]}):
            x1, mid = x_of["P"] + col_w, y + box_h / 2
            body.append(_el("line", {"class": "same", "x1": x1, "y1": mid, "x2": x1 + gap, "y2": mid}))
            body.append(_text(x1 + gap / 2, mid - 4, "=", "small", "middle"))
    twin = m_offset if tracks == ["M"] else None  # a management-only ladder names each level's P equivalent
    for track, boxes in placed.items():
        for y, rung in boxes:
            body.append(_rung(rung, x_of[track], y, col_w, box_h, twin))
    described = "; ".join(_rung_sentence(r) for r in rungs)
    both = f" M<n> is beside P<n+{m_offset}>, its equivalent." if len(tracks) == 2 else ""
    desc = f"Levels of {focus}, most senior at the top.{both} {described}."
    return _svg(ident, head + len(rows) * row_h, f"Ladder of {focus}", desc, body, width)


def _rung(rung: Rung, x: float, y: float, w: float, h: float, twin: int | None = None) -> str:
    cls = "box current" if rung.current else "box"
    parts = [_el("rect", {"class": cls, "x": x, "y": y, "width": w, "height": h, "rx": 4.0})]
    first = rung.level if twin is None else f"{rung.level} (= P{rung.rank + twin})"
    first = f"{first} · this role" if rung.current else first
    parts.append(_text(x + 8, y + 17, first, "level"))
    if rung.pay is not None:
        parts.append(_text(x + w - 8, y + 17, money(rung.pay.median, rung.pay.currency), "value", "end"))
    lines = wrap(rung.title, int((w - 16) / CHAR)) if rung.title else []
    if rung.pay is None:
        lines = [*lines[:1], "pay not recorded"]
    for i, line in enumerate(lines):
        parts.append(_text(x + 8, y + 33 + i * 15, line, "small"))
    group = _el("g", {"class": "rung"}, *parts)
    return group if rung.current else _link(_role_href(rung.code), f"{rung.level}: {rung.title or rung.code}", group)


def _rung_sentence(rung: Rung) -> str:
    pay = f", median {money(rung.pay.median, rung.pay.currency)}" if rung.pay else ", pay not recorded"
    here = " (this role)" if rung.current else ""
    return f"{rung.level} {rung.title or ''}{pay}{here}".replace(" ,", ",")


# -- nearest roles -------------------------------------------------------------------------------------


def nearest(near: Sequence[Near], ident: str) -> Markup:
    """The nearest roles as a strip of bars: length the distance (0 to 1), colour the band."""
    if not near:
        return Markup("")
    row_h, top, left, right = 30.0, 4.0, 6.0, WIDTH - 90.0
    scale = Scale(0.0, 1.0, left, right)
    body: list[str] = []
    for i, n in enumerate(near):
        y = top + i * row_h
        bar = max(scale(n.distance) - left, 2.0)
        parts = [
            _text(left, y + 12, clip(n.title, int((WIDTH - 12) / CHAR)), "label"),
            _el("rect", {"class": f"near {n.band}", "x": left, "y": y + 16, "width": bar, "height": 9.0}),
            _text(left + bar + 6, y + 25, f"{n.distance:.3f} {n.band}", "small"),
        ]
        body.append(
            _link(_role_href(n.code), f"{n.title}, distance {n.distance:.3f}", _el("g", {"class": "row"}, *parts))
        )
    axis_y = top + len(near) * row_h + 2
    body[:0] = _axis(scale, axis_y, lambda v: f"{v:g}")
    desc = "; ".join(f"{n.title}: {n.distance:.3f}, {n.band}" for n in near) + "."
    return _svg(ident, axis_y + 20, "Nearest roles by distance (0 same, 1 far), coloured by band", desc, body)


# -- two roles -----------------------------------------------------------------------------------------


def overlap(shared: int, only_a: int, only_b: int, a: str, b: str, ident: str) -> Markup:
    """Skills only in A, shared, only in B: one bar split in three, widths by count, counts written."""
    total = max(shared + only_a + only_b, 1)
    left, right, y, h = 6.0, WIDTH - 6.0, 6.0, 30.0
    parts = [("only-a", only_a, f"only in A, {a}"), ("shared", shared, "shared"), ("only-b", only_b, f"only in B, {b}")]
    shown = [(cls, count, name) for cls, count, name in parts if count]
    # each segment at least wide enough for its number; the rest by count
    least = 28.0
    spare = (right - left) - least * len(shown)
    x = left
    body: list[str] = []
    for cls, count, _ in shown:
        w = least + spare * count / total
        body.append(_el("rect", {"class": f"seg {cls}", "x": x, "y": y, "width": w, "height": h}))
        body.append(_text(x + w / 2, y + 20, str(count), "count", "middle"))
        x += w
    for i, (cls, count, name) in enumerate(parts):  # a legend line per part, zeros included
        ly = y + h + 20 + i * 20
        body.append(_el("rect", {"class": f"seg {cls}", "x": left, "y": ly - 11, "width": 12.0, "height": 12.0}))
        body.append(_text(left + 18, ly, clip(f"{count} {name}", int((WIDTH - 30) / CHAR)), "label"))
    desc = f"{shared} skills shared, {only_a} only in A ({a}), {only_b} only in B ({b})."
    return _svg(ident, y + h + 20 + 3 * 20, "Skills of the two roles", desc, body)


def path(start: Ref, steps: Sequence[StepView], ident: str) -> Markup:
    """The career path as a column of role boxes joined by arrows, each arrow with its move and cost."""
    box_w, box_h, gap, left = WIDTH - 12.0, 30.0, 30.0, 6.0
    chars = int((box_w - 16) / CHAR)
    nodes = [start, *(s.target for s in steps)]
    body: list[str] = []
    for i, node in enumerate(nodes):
        y = 4 + i * (box_h + gap)
        cls = "box current" if i in (0, len(nodes) - 1) else "box"
        group = _el(
            "g",
            {"class": "rung"},
            _el("rect", {"class": cls, "x": left, "y": y, "width": box_w, "height": box_h, "rx": 4.0}),
            _text(left + 8, y + 20, clip(node.name, chars), "label"),
        )
        body.append(_link(_role_href(node.code), node.name, group))
        if i < len(steps):
            step = steps[i]
            x, y1, y2 = left + 24, y + box_h, y + box_h + gap
            body.append(_el("line", {"class": "arrow", "x1": x, "y1": y1 + 2, "x2": x, "y2": y2 - 8}))
            body.append(_el("path", {"class": "tip", "d": f"M{_num(x - 5)} {_num(y2 - 9)}h10l-5 8z"}))
            body.append(_text(x + 14, y1 + gap / 2 + 5, f"{step.move}, cost {step.cost:g}", "small"))
    moves = "; ".join(f"{s.move} to {s.target.name} (cost {s.cost:g})" for s in steps)
    desc = f"From {start.name}: {moves}." if steps else f"{start.name}: no move needed."
    return _svg(ident, 8 + len(nodes) * (box_h + gap) - gap, "Career path", desc, body)


# -- the home page -------------------------------------------------------------------------------------


def function_counts(functions: Sequence[FunctionEntry], ident: str) -> Markup:
    """Per function, two bars on one count axis: its roles and its focuses, each with its number."""
    if not functions:
        return Markup("")
    row_h, top = 40.0, 4.0
    right = WIDTH - 80.0
    scale = Scale(0.0, float(max((f.role_count for f in functions), default=1)), 6.0, right)
    body: list[str] = []
    for i, f in enumerate(functions):
        y = top + i * row_h
        name = _link(
            f"/?function={quote(f.code)}#tree",
            f.name,
            _text(6.0, y + 12, clip(f.name, int((WIDTH - 12) / CHAR)), "label"),
        )
        parts = [name]
        for j, (cls, count) in enumerate((("roles", f.role_count), ("focuses", f.focus_count))):
            by = y + 16 + j * 11
            w = max(scale(count) - 6.0, 1.0)
            parts.append(_el("rect", {"class": f"count {cls}", "x": 6.0, "y": by, "width": w, "height": 9.0}))
            parts.append(_text(6.0 + w + 5, by + 9, plural(count, cls), "small"))
        body.append(_el("g", {"class": "row"}, *parts))
    desc = "; ".join(f"{f.name}: {f.role_count} roles in {f.focus_count} focuses" for f in functions) + "."
    return _svg(ident, top + len(functions) * row_h + 4, "Roles and focuses per function", desc, body)


def pay_difference(a: str, pay_a: Pay | None, b: str, pay_b: Pay | None) -> str:
    """The two roles' pay in one sentence: how much higher or lower B's median is than A's."""
    if pay_a is None or pay_b is None:
        recorded = [(name, pay) for name, pay in ((a, pay_a), (b, pay_b)) if pay is not None]
        if not recorded:
            return "Neither role records its pay."
        named, pay = recorded[0]
        missing = b if pay_a is not None else a
        return f"{missing} does not record its pay; {named}: median {money(pay.median, pay.currency)}."
    median_a, median_b = money(pay_a.median, pay_a.currency), money(pay_b.median, pay_b.currency)
    if pay_a.currency != pay_b.currency:
        return f"{a}: median {median_a}; {b}: median {median_b} (different currencies, so not drawn on one axis)."
    gap = pay_b.median - pay_a.median
    if gap == 0:
        return f"Both medians are {median_a}."
    way = "higher" if gap > 0 else "lower"
    share = f" ({abs(gap) / pay_a.median:.0%})" if pay_a.median > 0 else ""
    return f"{b}'s median, {median_b}, is {money(abs(gap), pay_a.currency)}{share} {way} than {a}'s, {median_a}."
