"""The query library: documented, bound parameters, same rows on both engines, the network guard."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from rolegraph.ask.query import (
    OUTPUT_FORMATS,
    check_local,
    get_spec,
    library,
    parse_param_options,
    run,
    user_spec,
)
from rolegraph.ask.store import OxigraphStore, RdflibStore, Table, open_store, values_block
from rolegraph.errors import QueryError
from rolegraph.pages.model import Page
from tests.helpers import BY_LABEL, INJECTIONS, REAL_FOCUS, REAL_ROLE, socket_audit

EXPECTED_QUERIES = {
    "role",
    "role-skills",
    "roles-with-skill",
    "focus-ladder",
    "focus-pay",
    "pay-by-level",
    "roles-by-soc",
    "sibling-focuses",
    "role-provenance",
    "counts",
    "roles",
    "focus-skills",
    "role-responsibilities",
    "mappings",
    "occupations",
    "levels",
    "focus-rubric",
    "role-description",
    "role-alignments",
    "role-texts",
}


def test_every_query_is_documented() -> None:
    specs = library()
    assert set(specs) == EXPECTED_QUERIES
    for spec in specs.values():
        assert spec.description, spec.name
        assert spec.example.startswith(f"rolegraph query {spec.name}"), spec.name
        assert set(spec.example_params) == {p.name for p in spec.params}, spec.name
        assert all(p.doc for p in spec.params), spec.name
        check_local(spec.text)  # shipped queries never reach the network


@pytest.fixture(scope="module")
def real_stores(real_graph_file: Path) -> tuple[OxigraphStore, RdflibStore]:
    return OxigraphStore.from_file(real_graph_file), RdflibStore(real_graph_file)


def rows(name: str, store: Any, **params: str) -> list[tuple[Any, ...]]:
    return run(get_spec(name), params, store).values()


def test_focus_rubric_is_the_page_rubric(real_stores: tuple[OxigraphStore, RdflibStore], real_page: Page) -> None:
    rubric = rows("focus-rubric", real_stores[0], focus=REAL_FOCUS)
    assert [r[1:2] + r[3:] for r in rubric] == [
        (g.level_code, g.knowledge, g.complexity, g.collaboration, g.degree_years) for g in real_page.guidelines
    ]


def test_role_description_holds_the_role_and_everything_it_names(
    real_stores: tuple[OxigraphStore, RdflibStore], real_graph_file: Path
) -> None:
    """Every triple of the role, of the nodes it owns (pay, review, scores, mappings, rubric row, duties) and of
    the nodes it names (level, focus, function, skills, SOC codes and their groups, source page); nothing else.
    A taxonomist's alignments (seeds/mappings.sssom.tsv) name the role, not the other way round: left out."""
    real_graph = Graph().parse(real_graph_file)
    described = {
        tuple(row)
        for row in real_stores[0].select(get_spec("role-description").text, {"code": Literal(REAL_ROLE)}).rows
    }
    role = URIRef(f"https://w3id.org/rolegraph/id/role/{REAL_ROLE}")
    subjects = {s for s, _, _ in described}
    owned = {s for s in real_graph.subjects() if str(s).startswith(f"{role}/") and "/curated/" not in str(s)}
    named = {
        role,
        *owned,
        URIRef("https://w3id.org/rolegraph/id/level/P7"),
        URIRef(f"https://w3id.org/rolegraph/id/focus/{REAL_FOCUS}"),
        URIRef("https://w3id.org/rolegraph/id/function/DATASC"),
        URIRef("https://w3id.org/rolegraph/id/page/000_cf26a15490124fcc.txt"),
        *(URIRef(f"https://w3id.org/rolegraph/id/soc/2018/{c}") for c in ("15-2051", "15-2050", "15-2000", "15-0000")),
        *real_graph.subjects(RDF.type, URIRef("https://w3id.org/rolegraph/ontology#Skill")),
        *real_graph.subjects(RDF.type, URIRef("https://w3id.org/rolegraph/ontology#SkillRequirement")),
        *real_graph.subjects(RDF.type, URIRef("https://w3id.org/rolegraph/ontology#FocusDistinction")),
        *(URIRef(f"https://w3id.org/rolegraph/id/focus/DATASC/{s}") for s in ("data-engineering", "data-science")),
    }
    assert subjects == named

    def values(triples: Any) -> set[tuple[object, ...]]:  # Oxigraph writes decimals canonically ("4", not "4.0")
        return {tuple(t.toPython() if isinstance(t, Literal) else t for t in triple) for triple in triples}

    assert values(described) == values(t for t in real_graph if t[0] in named)


def test_examples_on_the_real_page(real_stores: tuple[OxigraphStore, RdflibStore]) -> None:
    ox, _ = real_stores
    role = rows("role", ox, code=REAL_ROLE)
    assert len(role) == 1
    assert role[0][:6] == (
        REAL_ROLE,
        "AI / Machine Learning Engineering — P7",
        "Data Science & Analytics",
        "AI / Machine Learning Engineering",
        "P7",
        "Staff / Distinguished Professional",
    )
    assert role[0][6:] == (15, 22, "approved", role[0][9], 231000, 182000, 294000, "USD")
    assert str(role[0][9]) == "0.8"
    skills = rows("role-skills", ox, code=REAL_ROLE)
    assert len(skills) == 13 and skills[3][1:] == ("MLOps", skills[3][2])
    assert skills[0][1] == "Data preprocessing & feature engineering"
    with_skill = rows("roles-with-skill", ox, skill="MLOps")
    assert rows("roles-with-skill", ox, skill="mlops") == with_skill  # the stored name, found in any case
    assert [r[1] for r in with_skill] == [f"{REAL_FOCUS}.P{n}" for n in range(2, 8)]
    ladder = rows("focus-ladder", ox, focus=REAL_FOCUS)
    assert len(ladder) == 30 and ladder[0][1:4] == ("P2", f"{REAL_FOCUS}.P2", 1)
    assert ladder[-1][4].startswith("Networks with executives")
    pay = rows("pay-by-level", ox, function="DATASC")
    assert [r[1:] for r in pay] == [("P7", "P", 7, "USD", 1, 231000, 231000, 182000, 294000)]
    for soc in ("15-2051", "15-2050", "15-2000", "15-0000"):
        assert [r[1] for r in rows("roles-by-soc", ox, soc=soc)] == [REAL_ROLE], soc
    assert rows("roles-by-soc", ox, soc="13-0000") == []
    siblings = rows("sibling-focuses", ox, focus=REAL_FOCUS)
    assert [(r[1], r[2]) for r in siblings] == [("Data Engineering", None), ("Data Science", None)]
    provenance = rows("role-provenance", ox, code=REAL_ROLE)
    assert [r[1] for r in provenance] == [
        "Level differentiation",
        "Focus specificity",
        "Concreteness",
        "Factual accuracy",
        "Real-world coverage",
    ]
    assert {r[5:] for r in provenance} == {(True, 15, "000_cf26a15490124fcc.txt", "000_cf26a15490124fcc.txt:3")}
    counts = dict(rows("counts", ox))
    assert counts["https://w3id.org/rolegraph/ontology#Role"] == 6
    assert counts["https://w3id.org/rolegraph/ontology#Skill"] == 13
    assert counts["https://w3id.org/rolegraph/ontology#Responsibility"] == 30
    roles = rows("roles", ox)
    assert [r[0] for r in roles] == [f"{REAL_FOCUS}.P{n}" for n in range(2, 8)]
    assert roles[-1][1:] == (
        "AI / Machine Learning Engineering — P7",
        "DATASC",
        "Data Science & Analytics",
        REAL_FOCUS,
        "AI / Machine Learning Engineering",
        "P7",
        "P",
        7,
        None,
    )
    focus_skills = rows("focus-skills", ox)
    assert len(focus_skills) == 13 and focus_skills[0] == (REAL_FOCUS, "Data preprocessing & feature engineering")
    responsibilities = rows("role-responsibilities", ox, code=f"{REAL_FOCUS}.P5")
    assert len(responsibilities) == 5 and responsibilities[0][2].startswith("Drives research and development")


def all_examples() -> Iterator[tuple[str, dict[str, str]]]:
    for name, spec in library().items():
        yield name, spec.example_params


@pytest.mark.parametrize(("name", "params"), list(all_examples()))
def test_engines_agree_on_the_examples(
    name: str, params: dict[str, str], real_stores: tuple[OxigraphStore, RdflibStore]
) -> None:
    ox, rl = real_stores
    found = rows(name, ox, **params)
    assert found  # the examples name the real page's codes: every one has an answer there
    assert found == rows(name, rl, **params)


@pytest.fixture(scope="module")
def synth_params(synth_graph: Path) -> dict[str, str]:
    """Parameter values from the generated corpus's own pages (the examples' codes are the real page's, which
    that corpus lacks): a role with pay, skills, mappings and aliases whose focus names sibling focuses."""
    from rolegraph.api import parse_pages

    pages, _ = parse_pages([synth_graph.parents[1] / "seeds"])
    page = next(p for p in pages if p.pay and p.skills and p.mappings and p.aliases and p.focus.distinct_from)
    soc = next(m.code for m in page.mappings if m.scheme == "O*NET / SOC")
    return {
        "code": page.role_code,
        "focus": page.focus.code,
        "function": page.function.code,
        "soc": soc,
        "skill": page.skills[0].name,
    }


# the generated corpus has no curated mappings file and no alignments: the real page's graph has both
ONLY_REAL: Final = {"role-alignments"}


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES - ONLY_REAL))
def test_engines_agree_on_the_generated_corpus(
    name: str, synth_params: dict[str, str], synth_stores: tuple[OxigraphStore, RdflibStore]
) -> None:
    params = {p.name: synth_params[p.name] for p in get_spec(name).params}
    ox, rl = synth_stores
    found = rows(name, ox, **params)
    assert found, params  # no exceptions: the corpus gives every query rows, so the engines compare real answers
    assert found == rows(name, rl, **params)


@pytest.fixture(scope="module")
def synth_stores(synth_graph: Path) -> tuple[OxigraphStore, RdflibStore]:
    return OxigraphStore.from_file(synth_graph), RdflibStore(synth_graph)


def test_queries_on_the_generated_corpus(synth_graph: Path) -> None:
    store = open_store(synth_graph)
    roles = rows("roles", store)
    functions = {r[2] for r in roles}
    assert len(functions) == 12
    assert {r[7] for r in roles} == {"P", "M"}
    code = roles[0][0]
    assert len(rows("role", store, code=code)) == 1
    assert rows("role-skills", store, code=code)
    some_function = sorted(functions)[0]
    assert rows("pay-by-level", store, function=some_function)
    assert rows("roles-by-soc", store, soc="15-0000")


@pytest.fixture(scope="module")
def varied_pay(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Page], Path]:
    """A generated corpus whose pages each get their own pay (the generator gives one focus's levels one
    ladder, so roles at a level often share it): groups of up to four roles where MIN, MAX and a sample differ."""
    import random
    from dataclasses import replace

    from bench.render import render_page
    from bench.synth import generate_pages
    from rolegraph import api
    from rolegraph.pages.model import Pay

    root = tmp_path_factory.mktemp("pay")
    (root / "seeds").mkdir()
    rng = random.Random(13)  # noqa: S311 - test data, not secrets
    for generated in generate_pages(200, seed=3):
        page = generated
        if page.pay is not None:
            median = rng.randrange(60, 400) * 1000
            pay = Pay(
                median, median - rng.randrange(1, 60) * 1000, median + rng.randrange(1, 90) * 1000, page.pay.currency
            )
            page = replace(page, pay=pay)
        (root / "seeds" / page.path).write_text(render_page(page), encoding="utf-8")
    pages, errors = api.parse_pages([root / "seeds"])
    assert errors == []
    api.build([root / "seeds"], root / "graph", validate=False)
    return pages, root / "graph" / "rolegraph.ttl"


def test_pay_by_level_aggregates_every_role_at_the_level(varied_pay: tuple[list[Page], Path]) -> None:
    """Count, lowest and highest median, lowest low and highest high, per (level, currency), as computed here
    from the parsed pages, for every function, on both engines."""
    pages, graph = varied_pay
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for page in pages:
        if page.pay is not None:
            groups.setdefault((page.function.code, page.level.code, page.pay.currency), []).append(page.pay)
    expected = {
        key: (
            len(pays),
            min(p.median for p in pays),
            max(p.median for p in pays),
            min(p.low for p in pays),
            max(p.high for p in pays),
        )
        for key, pays in groups.items()
    }
    telling = [
        pays for pays in groups.values() if len({p.median for p in pays}) >= 3 and len({p.low for p in pays}) >= 3
    ]
    assert len(telling) >= 5  # groups where MIN, MAX and any one sample all differ
    for store in (OxigraphStore.from_file(graph), RdflibStore(graph)):
        found = {}
        for function in sorted({page.function.code for page in pages}):
            for row in rows("pay-by-level", store, function=function):
                assert row[0] == function
                found[(row[0], row[1], row[4])] = row[5:]
        assert found == expected, type(store).__name__


@pytest.mark.parametrize("value", [v for v in INJECTIONS if "\x00" not in v])  # NUL: refused (hardening)
def test_injection_strings_change_nothing(value: str, real_stores: tuple[OxigraphStore, RdflibStore]) -> None:
    for store in real_stores:
        before = rows("counts", store)
        with pytest.raises(QueryError, match="no skill named"):  # matched against the names, never pasted
            rows("roles-with-skill", store, skill=value)
        assert run(BY_LABEL, {"name": value}, store).values() == []  # a string parameter, bound as it is
        assert rows("counts", store) == before
    with pytest.raises(QueryError, match="expected a role code"):
        get_spec("role").bind({"code": value})


def test_parameter_errors_list_what_is_expected() -> None:
    spec = get_spec("role")
    with pytest.raises(QueryError, match=r"missing parameter 'code'; expected parameters: code \(role-code"):
        spec.bind({})
    with pytest.raises(QueryError, match=r"unknown parameter 'level'; expected parameters: code"):
        spec.bind({"code": REAL_ROLE, "level": "P7"})
    with pytest.raises(QueryError, match="did you mean role"):
        get_spec("rol")
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_param_options(["code"])
    assert get_spec("role").bind({"code": REAL_ROLE}) == {"code": Literal(REAL_ROLE)}


def test_values_block_serialises_terms() -> None:
    block = values_block({"b": Literal('x" } ; DROP ALL ; #'), "a": URIRef("https://example.org/a")})
    assert block == 'VALUES (?a ?b) { (<https://example.org/a> "x\\" } ; DROP ALL ; #") }'
    assert values_block({}) == ""
    with pytest.raises(QueryError, match="IRI without spaces"):
        values_block({"a": URIRef("https://example.org/a> } DROP ALL {")})
    with pytest.raises(QueryError, match="variable name"):
        values_block({"a b": Literal("x")})


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { S\\u0045RVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * \\u0046ROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "L\\u004FAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_network_is_refused_without_opening_a_socket(text: str, tmp_path: Path, real_graph_file: Path) -> None:
    from click.testing import CliRunner

    from rolegraph.cli import cli

    query_file = tmp_path / "q.rq"
    query_file.write_text(text, encoding="utf-8")
    events: list[str] = []
    with socket_audit(events):
        result = CliRunner().invoke(cli, ["query", "--file", str(query_file), "--graph", str(real_graph_file)])
    assert result.exit_code == 2, result.output
    assert "expected a " in result.stderr and ("network" in result.stderr or "updates" in result.stderr)
    assert events == []


def test_audit_hook_sees_sockets() -> None:
    """Guard for the test above: the hook does record a socket being opened."""
    import socket

    events: list[str] = []
    with socket_audit(events):
        socket.socket().close()
    assert "socket.__new__" in events


def test_allow_network_lets_the_query_through(real_graph_file: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text(
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/rolegraph/nothing> WHERE { ?s ?p ?o }", encoding="utf-8"
    )
    spec = user_spec(query_file)
    with pytest.raises(QueryError, match="network"):
        run(spec, {}, open_store(real_graph_file))
    table = run(spec, {}, open_store(real_graph_file), allow_network=True)
    assert table.values() == [(0,)]


def test_output_formats() -> None:
    table = Table(("a", "b"), ((Literal("x,y"), URIRef("https://e.org/1")), (Literal(3), None)))
    parsed = json.loads(OUTPUT_FORMATS["json"](table))
    assert parsed["head"]["vars"] == ["a", "b"]
    assert parsed["results"]["bindings"][1] == {
        "a": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    }
    assert OUTPUT_FORMATS["csv"](table) == 'a,b\n"x,y",https://e.org/1\n3,\n'
    assert OUTPUT_FORMATS["tsv"](table) == "a\tb\nx,y\thttps://e.org/1\n3\t\n"
    assert "(2 rows)" in OUTPUT_FORMATS["table"](table)
