"""The pages' charts (rolegraph.web.charts): the SVG read back against the graph, and the module's parts.

The read-back tests parse each served ``<svg>`` and recover its numbers two ways, from the labels it writes
and from where it draws (a median's x on the money axis, a bar's width on the distance axis), then compare
them with what the graph's own queries return (``role`` via ``Session.details``, ``pay-by-level``,
``roles``, ``Session.nearest``, ``Session.compare``, ``Session.path``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import Markup
from starlette.testclient import TestClient

from rolegraph.api import Session
from rolegraph.web import charts
from rolegraph.web.views import FunctionEntry, LevelPay, Near, Pay, Ref, Rung, StepView, cited, in_words
from tests.helpers import REAL_FOCUS, REAL_ROLE

SVG = "{http://www.w3.org/2000/svg}"


# -- reading an SVG back ---------------------------------------------------------------------------------


def svg(page: str, ident: str) -> ET.Element:
    """The ``<svg id=ident>`` of a served page, parsed as XML (so it must be well formed)."""
    found = re.search(rf'<svg [^>]*id="{re.escape(ident)}".*?</svg>', page, flags=re.S)
    assert found, f"no chart {ident!r} on the page"
    return ET.fromstring(found.group(0))  # noqa: S314 - our own server's page


def texts(el: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in el.iter(f"{SVG}text") if cls in (t.get("class") or "").split()]


def shapes(el: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [s for s in el.iter(f"{SVG}{tag}") if cls in (s.get("class") or "").split()]


def amount(text: str) -> int:
    """ "$231k" -> 231000, "€1,250" -> 1250, "95k SEK" -> 95000: what charts.money writes, read back."""
    number = re.search(r"[\d,]+k?", text)
    assert number, text
    digits = number.group(0).replace(",", "")
    return int(digits[:-1]) * 1000 if digits.endswith("k") else int(digits)


def money_axis(el: ET.Element) -> tuple[float, float]:
    """(value per unit, value at x=0) of a chart's money axis, from its tick labels and their x."""
    ticks = [(float(g.find(f"{SVG}line").get("x1")), amount("".join(g.itertext()))) for g in shapes(el, "g", "tick")]  # type: ignore[union-attr, arg-type]
    assert len(ticks) >= 2, ticks
    (x0, v0), (x1, v1) = ticks[0], ticks[-1]
    per = (v1 - v0) / (x1 - x0)
    return per, v0 - per * x0


def pay_rows(el: ET.Element) -> dict[str, tuple[int, int, int, int]]:
    """Each row of a pay chart as drawn: label -> (low, median low, median high, high), from the shapes' x;
    and checked against the labels it writes."""
    per, at0 = money_axis(el)
    out = {}
    for row in shapes(el, "g", "row"):
        label = texts(row, "label")[0]
        bar = shapes(row, "rect", "range")[0]
        x, w = float(bar.get("x", 0)), float(bar.get("width", 0))
        marks = shapes(row, "line", "median")
        if marks:
            m_low = m_high = float(marks[0].get("x1", 0))
        else:
            span = shapes(row, "rect", "medians")[0]
            m_low = float(span.get("x", 0))
            m_high = m_low + float(span.get("width", 0))
        drawn = tuple(round(at0 + per * v) for v in (x, m_low, m_high, x + w))
        written = [amount(part) for part in texts(row, "value")[0].split("–")]
        assert abs(drawn[1] - written[0]) <= per * 0.5 + 1 and abs(drawn[2] - written[-1]) <= per * 0.5 + 1
        out[label] = (drawn[0], written[0], written[-1], drawn[3])
    return out


def near(drawn: tuple[int, ...], want: tuple[int, ...], el: ET.Element) -> bool:
    """Drawn values within half a drawing unit (coordinates keep one decimal) of the wanted ones."""
    per, _ = money_axis(el)
    return all(abs(d - w) <= per * 0.1 + 1 for d, w in zip(drawn, want, strict=True))


# -- the role page --------------------------------------------------------------------------------------


def test_the_ladder_puts_equivalent_levels_side_by_side_with_their_titles_and_pay(
    two_track_client: TestClient, two_track_session: Session, two_track_graph: tuple[Path, str]
) -> None:
    _, focus = two_track_graph
    roles = sorted((r for r in two_track_session.catalogue.roles.values() if r.focus == focus), key=lambda r: r.code)
    here = next(r for r in roles if r.track == "P" and r.rank == 5)
    page = two_track_client.get(f"/role/{here.code}").text
    ladder = svg(page, "chart-ladder")
    assert ladder.get("role") == "img" and ladder.get("viewBox", "").startswith("0 0 360 ")
    titles = {str(row[0]): row[1] for row in two_track_session.values("levels")}
    boxes = {}
    for group in shapes(ladder, "g", "rung"):
        level = texts(group, "level")[0].split(" ")[0]
        rect = shapes(group, "rect", "box")[0]
        boxes[level] = (float(rect.get("x", 0)), float(rect.get("y", 0)), group)
    assert set(boxes) == {r.level for r in roles}
    offset = two_track_session.config.m_offset
    for role in roles:
        x, y, group = boxes[role.level]
        details = two_track_session.details(role.code)
        assert details.pay is not None
        assert [amount(t) for t in texts(group, "value")] == [details.pay[0]]  # the median, from role.rq
        assert " ".join(texts(group, "small")) == titles[role.level]  # the level's title, on one or two lines
        if role.track == "M" and f"P{role.rank + offset}" in boxes:
            px, py, _ = boxes[f"P{role.rank + offset}"]
            assert py == y and px < x  # M<n> beside P<n + m_offset>, management on the right
    ranks = sorted((r for r in roles if r.track == "P"), key=lambda r: r.rank)
    assert [boxes[r.level][1] for r in ranks] == sorted((boxes[r.level][1] for r in ranks), reverse=True)  # up
    current = [lvl for lvl, (_, _, g) in boxes.items() if shapes(g, "rect", "current")]
    assert current == [here.level]
    assert "this role" in texts(boxes[here.level][2], "level")[0]
    desc = ladder.find(f"{SVG}desc")
    assert desc is not None and f"M<n> is beside P<n+{offset}>" in (desc.text or "")


def test_pay_by_level_draws_each_roles_low_median_and_high(
    two_track_client: TestClient, two_track_session: Session, two_track_graph: tuple[Path, str]
) -> None:
    _, focus = two_track_graph
    roles = [r for r in two_track_session.catalogue.roles.values() if r.focus == focus]
    page = two_track_client.get(f"/role/{roles[0].code}").text
    chart = svg(page, "chart-pay-1")
    drawn = pay_rows(chart)
    assert set(drawn) == {r.level for r in roles}
    for role in roles:
        pay = two_track_session.details(role.code).pay
        assert pay is not None
        median, low, high, _ = pay
        assert near(drawn[role.level], (low, median, median, high), chart), (role.level, drawn[role.level], pay)
    # the same numbers as the focus's own query
    for _, level, _, _, _, median_s, low_s, high_s, _ in two_track_session.values("focus-pay", focus=focus):
        want = tuple(int(Decimal(str(v))) for v in (low_s, median_s, median_s, high_s))
        assert near(drawn[str(level)], want, chart)


def test_the_real_page_draws_its_one_recorded_pay_and_marks_the_rest_unrecorded(
    client: TestClient, real_session: Session
) -> None:
    page = client.get(f"/role/{REAL_ROLE}").text
    details = real_session.details(REAL_ROLE)
    assert details.pay is not None
    median, low, high, _ = details.pay
    chart = svg(page, "chart-pay-1")
    assert near(pay_rows(chart)["P7"], (low, median, median, high), chart)
    ladder = svg(page, "chart-ladder")
    unrecorded = [g for g in shapes(ladder, "g", "rung") if "pay not recorded" in texts(g, "small")]
    assert len(unrecorded) == 5  # P2..P6 have no page of their own, so no pay
    assert "Not recorded for P2, P3, P4, P5, P6." in page
    assert len([g for g in shapes(ladder, "g", "rung") if shapes(g, "rect", "current")]) == 1


def test_the_nearest_strip_draws_each_distance_in_its_band(client: TestClient, real_session: Session) -> None:
    page = client.get(f"/role/{REAL_ROLE}").text
    chart = svg(page, "chart-nearest")
    ticks = [(float(g.find(f"{SVG}line").get("x1")), float("".join(g.itertext()))) for g in shapes(chart, "g", "tick")]  # type: ignore[union-attr, arg-type]
    (x0, v0), (x1, v1) = ticks[0], ticks[-1]
    want = real_session.nearest(REAL_ROLE, k=8)
    rows = shapes(chart, "g", "row")
    assert len(rows) == len(want) == 5
    for row, d in zip(rows, want, strict=True):
        bar = shapes(row, "rect", "near")[0]
        drawn = v0 + (float(bar.get("width", 0))) * (v1 - v0) / (x1 - x0)
        assert abs(drawn - d.d) < 0.005
        assert bar.get("class") == f"near {d.band}"
        assert texts(row, "small")[0] == f"{d.d:.3f} {d.band}"
        assert texts(row, "label")[0] == real_session.catalogue.roles[d.b].title


# -- the compare page -----------------------------------------------------------------------------------


def test_compare_draws_both_pays_the_skill_overlap_and_the_path(
    two_track_client: TestClient, two_track_session: Session, two_track_graph: tuple[Path, str]
) -> None:
    _, focus = two_track_graph
    a = f"{focus}.P5"
    others = sorted(r.code for r in two_track_session.catalogue.roles.values() if r.function != focus.split(".")[0])
    b = next(
        c
        for c in others
        if len(set(two_track_session.compare(a, c).only_a)) != len(two_track_session.compare(a, c).only_b)
    )  # tells A from B
    page = two_track_client.get("/compare", params={"a": a, "b": b}).text
    comparison = two_track_session.compare(a, b)
    counts = [int(t) for t in texts(svg(page, "chart-skills"), "count")]
    want = [len(comparison.only_a), len(comparison.shared_skills), len(comparison.only_b)]
    assert counts == [n for n in want if n]  # drawn segments: only in A, shared, only in B
    legend = texts(svg(page, "chart-skills"), "label")
    assert [int(t.split(" ")[0]) for t in legend] == want
    segments = shapes(svg(page, "chart-skills"), "rect", "seg")[: len(counts)]
    widths = [float(s.get("width", 0)) for s in segments]
    assert sorted(widths) == [w for _, w in sorted(zip(counts, widths, strict=True))]  # more skills, wider

    path = two_track_session.path(a, b)
    names = texts(svg(page, "chart-path"), "label")
    roles = two_track_session.catalogue.roles
    want_names = [roles[c].title for c in [a, *(s.target for s in path.steps)]]
    assert len(names) == len(want_names)
    assert all(title.startswith(name.rstrip("…")) for name, title in zip(names, want_names, strict=True))
    moves = texts(svg(page, "chart-path"), "small")
    assert moves == [f"{s.move}, cost {round(s.cost, 3):g}" for s in path.steps]  # the page's costs: 3 decimals

    pay_a, pay_b = comparison.a.pay, comparison.b.pay
    assert pay_a is not None and pay_b is not None
    if pay_a[3] == pay_b[3]:
        chart = svg(page, "chart-pay")
        drawn = pay_rows(chart)
        for details, pay in ((comparison.a, pay_a), (comparison.b, pay_b)):
            assert near(drawn[details.role.title], (pay[1], pay[0], pay[0], pay[2]), chart)
    else:
        assert 'id="chart-pay"' not in page
        assert "different currencies" in page


def test_compare_says_when_every_skill_is_shared(client: TestClient, real_session: Session) -> None:
    page = client.get("/compare", params={"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P3"}).text
    skills = real_session.compare(REAL_ROLE, f"{REAL_FOCUS}.P3").shared_skills
    assert f"All {len(skills)} skills are shared: {', '.join(skills)}." in page.replace("&amp;", "&")
    assert 'id="chart-skills"' not in page
    assert page.count("MLOps") == 1  # one list, not two equal ones


# -- the home page --------------------------------------------------------------------------------------


def test_home_draws_roles_and_focuses_per_function_and_pay_by_level(
    two_track_client: TestClient, two_track_session: Session
) -> None:
    page = two_track_client.get("/").text
    roles = list(two_track_session.catalogue.roles.values())
    names = {r.function: r.function_name for r in roles}
    per_function = Counter(r.function for r in roles)
    focuses = Counter(f for f, _ in {(r.function, r.focus) for r in roles})
    chart = svg(page, "chart-functions")
    rows = shapes(chart, "g", "row")
    assert len(rows) == len(per_function) == 12
    widths: dict[int, float] = {}
    for row in rows:
        name = texts(row, "label")[0]
        code = next(c for c, n in names.items() if n == name)
        said = texts(row, "small")
        assert int(said[0].split(" ")[0]) == per_function[code]
        assert int(said[1].split(" ")[0]) == focuses[code]
        for bar, count in zip(shapes(row, "rect", "count"), (per_function[code], focuses[code]), strict=True):
            widths.setdefault(count, float(bar.get("width", 0)))
            assert float(bar.get("width", 0)) == widths[count]  # one scale: the same count, the same bar
    assert sorted(widths) == [c for c, _ in sorted(widths.items(), key=lambda kv: kv[1])]

    for code in sorted(per_function):
        expected: dict[str, dict[str, tuple[int, ...]]] = {}
        for values in two_track_session.values("pay-by-level", function=code):
            _, level, _, _, currency, _, min_median, max_median, low, high = (str(v) for v in values)
            expected.setdefault(currency, {})[level] = tuple(
                int(Decimal(v)) for v in (low, min_median, max_median, high)
            )
        for currency, levels in expected.items():
            chart = svg(page, f"chart-pay-{code}-{currency}")
            drawn = pay_rows(chart)
            assert set(drawn) == set(levels)
            for level, want in levels.items():
                assert near(drawn[level], want, chart), (code, currency, level, drawn[level], want)


# -- the module's parts ---------------------------------------------------------------------------------


def test_money_ticks_and_text_fitting() -> None:
    assert charts.money(231000) == "$231k"
    assert charts.money(1250, "EUR") == "€1,250"
    assert charts.money(95000, "SEK") == "95k SEK"
    assert [charts.nice_step(x) for x in (0.3, 7, 12, 24, 40_000)] == [0.5, 10, 20, 25, 50_000]
    scale = charts.money_scale([182_000, 294_000], 0, 100)
    assert (scale.low, scale.high) == (150_000, 300_000)
    assert scale.ticks() == [150_000, 200_000, 250_000, 300_000]
    assert scale(150_000) == 0 and scale(225_000) == 50 and scale(300_000) == 100
    assert charts.clip("Staff / Distinguished Professional", 12) == "Staff / Dis…"
    assert charts.wrap("Staff / Distinguished Professional", 22) == ["Staff / Distinguished", "Professional"]
    assert charts.wrap("one two three four five six", 9, 2) == ["one two", "three fo…"]
    assert charts.plural(1, "focuses") == "1 focus" and charts.plural(1, "roles") == "1 role"
    assert charts.plural(2, "focuses") == "2 focuses"
    assert charts.equivalent_rank("M", 3, 3) == 6 and charts.equivalent_rank("P", 6, 3) == 6


def test_sources_and_differentials_read_as_words() -> None:
    assert in_words(("PAY", "SKILL")) == "Pay and skills"
    assert in_words(("SKILL",)) == "Skills"
    assert in_words(()) == ""
    lines = ["a.txt:65", "a.txt:66", "a.txt:67", "a.txt:70", None, "b.txt:3"]
    assert cited(lines) == "a.txt lines 65–67, 70; b.txt line 3"
    assert cited([None]) == ""
    assert cited(["a.txt:9", "a.txt:9"]) == "a.txt line 9"


def test_pay_difference_in_words() -> None:
    p = Pay(100_000, 80_000, 120_000, "USD", None, None)
    q = Pay(125_000, 90_000, 150_000, "USD", None, None)
    assert charts.pay_difference("A", p, "B", q) == "B's median, $125k, is $25k (25%) higher than A's, $100k."
    assert charts.pay_difference("A", q, "B", p) == "B's median, $100k, is $25k (20%) lower than A's, $125k."
    assert charts.pay_difference("A", p, "B", p) == "Both medians are $100k."
    assert charts.pay_difference("A", None, "B", q) == "A does not record its pay; B: median $125k."
    assert charts.pay_difference("A", p, "B", None) == "B does not record its pay; A: median $100k."
    assert charts.pay_difference("A", None, "B", None) == "Neither role records its pay."
    assert "different currencies" in charts.pay_difference("A", p, "B", Pay(1, 1, 1, "EUR", None, None))


HOSTILE = 'Grow & "lead" <script>alert(1)</script>'


def every_chart() -> list[Markup]:
    """One chart of each kind, over records holding text that must be escaped."""
    pay = Pay(120_000, 100_000, 150_000, "USD", None, None)
    rungs = [
        Rung("P5", HOSTILE, "F.X.P5", True, (), "P", 5, pay),
        Rung("M2", None, "F.X.M2", False, (), "M", 2, None),
    ]
    nearby = [Near("F.X.P4", HOSTILE, 0.1, "strong", "same focus", 1)]
    steps = [StepView(Ref("F.X.P5", HOSTILE), Ref("F.X.P4", "B"), "level down", 1.0, (), ())]
    levels = [LevelPay("P5", "P", 5, "USD", 2, 110_000, 130_000, 90_000, 160_000)]
    function = FunctionEntry("F", HOSTILE, 1, 2, (), tuple(levels))
    return [
        charts.ladder(rungs, 3, "c1", HOSTILE),
        *(charts.pay_ranges(rows, "c2", HOSTILE) for rows in charts.role_pay_rows(rungs).values()),
        *(charts.pay_ranges(rows, "c3", HOSTILE) for rows in charts.function_pay_rows(levels).values()),
        charts.pay_ranges(charts.compare_pay_rows((HOSTILE, pay), ("B", pay)), "c4", "t", labels_above=True),
        charts.nearest(nearby, "c5"),
        charts.overlap(3, 1, 0, HOSTILE, "B", "c6"),
        charts.path(steps[0].source, steps, "c7"),
        charts.function_counts([function], "c8"),
    ]


def test_a_chart_of_nothing_is_nothing() -> None:
    assert charts.ladder([], 3, "a", "F") == charts.pay_ranges([], "b", "t") == ""
    assert charts.nearest([], "c") == charts.function_counts([], "d") == ""


@pytest.mark.parametrize("index", range(8))
def test_every_chart_is_well_formed_labelled_escaped_and_styled_by_class_only(index: int) -> None:
    chart = every_chart()[index]
    assert isinstance(chart, Markup)
    el = ET.fromstring(str(chart))  # noqa: S314 - well formed: every text escaped
    assert el.tag == f"{SVG}svg" and el.get("role") == "img"
    ident = el.get("id")
    assert el.get("aria-labelledby") == f"{ident}-title {ident}-desc"
    assert (el.find(f"{SVG}title").text or "") and (el.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    view = [float(v) for v in el.get("viewBox", "").split()]
    assert view[:3] == [0, 0, charts.WIDTH] and float(el.get("width", 0)) == charts.WIDTH * 1.25
    assert "<script" not in str(chart)
    for link in el.iter(f"{SVG}a"):  # one image to assistive technology: its links stay out of the tab order
        assert link.get("tabindex") == "-1" and link.get("href", "").startswith("/")
    for node in el.iter():
        assert "style" not in node.attrib  # the CSP (style-src 'self') would block it
        assert not any(k.startswith("on") for k in node.attrib)
    assert str(chart) == str(every_chart()[index])  # the same bytes for the same records
