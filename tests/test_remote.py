"""Push to and query a real Oxigraph server; every remote fault gives one clear line and exit code 3."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from rolegraph.ask.query import get_spec, library, run
from rolegraph.ask.remote import DEFAULT_GRAPH_IRI, Endpoint, RemoteStore, count_triples, push, request
from rolegraph.ask.store import OxigraphStore, Term, alignments_beside, bind_values
from rolegraph.cli import cli
from rolegraph.errors import QueryError, RemoteError
from tests.helpers import BY_LABEL, invoke
from tests.servers import FaultHandler, fault_server, oxigraph_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def rows_everywhere(name: str, params: dict[str, str], local: OxigraphStore, remote: RemoteStore) -> tuple[list, list]:  # type: ignore[type-arg]
    spec = get_spec(name)
    return run(spec, params, local).values(), run(spec, params, remote).values()


@pytest.mark.parametrize("which", ["real", "synth"])
def test_push_then_every_query_agrees_with_local(
    server: str, which: str, real_graph_file: Path, synth_graph: Path
) -> None:
    graph = real_graph_file if which == "real" else synth_graph
    code, out, err = invoke("push", str(graph), "--endpoint", server)
    assert code == 0, err
    local = OxigraphStore.from_file(graph, extra=alignments_beside(graph))  # as local commands load it
    expected = len(local.store)
    assert f"pushed {expected} triples into <{DEFAULT_GRAPH_IRI}>" in out
    remote = RemoteStore(Endpoint(server))
    assert count_triples(Endpoint(server), DEFAULT_GRAPH_IRI) == expected
    for name, spec in library().items():
        params = spec.example_params
        if which == "synth" and params:
            first = run(get_spec("roles"), {}, local).values()[0]
            replacements = {"code": str(first[0]), "focus": str(first[4]), "function": str(first[2])}
            params = {k: replacements.get(k, v) for k, v in params.items()}
        here, there = rows_everywhere(name, params, local, remote)
        assert here == there, name
        # the generated corpus has no sibling focuses under the example's SOC group, and no alignments
        assert here or name in {"roles-by-soc", "sibling-focuses"} | (
            {"role-alignments"} if which == "synth" else set()
        ), name


def test_query_command_remote_matches_local(server: str, real_graph_file: Path) -> None:
    invoke("push", str(real_graph_file), "--endpoint", server)
    args = ("query", "role", "-p", "code=DATASC.AIMACHIN97C0.P7", "-f", "csv")
    remote = invoke(*args, "--endpoint", server)
    local = invoke(*args, "--graph", str(real_graph_file))
    assert remote[0] == local[0] == 0
    assert remote[1] == local[1]


def test_failed_upload_leaves_the_live_graph_unchanged(server: str, real_graph_file: Path, tmp_path: Path) -> None:
    endpoint = Endpoint(server)
    push(real_graph_file, endpoint)
    before = count_triples(endpoint, DEFAULT_GRAPH_IRI)
    text = real_graph_file.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.ttl"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    code, _, err = invoke("push", str(truncated), "--endpoint", server)
    assert code == 2 and "expected valid turtle" in err  # refused before anything is sent
    # the same bytes sent straight to the staging graph: the store refuses, the live graph stays
    with pytest.raises(RemoteError, match="malformed \\(400\\)"):
        request(
            endpoint,
            "PUT",
            f"{endpoint.store_url}?graph={DEFAULT_GRAPH_IRI}/staging",
            truncated.read_bytes(),
            {"Content-Type": "text/turtle"},
        )
    assert count_triples(endpoint, DEFAULT_GRAPH_IRI) == before


def test_push_replaces_rather_than_appends(server: str, real_graph_file: Path, synth_graph: Path) -> None:
    endpoint = Endpoint(server)
    push(synth_graph, endpoint, "https://example.org/g")
    result = push(real_graph_file, endpoint, "https://example.org/g")
    assert count_triples(endpoint, "https://example.org/g") == result.triples
    assert count_triples(endpoint, "https://example.org/g/staging") == 0


def test_injection_strings_remotely(server: str, real_graph_file: Path) -> None:
    endpoint = Endpoint(server)
    push(real_graph_file, endpoint)
    before = count_triples(endpoint, DEFAULT_GRAPH_IRI)
    remote = RemoteStore(endpoint)
    for value in ['x" } ; DROP ALL ; #', "a>b", "line\nbreak", "\\u0022 } DROP ALL {", "x'''"]:
        with pytest.raises(QueryError, match="no skill named"):  # matched against the names, never pasted
            run(get_spec("roles-with-skill"), {"skill": value}, remote)
        assert run(BY_LABEL, {"name": value}, remote).values() == []  # a string parameter, bound as it is
    assert count_triples(endpoint, DEFAULT_GRAPH_IRI) == before


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/503", "busy (503) after 3 attempts"),
        ("/slow", "no answer within 1 s (client timeout)"),
        ("/html", "expected SPARQL JSON results, found text/html: Login Please sign in"),
        ("/400", "rejected the request as malformed (400)"),
        ("/401", "not authorised (401)"),
        ("/403", "not authorised (403)"),
        ("/500", "the store failed (500)"),
        ("/missing", "no such endpoint (404)"),
    ],
)
def test_faults_are_one_clear_line(path: str, words: str) -> None:
    with fault_server() as base:
        code, out, err = invoke(
            "query", "counts", "--endpoint", base + path, "--timeout", "1", "--retries", "2",
            "--user", "ana", "--password", "s3cret-pw",
        )  # fmt: skip
    assert code == 3, err
    assert words in err, err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "s3cret-pw" not in out + err


def test_retries_429_then_succeeds() -> None:
    with fault_server() as base:
        code, out, err = invoke("query", "counts", "--endpoint", base + "/429-then-ok", "-f", "csv")
        assert code == 0, err
        assert out == "n\n1\n"
        assert FaultHandler.calls["/429-then-ok"] == 3


def test_server_timeout_is_sent_as_a_parameter() -> None:
    with fault_server() as base:
        code, _, err = invoke("query", "counts", "--endpoint", base + "/ok", "--server-timeout", "2.5")
        assert code == 0, err
        assert FaultHandler.bodies[-1].count("timeout=2.5") == 1


def test_refused_connection() -> None:
    from tests.servers import free_port

    code, _, err = invoke("push", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--retries", "0")
    assert code == 3
    assert "cannot reach the store" in err and "is the server running?" in err


def test_basic_auth_is_sent_and_never_printed() -> None:
    with fault_server() as base:
        code, _, _ = invoke("query", "counts", "--endpoint", base + "/ok", "--user", "ana", "--password", "pw")
        assert code == 0
        assert any(h.get("Authorization") == "Basic YW5hOnB3" for h in FaultHandler.headers_seen)
    assert "pw" not in repr(Endpoint("http://x/query", user="ana", password="pw"))


def test_push_takes_credentials_from_the_environment(tmp_path: Path) -> None:
    """ROLEGRAPH_USER / ROLEGRAPH_PASSWORD stand in for --user / --password on every request of a push
    (upload, counts, swap), and the password shows nowhere in the output."""
    one = tmp_path / "one-triple.nt"
    one.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n", encoding="utf-8")
    env = {"ROLEGRAPH_USER": "ana", "ROLEGRAPH_PASSWORD": "env-s3cret"}
    with fault_server() as base:
        args = ["push", str(one), "--endpoint", base + "/ok", "--store-endpoint", base + "/ok"]
        result = CliRunner().invoke(cli, [*args, "--update-endpoint", base + "/ok"], env=env)
        seen = [h.get("Authorization") for h in FaultHandler.headers_seen]
    assert result.exit_code == 0, result.output
    assert len(seen) == 4 and set(seen) == {"Basic YW5hOmVudi1zM2NyZXQ="}  # base64 of ana:env-s3cret
    assert "env-s3cret" not in result.output
    with fault_server() as base:
        result = CliRunner().invoke(
            cli,
            ["query", "counts", "--endpoint", base + "/ok"],
            env={"ROLEGRAPH_USER": None, "ROLEGRAPH_PASSWORD": None},
        )
        assert result.exit_code == 0
        assert all("Authorization" not in h for h in FaultHandler.headers_seen)  # none set, none sent


def test_bind_values_places_values_in_the_where_group() -> None:
    terms: dict[str, Term] = {"code": Literal('x" } #'), "g": URIRef("https://e.org/g")}
    q = 'PREFIX a: <http://a/{x}#> # a { comment\nSELECT ?x WHERE { ?x a:p "}{" . FILTER(?n < 3) }'
    out = bind_values(q, terms)
    assert out.endswith('WHERE { VALUES (?code ?g) { ("x\\" } #" <https://e.org/g>) }  ?x a:p "}{" . FILTER(?n < 3) }')
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert bind_values(construct, terms).startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")
    nested = "SELECT * { { SELECT ?x WHERE { ?x ?p ?o } } }"
    assert bind_values(nested, terms).startswith("SELECT * { VALUES")
    escaped = "SELECT * \\u0057HERE { ?s ?p ?o }"
    assert "WHERE { VALUES" in bind_values(escaped, terms)
    assert bind_values(construct, {}) == construct
    with pytest.raises(Exception, match="WHERE group"):
        bind_values("ASK", terms)
