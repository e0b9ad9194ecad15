"""End to end in a real headless browser: Debian's chromium, driven by Playwright, against `rolegraph serve`.

A screenshot of every page visited is saved under ``build/test-artifacts/screenshots/``. Without a
chromium these tests skip, unless ``ROLEGRAPH_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from rolegraph.api import Distance, Session
from tests.helpers import REAL_FOCUS, REAL_ROLE, ROOT
from tests.servers import Served, rolegraph_serve

pytestmark = pytest.mark.slow

SHOTS = ROOT / "build" / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls home: the machine has no network beyond its registries
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    return os.environ.get("ROLEGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium()
    if executable is None:
        if os.environ.get("ROLEGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail("no chromium found, and ROLEGRAPH_REQUIRE_BROWSER=1: apt-get install chromium")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=served.url)
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    foreign = [url for url in requested if not url.startswith((served.url, "data:"))]
    assert not foreign, f"the pages asked another host: {foreign}"  # works offline: no CDN, no remote font


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_role_nearest_compare_and_sparql(page: Page) -> None:
    """The issue's walk: search "ml engineer", open the role, follow a nearest role, compare, run a named query."""
    page.goto("/")
    page.get_by_label("Search roles", exact=True).fill("ml engineer")
    page.get_by_label("Search roles", exact=True).press("Enter")
    expect(page.get_by_role("heading", name="6 results for “ml engineer”")).to_be_visible()
    shoot(page, "1-search")

    page.get_by_role("link", name="AI / Machine Learning Engineering — P7").click()
    expect(page).to_have_url(re.compile(rf"/role/{re.escape(REAL_ROLE)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("AI / Machine Learning Engineering — P7")
    expect(page.locator("ol.ladder > li[aria-current=true]")).to_contain_text("P7")
    expect(page.locator("dl.facts").get_by_text("$231k")).to_be_visible()
    expect(page.get_by_role("heading", name="Level guidelines")).to_be_visible()
    shoot(page, "2-role")

    nearest = page.locator("section[aria-labelledby=nearest] tbody tr")
    expect(nearest).to_have_count(5)
    expect(nearest.first).to_contain_text("strong")
    nearest.first.get_by_role("link", name="AI / Machine Learning Engineering — P6").click()
    expect(page).to_have_url(re.compile(rf"/role/{re.escape(REAL_FOCUS)}\.P6$"))
    expect(page.locator("ol.ladder > li[aria-current=true]")).to_contain_text("P6")
    shoot(page, "3-nearest-role")

    page.get_by_role("link", name=f"Compare with {REAL_FOCUS}.P3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare")
    d = _default_distance(f"{REAL_FOCUS}.P6", f"{REAL_FOCUS}.P3")  # the blend, as the CLI gives it
    expect(page.locator(".verdict")).to_contain_text(f"{d.d:.3f}")
    expect(page.locator(".verdict")).to_contain_text(d.band)
    expect(page.locator("ol.path > li")).to_have_count(3)
    shoot(page, "4-compare")

    page.get_by_role("link", name="SPARQL", exact=True).click()
    page.get_by_role("button", name="Run role-skills").click()
    expect(page.get_by_role("heading", name="Results of role-skills")).to_be_visible()
    expect(page.locator("table.results tbody tr")).to_have_count(13)
    expect(page.locator("table.results")).to_contain_text("MLOps")
    shoot(page, "5-sparql")


def _default_distance(a: str, b: str) -> Distance:
    """The distance the pages show by default (the blend), from the Python API on the same graph."""
    return Session.open(ROOT / "graph" / "rolegraph.ttl", cache=False).distance(a, b)


def test_typing_a_free_query_on_the_sparql_page(page: Page) -> None:
    page.goto("/sparql")
    page.get_by_label("Query").fill(
        "SELECT (COUNT(*) AS ?roles) WHERE { ?r a <https://w3id.org/rolegraph/ontology#Role> }"
    )
    page.get_by_role("button", name="Run query").click()
    expect(page.locator("table.results tbody td")).to_have_text("6")
    refused = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    page.get_by_label("Query").fill(refused)
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_role("alert")).to_contain_text("SERVICE")


def test_compare_from_a_role_page_by_typing_a_title(page: Page) -> None:
    page.goto(f"/role/{REAL_ROLE}")
    page.get_by_role("link", name="Compare with another role").click()
    expect(page.get_by_label("First role (code, title or alias)")).to_have_value(REAL_ROLE)
    page.get_by_label("Second role (code, title or alias)").fill("AI / Machine Learning Engineering — P2")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".verdict")).to_contain_text(f"{_default_distance(REAL_ROLE, f'{REAL_FOCUS}.P2').d:.3f}")
    expect(page.locator("ol.path > li")).to_have_count(5)


def test_an_unknown_role_offers_close_matches(page: Page) -> None:
    response = page.goto(f"/role/{REAL_FOCUS}.P9")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Did you mean")).to_be_visible()
    page.get_by_role("link", name=re.compile(rf"{re.escape(REAL_FOCUS)}\.P\d")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AI / Machine Learning Engineering")
    shoot(page, "6-not-found-then-role")


def test_keyboard_only_reaches_the_content_and_search(page: Page) -> None:
    page.goto(f"/role/{REAL_ROLE}")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.goto("/")
    search = page.get_by_label("Search roles", exact=True)
    expect(search).to_be_focused()  # the home page's search box takes the focus
    search.type("mlops")
    page.keyboard.press("Enter")
    expect(page.get_by_text("matched: skill: MLOps").first).to_be_visible()


CONTRAST = """() => {
  const lum = (c) => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                                 if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  // SVG text is painted with its fill, over whatever shape lies under it (a bar, a box), else the page
  const svgBackground = (el) => { el.scrollIntoView({block: 'center'}); const box = el.getBoundingClientRect();
    for (const under of document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)) {
      if (under === el || under.tagName === 'text' || under.tagName === 'svg' || under.tagName === 'g' || under.tagName === 'a') continue;
      if (under instanceof SVGElement) { const fill = rgb(getComputedStyle(under).fill); if (fill.length >= 3) return fill.slice(0, 3); }
      else break; }
    return background(el.closest('svg')); };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.clip === 'rect(0px, 0px, 0px, 0px)') continue;
    const svg = el instanceof SVGElement;
    const a = lum(rgb(svg ? style.fill : style.color).slice(0, 3)), b = lum(svg ? svgBackground(el) : background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push(el.tagName + ' ' + el.textContent.trim().slice(0, 40) + ' ' + ratio.toFixed(2));
  }
  return worst;
}"""

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.outerHTML)"""


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=ml+engineer", f"/role/{REAL_ROLE}", f"/compare?a={REAL_ROLE}&b={REAL_FOCUS}.P2", "/sparql?name=roles"],
)
def test_text_contrast_and_labels(page: Page, path: str) -> None:
    """WCAG AA contrast (4.5:1) for every piece of text on the page, and a label for every field."""
    page.goto(path)
    assert page.evaluate(CONTRAST) == []
    assert page.evaluate(UNLABELLED) == []


@pytest.mark.parametrize("path", ["/?q=ml+engineer", f"/role/{REAL_ROLE}", f"/compare?a={REAL_ROLE}&b={REAL_FOCUS}.P2"])
def test_readable_on_a_phone(browser: Browser, served: Served, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=served.url, is_mobile=True)
    phone = context.new_page()
    phone.goto(path)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{path} scrolls sideways on a phone ({width}px wide)"
    name = "phone-" + ("search" if "q=" in path else "role" if "/role/" in path else "compare")
    shoot(phone, name)
    context.close()


# -- the charts --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_track_served(two_track_graph: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`rolegraph serve` over a generated graph whose one focus has both tracks."""
    with rolegraph_serve(two_track_graph[0], tmp_path_factory.mktemp("serve-two-track")) as server:
        yield server


def chart_pages(focus: str) -> list[tuple[str, str]]:
    """(name, path) of every page with charts, over the two-track graph."""
    return [
        ("role", f"/role/{focus}.P5"),
        ("compare", f"/compare?a={focus}.P5&b={focus}.M3"),
        ("compare-functions", f"/compare?a={focus}.P5&b=DATASC.AIMACHINA8C9.P3"),
        ("home", "/"),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_chart_shows_fits_and_is_shot(
    browser: Browser, two_track_served: Served, two_track_graph: tuple[Path, str], width: int
) -> None:
    """Each chart is drawn (a visible box of some size), fits the page at 1280 and 390 px, and is
    saved as a picture of its own (build/test-artifacts/screenshots/chart-*.png; docs/screenshots/ holds copies)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=two_track_served.url)
    page = context.new_page()
    seen = 0
    for name, path in chart_pages(two_track_graph[1]):
        page.goto(path)
        for details in page.locator("details.function-pay").all()[:1]:  # the home page folds pay by function
            details.locator("summary").click()
        charts = page.locator("svg.chart").all()
        assert charts, path
        for i, chart in enumerate(charts):
            if not chart.is_visible():
                continue  # folded in a closed <details>
            box = chart.bounding_box()
            assert box is not None
            assert 150 <= box["width"] <= min(width - 24, 460), (path, i, box)  # 360 units, 1.25x at most
            assert box["height"] > 40, (path, i, box)
            chart.screenshot(path=str(SHOTS / f"chart-{name}-{i}-{width}.png"))
            seen += 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
        if name == "role":  # the ladder and pay side by side: the README's picture
            page.locator("section.glance").screenshot(path=str(SHOTS / f"glance-role-{width}.png"))
    assert seen >= 10
    context.close()


@pytest.fixture
def two_track_page(browser: Browser, two_track_served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=two_track_served.url)
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    foreign = [url for url in requested if not url.startswith((two_track_served.url, "data:"))]
    assert not foreign, f"the pages asked another host: {foreign}"


def test_charts_keep_text_contrast_and_open_roles(two_track_page: Page, two_track_graph: tuple[Path, str]) -> None:
    """The pages with charts pass the contrast check too, every SVG text measured by its fill against the
    shape under it; a level of the ladder opens its role."""
    focus = two_track_graph[1]
    for _, path in chart_pages(focus):
        two_track_page.goto(path)
        assert two_track_page.evaluate(CONTRAST) == [], path
    two_track_page.goto(f"/role/{focus}.P5")
    two_track_page.locator("#chart-ladder a[aria-label^='M3']").click()
    expect(two_track_page).to_have_url(re.compile(rf"/role/{re.escape(focus)}\.M3$"))
    expect(two_track_page.locator("#chart-ladder .box.current")).to_have_count(1)
