"""Queries and parameters (issue #7): network refused locally, injections inert, deep paths bounded.

``tests/test_queries.py`` covers the plain SERVICE / FROM / LOAD forms through the CLI; this file
covers the places they hide (nested groups, EXISTS in expressions, \\U escapes, lower case), proves
that nothing reached a listening socket (Oxigraph's Rust code is invisible to Python audit hooks),
and runs a user query over a 3,000-item rdf:List.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.api import Session
from rolegraph.ask.query import get_spec, library, run
from rolegraph.ask.store import OxigraphStore, RdflibStore
from rolegraph.cli import cli
from rolegraph.errors import QueryError
from tests.helpers import INJECTIONS, invoke, listener, no_hang, socket_audit

HIDDEN = [
    "select * where {{ service <{url}/s> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ s\\u0065rvice <{url}/s> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053ERVICE <{url}/s> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
    "SELECT (EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} AS ?x) WHERE {{ }}",
    "SELECT * WHERE {{ BIND(EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} AS ?x) }}",
    "SELECT * WHERE {{ ?s ?p ?o }} ORDER BY (EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }})",
    "SELECT ?s WHERE {{ ?s ?p ?o }} GROUP BY ?s HAVING (EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }})",
    "SELECT * WHERE {{ BIND(<{url}/s> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "# a comment \\u000A SELECT * WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
    "SELECT * fr\\u006fm <{url}/x> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "ASK FROM <{url}/x> {{ ?s ?p ?o }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM NAMED <{url}/x> WHERE {{ ?s ?p ?o }}",
    "LOAD SILENT <{url}/x> INTO GRAPH <https://e.org/g>",
    "INSERT DATA {{ <a:b> <a:c> <a:d> }} ; LOAD <{url}/x>",
    "SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}/x>",
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", HIDDEN)
def test_hidden_network_access_is_refused_without_any_connection(
    template: str, engine: str, tmp_path: Path, real_graph_file: Path
) -> None:
    with listener() as (url, accepted):
        query_file = tmp_path / "q.rq"
        query_file.write_text(template.format(url=url), encoding="utf-8")
        events: list[str] = []
        with socket_audit(events):
            result = CliRunner().invoke(
                cli, ["query", "--file", str(query_file), "--graph", str(real_graph_file), "--engine", engine]
            )
        time.sleep(0.05)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: expected a ") and len(result.stderr.splitlines()) == 1
    assert any(w in result.stderr for w in ("network", "updates", "syntax error")), result.stderr
    assert events == [] and accepted == []


def test_the_listener_does_see_a_connection(real_graph_file: Path, tmp_path: Path) -> None:
    """Guard for the test above: with --allow-network, Oxigraph's SERVICE does reach the listener."""
    with listener() as (url, accepted):
        query_file = tmp_path / "q.rq"
        query_file.write_text(f"SELECT * WHERE {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }}", encoding="utf-8")
        store = OxigraphStore.from_file(real_graph_file)
        session = Session(store, Session.open(real_graph_file).config)
        with contextlib.suppress(QueryError):  # the listener answers nothing useful: reaching it is the point
            session.query(query_file, allow_network=True)
        deadline = time.monotonic() + 5
        while not accepted and time.monotonic() < deadline:
            time.sleep(0.05)
    assert accepted, "Oxigraph made no request: the no-connection assertions above would prove nothing"


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_every_parameter_type(value: str, real_graph_file: Path) -> None:
    stores = (OxigraphStore.from_file(real_graph_file), RdflibStore(real_graph_file))
    before = [run(get_spec("counts"), {}, s).values() for s in stores]
    refusals: list[str] = []
    for spec in library().values():
        for param in spec.params:
            values = {p.name: "DATASC" for p in spec.params if not p.optional}
            values[param.name] = value
            try:
                bindings = spec.bind(values)
            except QueryError as exc:
                refusals.append(f"{param.name}|{exc}")
                continue
            assert param.type in ("string", "skill-name"), (spec.name, param.name, param.type)  # typed ones refuse it
            for store in stores:
                try:
                    rows = store.select(spec.text, bindings).rows
                except QueryError:
                    continue
                assert rows == () or spec.name in ("counts", "roles"), (spec.name, value)
    assert [run(get_spec("counts"), {}, s).values() for s in stores] == before
    for refusal in refusals:
        name, _, message = refusal.partition("|")
        assert f"parameter '{name}': expected " in message and "\n" not in message, message


@pytest.fixture(scope="module")
def long_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "list.ttl"
    items = " ".join(f'"item {i}"' for i in range(3000))
    path.write_text(f"<https://e.org/a> <https://e.org/list> ( {items} ) .\n", encoding="utf-8")
    return path


LIST_QUERY = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT (COUNT(?x) AS ?n) WHERE { <https://e.org/a> <https://e.org/list> ?l . ?l rdf:rest*/rdf:first ?x }
"""
EVERY_SUFFIX = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT (COUNT(*) AS ?n) WHERE { ?l rdf:rest*/rdf:first ?x }
"""


def _query(graph: Path, text: str, tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    query_file = tmp_path / "q.rq"
    query_file.write_text(text, encoding="utf-8")
    with no_hang("rolegraph query"):  # a hang bound only: bench/run measures query time
        return invoke("query", "--file", str(query_file), "--graph", str(graph), "-f", "csv", *extra)


def test_long_rdf_list_path_on_oxigraph(long_list: Path, tmp_path: Path) -> None:
    """Oxigraph evaluates rdf:rest*/rdf:first over 3,000 items (only a hang bound is asserted)."""
    code, out, err = _query(long_list, LIST_QUERY, tmp_path)
    assert code == 0, err
    assert out == "n\n3000\n"
    # from every cell of the list: n (n + 1) / 2 rows, counted in about a second and a half
    code, out, err = _query(long_list, EVERY_SUFFIX, tmp_path)
    assert code == 0, err
    assert out == f"n\n{3000 * 3001 // 2}\n"


def test_long_rdf_list_path_on_rdflib_is_a_clear_error(long_list: Path, tmp_path: Path) -> None:
    """rdflib's engine recurses once per list cell: a clear error that names the way out, not a crash."""
    code, out, err = _query(long_list, LIST_QUERY, tmp_path, "--engine", "rdflib")
    assert code == 2, out + err
    assert err.strip() == (
        "error: expected a query rdflib's engine can evaluate, found one that recursed too deeply "
        "(a property path such as rdf:rest* over a long list?) (use the default engine, --engine oxigraph)"
    )
