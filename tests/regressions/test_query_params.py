"""Issue #12, items 6 and 7: `query` parameters as forgiving as the rest of the CLI, checked before the graph loads.

- Codes are case-insensitive everywhere else: `-p code=datasc.aimachin97c0.p7` failed its pattern.
- `roles-with-skill -p skill=mlops` gave 0 rows and no hint; skill names now match in any case,
  and a name that matches none lists the closest ones (exit 2, like an unknown role).
- A bad parameter was refused only after the graph was loaded (27 s on a 10,000-page graph).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

from rolegraph.ask.query import get_spec, run
from rolegraph.ask.remote import Endpoint, push
from rolegraph.ask.store import OxigraphStore
from rolegraph.cli import cli
from rolegraph.errors import EXIT_BAD_INPUT, QueryError
from tests.helpers import REAL_FOCUS, REAL_ROLE
from tests.servers import oxigraph_server

ML_ROLES = [f"{REAL_FOCUS}.P{n}" for n in range(2, 8)]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def codes(out: str) -> list[str]:
    return [line.split(",")[1] for line in out.splitlines()[1:]]


# -- codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "param", "value", "column"),
    [
        ("role", "code", REAL_ROLE.lower(), 0),
        ("role", "code", f"  {REAL_ROLE.lower()} ", 0),
        ("focus-ladder", "focus", REAL_FOCUS.lower(), 0),
        ("pay-by-level", "function", "datasc", 0),
    ],
)
def test_codes_in_any_case(real_graph_file: Path, query: str, param: str, value: str, column: int) -> None:
    code, out, err = invoke("query", query, "-p", f"{param}={value}", "--graph", str(real_graph_file), "-f", "csv")
    assert code == 0, err
    rows = out.splitlines()[1:]
    assert rows, out
    assert all(row.split(",")[column].startswith(value.strip().upper()) for row in rows), out


def test_codes_are_bound_upper_case() -> None:
    assert get_spec("role").bind({"code": REAL_ROLE.lower()}) == {"code": Literal(REAL_ROLE)}
    assert get_spec("focus-ladder").bind({"focus": "datasc.aimachin97c0"}) == {"focus": Literal(REAL_FOCUS)}
    with pytest.raises(QueryError, match=r"parameter 'code': expected a role code .*found 'datasc\.p7'"):
        get_spec("role").bind({"code": "datasc.p7"})  # the user's own text in the error


# -- skills ---------------------------------------------------------------------------------------


def test_skill_in_any_case(real_graph_file: Path) -> None:
    for value in ("MLOps", "mlops", "MLOPS", " mlOps "):
        code, out, err = invoke(
            "query", "roles-with-skill", "-p", f"skill={value}", "--graph", str(real_graph_file), "-f", "csv"
        )
        assert code == 0, err
        assert codes(out) == ML_ROLES, value
        assert all(line.startswith("MLOps,") for line in out.splitlines()[1:])


def test_unknown_skill_lists_the_closest_names(real_graph_file: Path) -> None:
    code, out, err = invoke("query", "roles-with-skill", "-p", "skill=ml ops", "--graph", str(real_graph_file))
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert "no skill named 'ml ops'; closest: MLOps" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = invoke("query", "roles-with-skill", "-p", "skill=python", "--graph", str(real_graph_file))
    assert code == EXIT_BAD_INPUT
    assert "no skill named 'python'; closest: Programming (Python" in err
    code, _, err = invoke("query", "roles-with-skill", "-p", "skill=zzzzqqq", "--graph", str(real_graph_file))
    assert code == EXIT_BAD_INPUT
    assert "no skill named 'zzzzqqq'" in err and "closest" not in err and "focus-skills" in err


def test_skills_that_differ_only_in_case_are_named(tmp_path: Path) -> None:
    """An unvalidated graph may hold both; the user is asked to pick, not given one at random."""
    from rolegraph.ask.query import resolve_names

    graph = tmp_path / "two.ttl"
    graph.write_text(
        "@prefix rg: <https://w3id.org/rolegraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:a> a rg:Skill ; skos:prefLabel "Go" .\n<urn:b> a rg:Skill ; skos:prefLabel "GO" .\n',
        encoding="utf-8",
    )
    store = OxigraphStore.from_file(graph)
    spec = get_spec("roles-with-skill")
    assert resolve_names(spec, {"skill": Literal("GO")}, store) == {"skill": Literal("GO")}  # exact wins
    with pytest.raises(QueryError, match="expected one skill, found 2 named 'go': GO, Go"):
        resolve_names(spec, {"skill": Literal("go")}, store)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, real_graph_file: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        push(real_graph_file, Endpoint(url))
        yield url


def test_skill_in_any_case_on_a_remote_store(endpoint: str) -> None:
    code, out, err = invoke("query", "roles-with-skill", "-p", "skill=mlops", "--endpoint", endpoint, "-f", "csv")
    assert code == 0, err
    assert codes(out) == ML_ROLES
    code, out, err = invoke("query", "roles-with-skill", "-p", "skill=ml-ops", "--endpoint", endpoint)
    assert code == EXIT_BAD_INPUT
    assert "no skill named 'ml-ops'; closest: MLOps" in err
    code, out, err = invoke("query", "role", "-p", f"code={REAL_ROLE.lower()}", "--endpoint", endpoint, "-f", "csv")
    assert code == 0 and out.splitlines()[1].startswith(REAL_ROLE + ","), err


def test_run_resolves_skills_for_api_users(real_graph_file: Path) -> None:
    store = OxigraphStore.from_file(real_graph_file)
    rows = run(get_spec("roles-with-skill"), {"skill": "mlops"}, store).values()
    assert [r[1] for r in rows] == ML_ROLES


# -- checked before the graph is read -------------------------------------------------------------


@pytest.fixture
def unloadable(tmp_path: Path) -> Path:
    """A graph file that fails to load: any error about it means it was read first."""
    path = tmp_path / "broken.ttl"
    path.write_text("this is not turtle {{{\n", encoding="utf-8")
    code, _, err = invoke("query", "roles", "--graph", str(path))
    assert code == EXIT_BAD_INPUT and "broken.ttl:1: expected valid turtle" in err
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["role", "-p", "code=not-a-code"], "parameter 'code': expected a role code"),
        (["role"], "missing parameter 'code'"),
        (["role", "-p", f"code={REAL_ROLE}", "-p", "level=P7"], "unknown parameter 'level'"),
        (["rol"], "expected a query name from queries/, found 'rol'"),
        (["role", "-p", "code"], "expected --param NAME=VALUE"),
        (["roles-by-soc", "-p", "soc=15"], "parameter 'soc': expected a SOC 2018 code"),
        (["role", "-p", "code=" + "A" * 2000], "expected at most 1000 characters"),
    ],
)
def test_parameters_are_checked_before_the_graph_is_read(args: list[str], expected: str, unloadable: Path) -> None:
    code, out, err = invoke("query", *args, "--graph", str(unloadable))
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert expected in err, err
    assert "broken.ttl" not in err


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("# n.\n# param n: integer  how many\nSELECT ?n WHERE { }", ["n=three"], "parameter 'n': expected an integer"),
        ("# n.\n# param n: decimal  a number\nSELECT ?n WHERE { }", ["n=1,5"], "expected a decimal number"),
        ("# x.\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", [], "found SERVICE"),
        ("# x.\nSELECT * WHERE { ?s ?p }", [], "expected a valid SPARQL query"),
        ("# x.\n# param x: wrong-type  what\nSELECT * WHERE { }", [], "expected a parameter type"),
    ],
)
def test_a_query_file_is_checked_before_the_graph_is_read(
    text: str, params: list[str], expected: str, unloadable: Path, tmp_path: Path
) -> None:
    query_file = tmp_path / "mine.rq"
    query_file.write_text(text, encoding="utf-8")
    options = [arg for p in params for arg in ("-p", p)]
    code, _, err = invoke("query", "--file", str(query_file), *options, "--graph", str(unloadable))
    assert code == EXIT_BAD_INPUT
    assert expected in err, err
    assert "broken.ttl" not in err


def test_other_commands_check_their_options_before_the_graph_is_read(unloadable: Path, tmp_path: Path) -> None:
    code, _, err = invoke("draw", REAL_ROLE, "-o", str(tmp_path / "x.gif"), "--graph", str(unloadable))
    assert code == EXIT_BAD_INPUT and "expected a file name ending in .png" in err, err
    code, _, err = invoke("nearest", REAL_ROLE, "--set", "nope=1", "--graph", str(unloadable))
    assert code == EXIT_BAD_INPUT and "expected --set NAME=VALUE" in err, err
