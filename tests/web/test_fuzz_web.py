"""Whatever a visitor types, the server answers with a page that says what to do: never a 500, never a traceback."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.helpers import REAL_ROLE

ANSWERS = {200, 303, 307, 308, 400, 404}  # 307: Starlette drops a trailing slash ("/role/." is "/role/")
texts = st.text(st.characters(codec="utf-8"), max_size=300)  # any text a URL can carry (no lone surrogates)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(response_status: int, body: str) -> None:
    assert response_status in ANSWERS, (response_status, body[:300])
    assert "Traceback" not in body


@SETTINGS
@given(q=texts, function=st.none() | texts)
def test_any_search(client: TestClient, q: str, function: str | None) -> None:
    params = {"q": q} if function is None else {"q": q, "function": function}
    r = client.get("/", params=params, follow_redirects=False)
    check(r.status_code, r.text)


@SETTINGS
@given(name=texts, k=st.none() | st.text(max_size=5), fmt=st.none() | st.sampled_from(["html", "json", "jsonld", "x"]))
def test_any_role_name(client: TestClient, name: str, k: str | None, fmt: str | None) -> None:
    params = {key: value for key, value in (("k", k), ("format", fmt)) if value is not None}
    r = client.get(f"/role/{quote(name, safe='')}", params=params, follow_redirects=False)
    check(r.status_code, r.text)


@SETTINGS
@given(a=texts, b=st.one_of(st.just(REAL_ROLE), texts))
def test_any_comparison(client: TestClient, a: str, b: str) -> None:
    r = client.get("/compare", params={"a": a, "b": b}, follow_redirects=False)
    check(r.status_code, r.text)


@SETTINGS
@given(
    query=st.one_of(
        texts,
        st.sampled_from(
            ["SELECT", "ASK {}", "CONSTRUCT WHERE {}", "DESCRIBE <urn:x>", "SELECT * {", "LOAD <urn:x>"]
        ).map(lambda head: head + " "),
    ),
    accept=st.sampled_from(["*/*", "text/html", "text/csv", "application/sparql-results+xml", "text/turtle", "x/y"]),
)
def test_any_sparql_text(client: TestClient, query: str, accept: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    check(r.status_code, r.text)


@pytest.mark.parametrize("name", ["role", "focus-rubric", "roles-by-soc", "roles-with-skill", "pay-by-level"])
@SETTINGS
@given(value=texts)
def test_any_named_query_parameter(client: TestClient, name: str, value: str) -> None:
    from rolegraph.ask.query import get_spec

    params = {"name": name, **{p.name: value for p in get_spec(name).params}}
    r = client.get("/sparql", params=params, headers={"accept": "text/html"})
    check(r.status_code, r.text)
