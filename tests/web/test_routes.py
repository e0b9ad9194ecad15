"""Every route of `rolegraph serve` through Starlette's test client: status, content type, content."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from starlette.testclient import TestClient

from rolegraph.api import Session
from rolegraph.cli import cli
from rolegraph.graph.io import nt_term
from rolegraph.pages.model import Page
from rolegraph.web.views import Views
from tests.helpers import REAL_FOCUS, REAL_ROLE, page_aliases

HTML = "text/html; charset=utf-8"
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what Chromium sends


def text_of(response_text: str) -> str:
    """The page's visible text, tags dropped and whitespace collapsed, for comparing with the source page."""
    plain = re.sub(r"<[^>]+>", " ", response_text)
    return re.sub(r"\s+", " ", html.unescape(plain))


def has(page: str, *texts: str) -> None:
    missing = [t for t in texts if re.sub(r"\s+", " ", t) not in page]
    assert not missing, f"not on the page: {missing}"


# -- home and search -------------------------------------------------------------------------------


def test_home_shows_the_function_focus_tree(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"] == HTML
    page = text_of(r.text)
    has(page, "Data Science & Analytics", "AI / Machine Learning Engineering", "6 roles and 13 skills")
    for level in ("P2", "P3", "P4", "P5", "P6", "P7"):
        assert f'href="/role/{REAL_FOCUS}.{level}"' in r.text


def test_search_ml_engineer_finds_the_focus(client: TestClient) -> None:
    r = client.get("/", params={"q": "ml engineer", "format": "json"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    hits = r.json()["hits"]
    assert {h["code"] for h in hits} == {f"{REAL_FOCUS}.P{n}" for n in range(2, 8)}
    html_page = client.get("/", params={"q": "ml engineer"})
    assert html_page.status_code == 200
    has(text_of(html_page.text), "6 results for “ml engineer”", "matched: title")


@pytest.mark.parametrize(
    ("query", "matched"),
    [
        ("machne lerning", "title"),  # two typos
        ("enginer", "title"),  # a typo in a prefix
        ("mlops", "skill: MLOps"),  # a skill
        ("containerisation", "skill: Containerization"),  # British spelling: one edit
        ("datasc aimachin97c0", "code"),
        ("data science analytics", "function"),
    ],
)
def test_search_is_typo_tolerant_and_covers_every_field(client: TestClient, query: str, matched: str) -> None:
    hits = client.get("/", params={"q": query, "format": "json"}).json()["hits"]
    assert hits, query
    assert any(matched in h["matched"] for h in hits), (query, hits[0])


def test_search_with_no_match_says_so(client: TestClient) -> None:
    r = client.get("/", params={"q": "zzqx plumbing"})
    assert r.status_code == 200
    has(text_of(r.text), "0 results", "No role matches every word")


def test_an_exact_code_or_title_goes_straight_to_the_role(client: TestClient) -> None:
    for query in (REAL_ROLE, REAL_ROLE.lower(), "AI / Machine Learning Engineering — P7"):
        r = client.get("/", params={"q": query}, follow_redirects=False)
        assert r.status_code == 303, query
        assert r.headers["location"] == f"/role/{REAL_ROLE}"


def test_search_text_is_escaped(client: TestClient) -> None:
    r = client.get("/", params={"q": '<script>alert("x")</script>'})
    assert r.status_code == 200
    assert "<script>" not in r.text
    assert "&lt;script&gt;" in r.text


ATTACK = '"><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        (f"/role/{quote(ATTACK, safe='')}", {}, 404),  # the name, in the "not found" message
        ("/compare", {"a": ATTACK}, 200),  # the form, filled in
        ("/compare", {"a": ATTACK, "b": REAL_ROLE}, 404),
        ("/compare", {"a": REAL_ROLE, "b": ATTACK}, 404),  # kept in the suggestions' links
        ("/", {"function": ATTACK}, 404),
        ("/sparql", {"query": 'SELECT ("<img src=x onerror=alert(1)>" AS ?x) WHERE {}'}, 200),  # the query and its row
    ],
)
def test_what_a_visitor_sends_is_escaped_on_every_page(
    client: TestClient, path: str, params: dict[str, str], status: int
) -> None:
    r = client.get(path, params=params, headers=BROWSER)
    assert r.status_code == status
    assert r.headers["content-type"] == HTML
    assert "<img" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text


def test_what_a_page_says_is_escaped_on_every_page(real_text: str, tmp_path: Path) -> None:
    """A source page is data too: a skill and a duty holding markup show as text on the role, search and compare
    pages."""
    from rolegraph import api
    from rolegraph.web.app import create_app

    skill, duty = "Data preprocessing & feature engineering", "Drives research and development"
    text = real_text.replace(skill, "Data <img src=x onerror=alert(2)> prep").replace(duty, "<b onclick=x()>Drives")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "page.txt").write_text(text, encoding="utf-8")
    api.build([tmp_path / "seeds"], tmp_path / "graph", validate=False)
    graph = tmp_path / "graph" / "rolegraph.ttl"
    with TestClient(create_app(Session.open(graph), graph), raise_server_exceptions=False) as marked:
        for path, params in [
            (f"/role/{REAL_FOCUS}.P5", {}),
            ("/", {"q": "prep"}),
            ("/compare", {"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P5"}),
        ]:
            r = marked.get(path, params=params, headers=BROWSER)
            assert r.status_code == 200, path
            assert "<img" not in r.text and "<b onclick" not in r.text, path
            assert "&lt;img src=x onerror=alert(2)&gt;" in r.text, path
        has(text_of(marked.get(f"/role/{REAL_FOCUS}.P5", headers=BROWSER).text), "<b onclick=x()>Drives")


def test_an_overlong_search_is_a_400(client: TestClient) -> None:
    r = client.get("/", params={"q": "x" * 201})
    assert r.status_code == 400
    has(text_of(r.text), "expected a search of at most 200 characters")


# -- the role page -----------------------------------------------------------------------------------


def test_role_page_shows_everything_the_source_page_said(client: TestClient, real_page: Page) -> None:
    """Field by field from the parsed page: nothing the page said is missing from its role's web page."""
    r = client.get(f"/role/{REAL_ROLE}")
    assert r.status_code == 200
    assert r.headers["content-type"] == HTML
    page = text_of(r.text)
    p = real_page
    has(page, p.title, p.role_code, p.function.name, p.function.code, p.focus.name, p.focus.code, p.focus.definition)
    has(page, p.level.code, p.level.title, f"{p.level.experience_min}–{p.level.experience_max} yrs")
    has(page, p.status.status, p.status.confidence_band, f"{p.status.confidence_score:.2f}", p.status.region)
    has(page, p.status.version)
    assert p.pay is not None
    has(page, f"${p.pay.median // 1000}k", f"(${p.pay.low // 1000}k–${p.pay.high // 1000}k)")
    has(page, "Differs from the function baseline in Pay and skills")  # p.differentials, in words
    assert p.differentials == ("PAY", "SKILL")
    for sibling in p.focus.distinct_from:
        has(page, sibling.name, sibling.gloss)
    for level in p.responsibilities:  # the whole ladder, every level's duties
        has(page, level.level_code, *(item.text for item in level.items))
    for row in p.guidelines:  # the whole levelling rubric
        has(page, row.level_code, row.knowledge, row.complexity, row.collaboration, row.degree_years)
    for skill in p.skills:
        has(page, skill.name, skill.description)
    for score in p.provenance.scores:
        has(page, score.dimension, f"{score.score:.1f}")
    has(page, f"{p.provenance.source_count} sources", f"passes at ≥ {p.provenance.pass_threshold:.1f}")
    has(page, p.descriptor.title, p.descriptor.summary, *(value for _, value in p.descriptor.attributes))
    for mapping in p.mappings:
        has(
            page, mapping.scheme, mapping.code, mapping.tool, "Data Scientists", "Computer and Mathematical Occupations"
        )
    has(page, "No title aliases recorded for this profile yet.")
    has(page, f"{p.path}:3")  # provenance back to the page and line
    own = next(level for level in p.responsibilities if level.is_own).items
    for item in own:
        has(page, item.text)
    # the lines are one click away, in a <details> after the list, not after every bullet
    lines = [item.source.line for item in own]
    assert lines == list(range(lines[0], lines[0] + len(lines)))
    cited = f"{p.path} lines {lines[0]}–{lines[-1]}"
    assert re.search(rf'<details class="sources"><summary>Source lines</summary><p>{re.escape(cited)}</p>', r.text)
    assert f"{own[0].text} {p.path}" not in page


def test_role_page_marks_the_role_on_its_ladder_and_lists_nearest_roles(client: TestClient) -> None:
    r = client.get(f"/role/{REAL_ROLE}")
    current = re.findall(r'<li class="current" aria-current="true">.*?</li>', r.text, flags=re.S)
    assert len(current) == 1
    assert "P7" in current[0]
    assert "this role" in current[0]
    assert r.text.count('<tr class="current" aria-current="true">') == 1  # the rubric row
    by_structure: dict[str, str | int] = {"format": "json", "k": 3, "by": "structure"}
    nearest = client.get(f"/role/{REAL_ROLE}", params=by_structure).json()["nearest"]
    assert [(n["code"], n["distance"], n["band"]) for n in nearest] == [
        (f"{REAL_FOCUS}.P6", 0.1, "strong"),
        (f"{REAL_FOCUS}.P5", 0.2, "strong"),
        (f"{REAL_FOCUS}.P4", 0.3, "partial"),
    ]
    blended = client.get(f"/role/{REAL_ROLE}", params={"format": "json", "k": 3}).json()["nearest"]  # the default
    assert [(n["code"], n["distance"], n["band"]) for n in blended] == [
        (f"{REAL_FOCUS}.P6", 0.045, "strong"),
        (f"{REAL_FOCUS}.P5", 0.09, "strong"),
        (f"{REAL_FOCUS}.P4", 0.135, "strong"),
    ]
    assert f'href="/compare?a={REAL_ROLE}&amp;b={REAL_FOCUS}.P6"' in r.text


def test_role_json_matches_the_session(client: TestClient, real_session: Session) -> None:
    r = client.get(f"/role/{REAL_ROLE}", headers={"accept": "application/json"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    data = r.json()
    details = real_session.details(REAL_ROLE)
    assert data["code"] == REAL_ROLE
    assert (data["pay"]["median"], data["pay"]["low"], data["pay"]["high"], data["pay"]["currency"]) == details.pay
    assert [s["name"] for s in data["skills"]] == list(details.skills)
    assert [r["text"] for r in data["responsibilities"]] == list(details.responsibilities)
    assert data["level"]["descriptor"][0] == ["Scope", "Cross-organization / enterprise technical strategy"]
    assert [m["code"] for m in data["mappings"]] == ["15-2051"]
    assert [g["code"] for g in data["mappings"][0]["broader"]] == ["15-2050", "15-2000", "15-0000"]


@pytest.mark.parametrize("how", [{"params": {"format": "jsonld"}}, {"headers": {"accept": "application/ld+json"}}])
def test_role_jsonld_is_the_role_description(
    client: TestClient, real_session: Session, real_graph_file: Path, how: dict[str, dict[str, str]]
) -> None:
    r = client.get(f"/role/{REAL_ROLE}", **how)  # type: ignore[arg-type]
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/ld+json"
    # an independent reader (Oxigraph's JSON-LD parser; the context is embedded, so nothing is fetched), into
    # a store, which writes decimals canonically as the served store does ("4", where the pages say "4.0")
    store = ox.Store()
    store.extend(ox.parse(r.content, format=ox.RdfFormat.JSON_LD))
    parsed = {(str(q.subject), str(q.predicate), str(q.object)) for q in store}
    rows = real_session.query("role-description", {"code": REAL_ROLE}).rows
    assert parsed == {tuple(nt_term(t) for t in row if t is not None) for row in rows}
    assert len(parsed) == len(rows) > 300
    assert json.loads(r.text)["@context"]["rg"] == "https://w3id.org/rolegraph/ontology#"
    exported = CliRunner().invoke(cli, ["export", REAL_ROLE, "-f", "jsonld", "--graph", str(real_graph_file)])
    assert exported.exit_code == 0
    assert exported.stdout_bytes == r.content  # the server gives what `rolegraph export ROLE` writes


def test_a_level_without_its_own_page_still_has_a_page(client: TestClient) -> None:
    r = client.get(f"/role/{REAL_FOCUS}.P3")
    assert r.status_code == 200
    page = text_of(r.text)
    has(page, "Designs and selects appropriate algorithms for the problem at hand and conducts A/B tests")
    has(page, "No review recorded for this level", "not recorded for this level")


def test_a_role_named_by_title_redirects_to_its_code(client: TestClient) -> None:
    r = client.get("/role/ai%20%2F%20machine%20learning%20engineering%20%E2%80%94%20p7", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == f"/role/{REAL_ROLE}"


def test_a_role_named_by_alias_redirects_and_an_ambiguous_name_is_a_404(
    synth_client: TestClient, synth_graph: Path
) -> None:
    one, several = page_aliases(synth_graph.parents[1] / "seeds")
    alias, code = sorted(one.items())[0]
    r = synth_client.get(f"/role/{quote(alias.lower())}", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == f"/role/{code}"
    shared, codes = sorted(several.items())[0]
    r = synth_client.get(f"/role/{quote(shared)}", params={"format": "json"})
    assert r.status_code == 404
    assert r.json()["error"] == f"expected one role, found {len(codes)} named {shared!r}: {', '.join(codes)}"
    data = synth_client.get("/compare", params={"a": alias, "b": codes[0], "format": "json"}).json()
    assert (data["a"]["code"], data["b"]["code"]) == (code, codes[0])


def test_an_unknown_role_is_a_404_that_suggests_close_roles(client: TestClient) -> None:
    r = client.get(f"/role/{REAL_FOCUS}.P9")
    assert r.status_code == 404
    assert r.headers["content-type"] == HTML
    assert f'href="/role/{REAL_FOCUS}.P' in r.text
    has(text_of(r.text), "404: Not found", "Did you mean")
    j = client.get(f"/role/{REAL_FOCUS}.P9", params={"format": "json"})
    assert j.status_code == 404
    assert j.json()["suggestions"]
    assert all(s.startswith(f"/role/{REAL_FOCUS}.P") for s in j.json()["suggestions"])


@pytest.mark.parametrize("query", [{"k": "many"}, {"k": "51"}, {"k": "-1"}, {"format": "xml"}])
def test_bad_role_parameters_are_a_400(client: TestClient, query: dict[str, str]) -> None:
    r = client.get(f"/role/{REAL_ROLE}", params=query)
    assert r.status_code == 400
    has(text_of(r.text), "400: Bad request", "expected")


# -- compare -------------------------------------------------------------------------------------------


def test_compare_shows_both_roles_distance_band_and_path(client: TestClient, real_session: Session) -> None:
    a, b = REAL_ROLE, f"{REAL_FOCUS}.P3"
    r = client.get("/compare", params={"a": a, "b": b, "by": "structure"})
    assert r.status_code == 200
    page = text_of(r.text)
    d = real_session.distance(a, b, by="structure")
    has(page, f"Distance {d.d:.3f} {d.band}", "All 13 skills are shared: ", "Career path", "4 steps, total cost 4.0")
    assert 'class="skill-list"' not in r.text  # said once, not as two equal lists
    has(page, "Sets long-term ML roadmaps", "Takes an active role in end-to-end model development")
    data = client.get("/compare", params={"a": a, "b": b, "format": "json", "by": "structure"}).json()
    assert (data["distance"], data["band"]) == (round(d.d, 3), d.band)
    assert [s["target"]["code"] for s in data["path"]] == [f"{REAL_FOCUS}.P{n}" for n in (6, 5, 4, 3)]
    # the default: the blend, its path's steps each costing the blended distance, with the components
    blend = client.get("/compare", params={"a": a, "b": b, "format": "json"}).json()
    d = real_session.distance(a, b)
    assert (blend["by"], blend["distance"], blend["band"]) == ("blend", round(d.d, 3), d.band)
    assert [s["target"]["code"] for s in blend["path"]] == [f"{REAL_FOCUS}.P{n}" for n in (6, 5, 4, 3)]
    for step in blend["path"]:
        assert [c["name"] for c in step["components"]] == ["structure", "skills", "text", "level"]
        one = real_session.distance(step["source"]["code"], step["target"]["code"])
        assert step["cost"] == round(one.d, 3)
    has(text_of(client.get("/compare", params={"a": a, "b": b}).text), "cost 0.045: structure 0.10, skills 0.00")


def test_compare_across_functions_highlights_missing_skills(synth_client: TestClient) -> None:
    roles = synth_client.get("/", params={"format": "json"}).json()["tree"]
    a = roles[0]["focuses"][0]["roles"][0]["code"]
    b = roles[1]["focuses"][0]["roles"][-1]["code"]
    data = synth_client.get("/compare", params={"a": a, "b": b, "format": "json"}).json()
    assert data["only_a"]
    assert data["only_b"]
    assert data["relation"] == "other function"
    r = synth_client.get("/compare", params={"a": a, "b": b})
    assert r.text.count('class="only"') == len(data["only_a"]) + len(data["only_b"])
    assert r.text.count('class="shared"') == 2 * len(data["shared_skills"])


def test_compare_with_fewer_than_two_roles_shows_the_form_or_is_a_400_as_json(client: TestClient) -> None:
    form = client.get("/compare")
    assert form.status_code == 200
    assert '<label for="a">' in form.text
    assert '<label for="b">' in form.text
    half = client.get("/compare", params={"a": REAL_ROLE})  # a role page's "Compare with another role"
    assert half.status_code == 200
    assert f'<input id="a" name="a" value="{REAL_ROLE}"' in half.text
    r = client.get("/compare", params={"a": REAL_ROLE, "format": "json"})
    assert r.status_code == 400
    assert "parameter 'b' is missing" in r.json()["error"]


def test_compare_with_an_unknown_role_suggests_and_keeps_the_other(client: TestClient) -> None:
    r = client.get("/compare", params={"a": REAL_ROLE, "b": "AI / Machine Lerning Engineering"}, follow_redirects=False)
    assert r.status_code == 404
    assert f'href="/compare?a={REAL_ROLE}&amp;b={REAL_FOCUS}.P' in r.text


def test_compare_resolves_titles(client: TestClient) -> None:
    r = client.get("/compare", params={"a": "ai / machine learning engineering — p7", "b": f"{REAL_FOCUS}.P6"})
    assert r.status_code == 200
    pair = {"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P6", "format": "json", "by": "structure"}
    assert client.get("/compare", params=pair).json()["distance"] == pytest.approx(0.1)


# -- the SPARQL endpoint -------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(client: TestClient) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    ("accept", "content_type", "start"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '{"head":'),
        ("application/json", "application/sparql-results+json", '{"head":'),
        ("text/csv", "text/csv; charset=utf-8", "n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "?n\n"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        ("*/*", "application/sparql-results+json", '{"head":'),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "?n\n"),
    ],
)
def test_sparql_get_negotiates_result_formats(client: TestClient, accept: str, content_type: str, start: str) -> None:
    r = client.get("/sparql", params={"query": COUNT}, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert r.text.startswith(start)


def test_sparql_post_form_and_direct_body(client: TestClient) -> None:
    n = count(client)
    form = client.post("/sparql", data={"query": COUNT}, headers={"accept": "text/csv"})
    assert form.status_code == 200
    assert form.text == f"n\r\n{n}\r\n"
    direct = client.post(
        "/sparql", content=COUNT.encode(), headers={"content-type": "application/sparql-query", "accept": "text/csv"}
    )
    assert direct.status_code == 200
    assert direct.text == form.text


def test_sparql_ask_and_construct(client: TestClient) -> None:
    ask = client.get(
        "/sparql", params={"query": f'ASK {{ ?r <http://www.w3.org/2004/02/skos/core#notation> "{REAL_ROLE}" }}'}
    )
    assert ask.json() == {"head": {}, "boolean": True}
    construct = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/rolegraph/ontology#Role> }"}
    )
    assert construct.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=construct.text, format="turtle")) == 6
    nt = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/rolegraph/ontology#Role> }"},
        headers={"accept": "application/n-triples"},
    )
    assert nt.headers["content-type"] == "application/n-triples"
    assert len(nt.text.splitlines()) == 6


@pytest.mark.parametrize(
    ("request_kw", "status", "words"),
    [
        ({"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}}, 400, "SERVICE"),
        ({"params": {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"}}, 400, "FROM"),
        ({"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, 400, "are never run"),
        ({"params": {"query": "SELEC nonsense"}}, 400, "expected a valid SPARQL query"),
        ({"params": {"query": "  "}}, 400, "empty"),
        ({"params": {"query": COUNT, "default-graph-uri": "http://example.org/g"}}, 400, "default-graph-uri"),
        ({"params": {"query": COUNT, "named-graph-uri": "http://example.org/g"}}, 400, "named-graph-uri"),
        ({"params": {"name": "role", "code": "not a code"}}, 400, "parameter 'code'"),
        ({"params": {"name": "no-such-query"}}, 400, "expected a query name"),
    ],
)
def test_sparql_refuses_bad_and_networked_queries(
    client: TestClient, request_kw: dict[str, dict[str, str]], status: int, words: str
) -> None:
    r = client.get("/sparql", headers={"accept": "application/json"}, **request_kw)  # type: ignore[arg-type]
    assert r.status_code == status
    assert words in r.json()["error"]


def test_sparql_takes_no_updates(client: TestClient) -> None:
    before = count(client)
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert client.post("/sparql", data={"update": update}).status_code == 400
    r = client.post("/sparql", content=update.encode(), headers={"content-type": "application/sparql-update"})
    assert r.status_code == 400
    assert client.post("/sparql", content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    assert count(client) == before


def test_sparql_bodies_are_bounded(client: TestClient) -> None:
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 400_001
    declared = client.post("/sparql", content=big, headers={"content-type": "application/sparql-query"})
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: read in pieces, stopped at the bound
        yield from (big[i : i + 65536] for i in range(0, len(big), 65536))

    streamed = client.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
    assert streamed.status_code == 413
    form = client.post("/sparql", data={"query": "x" * 400_001})
    assert form.status_code == 413


def test_sparql_page_lists_named_queries_and_shows_results(client: TestClient) -> None:
    page = client.get("/sparql")
    assert page.status_code == 200
    assert page.headers["content-type"] == HTML
    assert page.text.count('<input type="hidden" name="name"') >= 15
    run = client.get("/sparql", params={"name": "role", "code": REAL_ROLE}, headers=BROWSER)
    assert run.status_code == 200
    assert run.headers["content-type"] == HTML
    has(text_of(run.text), "Results of role", "1 row", "Staff / Distinguished Professional", "231000")
    assert "VALUES" in run.text  # the bound text that ran is shown
    free = client.post("/sparql", data={"query": COUNT}, headers=BROWSER)
    has(text_of(free.text), "1 row")
    library = client.get("/sparql", params={"format": "json"}).json()
    assert {q["name"] for q in library} >= {"role", "roles", "focus-rubric", "role-description"}


def test_sparql_named_query_as_csv(client: TestClient) -> None:
    r = client.get("/sparql", params={"name": "levels", "format": "csv"})
    assert r.status_code == 200
    assert r.text.splitlines()[0] == "level,title,track,rank,minYears,maxYears"


# -- the whole site ----------------------------------------------------------------------------------

PAGES = ["/", "/?q=ml", f"/role/{REAL_ROLE}", f"/compare?a={REAL_ROLE}&b={REAL_FOCUS}.P2", "/compare", "/sparql"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_also_json_and_carries_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="en">' in r.text
    # nothing is loaded from another host (the old check dropped every href before looking, so it could not fail)
    loads = re.findall(r'<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)="([^"]*)"', r.text)
    assert loads
    assert all(url.startswith(("/", "data:")) for url in loads), loads
    j = client.get(path, headers={"accept": "application/json"})
    assert j.status_code == 200
    assert j.headers["content-type"] == "application/json"
    json.loads(j.text)


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("text/html, application/json;q=0.9", "text/html"),
        ("application/json, text/html;q=0.9", "application/json"),
        ("application/sparql-results+json", "application/json"),
        ("*/*", "text/html"),
    ],
)
def test_an_error_comes_in_the_kind_asked_for(client: TestClient, accept: str, kind: str) -> None:
    r = client.get(f"/role/{REAL_FOCUS}.P9", headers={"accept": accept})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith(kind)


def test_head_static_and_unknown_paths(client: TestClient) -> None:
    assert client.head(f"/role/{REAL_ROLE}").status_code == 200
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    has(text_of(missing.text), "404: Not found")


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/static/%2e%2e/app.py", "web/app.py"),
        ("/static/..%2fapp.py", "web/app.py"),
        ("/static/%2e%2e%2f%2e%2e%2fcli.py", "cli.py"),
        ("/static/..%2f..%2f..%2f..%2fpyproject.toml", "../../pyproject.toml"),
    ],
)
def test_static_paths_cannot_climb_out_of_the_static_folder(client: TestClient, path: str, target: str) -> None:
    """Encoded, so the client sends the dots as written (a plain /static/../x is resolved before sending):
    the server decodes them to ../ and must still refuse to leave the folder."""
    import rolegraph

    secret = (Path(rolegraph.__file__).parent / target).read_text(encoding="utf-8")
    r = client.get(path)
    assert r.request.url.raw_path == path.encode()
    assert r.status_code == 404
    assert secret[:200] not in r.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_the_server_is_read_only(client: TestClient, method: str) -> None:
    for path in (f"/role/{REAL_ROLE}", "/sparql", "/"):
        r = client.request(method, path)
        assert r.status_code == 405
        assert "Traceback" not in r.text


def test_an_internal_error_is_a_500_page_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Views, "role", broken)
    r = client.get(f"/role/{REAL_ROLE}")
    assert r.status_code == 500
    assert "Traceback" not in r.text
    assert "disk on fire" not in r.text
    has(text_of(r.text), "500: Server error", "the server log has the details")
    logged = [rec for rec in caplog.records if rec.name == "rolegraph.web" and "disk on fire" in rec.getMessage()]
    assert len(logged) == 1, caplog.text  # the details the page withholds are in the server log
    assert logged[0].getMessage() == f"internal error on /role/{REAL_ROLE}: RuntimeError: disk on fire"
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is RuntimeError


def test_a_large_graph_unfolds_one_function_at_a_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rolegraph.web.views.UNFOLD_ALL", 3)  # the real graph's 6 roles count as large
    folded = client.get("/", params={"format": "json"}).json()
    assert folded["unfolded"] is None
    assert [(f["code"], f["focus_count"], f["role_count"], f["focuses"]) for f in folded["tree"]] == [
        ("DATASC", 1, 6, [])
    ]
    page = client.get("/")
    assert 'href="/?function=DATASC#tree"' in page.text
    assert f'href="/role/{REAL_ROLE}"' not in page.text
    unfolded = client.get("/", params={"function": "DATASC"})
    assert f'href="/role/{REAL_ROLE}"' in unfolded.text
    missing = client.get("/", params={"function": "NOPE"})
    assert missing.status_code == 404
    has(text_of(missing.text), "expected a function code, found 'NOPE'")


def test_by_picks_the_distance_of_the_role_and_compare_pages(client: TestClient) -> None:
    """`?by=` (issue 17): the blend's components in the page JSON; an unknown measure is a 400 naming the choices."""
    nearest = client.get(f"/role/{REAL_ROLE}", params={"format": "json", "k": 2, "by": "blend"}).json()["nearest"]
    assert [n["by"] for n in nearest] == ["blend", "blend"]
    assert [c["name"] for c in nearest[0]["components"]] == ["structure", "skills", "text", "level"]
    page = client.get("/compare", params={"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P4", "by": "skills", "format": "json"})
    data = page.json()
    assert data["by"] == "skills" and data["distance"] == 0 and [c["name"] for c in data["components"]] == ["skills"]
    plain = client.get("/compare", params={"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P4", "format": "json"}).json()
    assert plain["by"] == "blend" and plain["distance"] == 0.135  # the default
    pair = {"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P4", "format": "json", "by": "structure"}
    structure = client.get("/compare", params=pair).json()
    assert structure["by"] == "structure" and structure["distance"] == 0.3 and structure["path_cost"] == 3
    bad = client.get("/compare", params={"a": REAL_ROLE, "b": f"{REAL_FOCUS}.P4", "by": "vibes", "format": "json"})
    assert bad.status_code == 400 and "structure, skills, text, blend" in bad.json()["error"]
