"""Issue #12: the SERVICE guard refused valid, deeply nested queries with "syntax error at char 0".

rdflib's SPARQL parser recurses 30-40 Python frames per nested group, OPTIONAL or parenthesis, so
about 30 levels hit Python's recursion limit; the RecursionError was taken for a syntax error, and
the update parser's complaint ("found 'SELECT' (at char 0)") was shown. The guard now parses such a
query again with room to recurse, walks the tree without recursion, and still finds SERVICE at any depth.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.ask.query import check_local
from rolegraph.cli import cli
from rolegraph.errors import EXIT_BAD_INPUT, QueryError
from tests.helpers import socket_audit

PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
MATCH = '?r skos:notation ?code FILTER(STRSTARTS(?code, "DATASC.AIMACHIN97C0.P"))'
SERVICE = "SERVICE <http://127.0.0.1:9/sparql> { ?r skos:notation ?code }"


def groups(depth: int, inner: str) -> str:
    return f"{PREFIX}SELECT ?code WHERE {'{ ' * depth}{inner}{' }' * depth} ORDER BY ?code"


def optionals(depth: int, inner: str) -> str:
    body = "OPTIONAL { ?r skos:prefLabel ?t . " * depth + inner + " }" * depth
    return f"{PREFIX}SELECT DISTINCT ?code WHERE {{ {MATCH} {body} }} ORDER BY ?code"


def unions(depth: int, inner: str) -> str:
    body = "{ { ?r skos:prefLabel ?x } UNION " * depth + "{ " + inner + " }" + " }" * depth
    return f"{PREFIX}SELECT DISTINCT ?code WHERE {{ {MATCH} {body} }} ORDER BY ?code"


def parens(depth: int, inner: str) -> str:
    exists = f"EXISTS {{ {inner} }}"
    return f"{PREFIX}SELECT ?code WHERE {{ {MATCH} FILTER({'(' * depth}{exists}{')' * depth}) }} ORDER BY ?code"


SHAPES: dict[str, Callable[[int, str], str]] = {
    "groups": groups,
    "optionals": optionals,
    "unions": unions,
    "parens": parens,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("depth", [40, 250])
def test_deeply_nested_queries_pass_the_guard(shape: str, depth: int) -> None:
    limit = sys.getrecursionlimit()
    check_local(SHAPES[shape](depth, MATCH))
    assert sys.getrecursionlimit() == limit


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_deeply_nested_query_runs(shape: str, real_graph_file: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "deep.rq"
    query_file.write_text(SHAPES[shape](220, MATCH), encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--file", str(query_file), "--graph", str(real_graph_file), "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [f"DATASC.AIMACHIN97C0.P{n}" for n in range(2, 8)]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("depth", [1, 40, 250])
def test_service_is_refused_at_any_depth(shape: str, depth: int) -> None:
    with pytest.raises(QueryError, match="without network access, found SERVICE"):
        check_local(SHAPES[shape](depth, SERVICE))
    check_local(SHAPES[shape](depth, SERVICE), allow_network=True)  # the same text is valid SPARQL


def test_service_deep_inside_is_refused_by_the_cli_without_a_socket(real_graph_file: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "deep.rq"
    query_file.write_text(groups(250, SERVICE.replace("SERVICE", "S\\u0045RVICE")), encoding="utf-8")
    events: list[str] = []
    with socket_audit(events):
        result = CliRunner().invoke(cli, ["query", "--file", str(query_file), "--graph", str(real_graph_file)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "found SERVICE" in result.stderr
    assert events == []


def test_a_syntax_error_is_reported_where_it_is() -> None:
    with pytest.raises(QueryError, match="syntax error") as caught:
        check_local(f"{PREFIX}SELECT ?code WHERE {{ ?r skos:notation ?code FILTER(?code = ) }}")
    assert "at char 0" not in str(caught.value)
    deep = groups(100, MATCH)[:-12]  # one closing brace short, deep down
    with pytest.raises(QueryError, match="syntax error") as caught:
        check_local(deep.rsplit("}", 1)[0])
    assert "at char 0" not in str(caught.value)


def test_nesting_beyond_the_bound_is_a_clear_error() -> None:
    limit = sys.getrecursionlimit()
    with pytest.raises(QueryError, match=r"expected a query nested at most about [0-9,]+ levels deep"):
        check_local(groups(3000, MATCH))
    assert sys.getrecursionlimit() == limit
