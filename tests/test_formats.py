"""Issue #14, item 1: one light registry of formats and engines, and a working writer or reader behind every entry.

Each test is parametrized over a kind of :mod:`rolegraph.formats`, so a new entry is tested (or fails)
the day it is added: RDF syntaxes round-trip the published graph, every export writes something its
media type's reader accepts, every query output renders a table, and every media type and alias
the SPARQL endpoint offers is served by a live request.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result
from starlette.testclient import TestClient

from rolegraph import formats
from rolegraph.cli import cli
from rolegraph.graph.io import FORMATS, load_graph
from rolegraph.graph.vocab import RDF, RG
from tests.helpers import REAL_ROLE

HEAVY = ("rdflib", "pyoxigraph", "pyshacl", "pyshacl_turbo", "networkx", "numpy", "starlette", "jinja2", "uvicorn")

#: an independent reader (rdflib, not the Oxigraph that writes) for each primary media type
RDF_READERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
RESULT_READERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


# -- the registry itself ----------------------------------------------------------------------


@pytest.mark.parametrize("module", ["rolegraph.formats", "rolegraph.cli"])
def test_the_registry_and_the_cli_import_nothing_heavy(module: str) -> None:
    code = f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}}))"
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", code], text=True).replace("'", '"')))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


KINDS = {
    "RDF_SYNTAXES": formats.RDF_SYNTAXES,
    "EXPORTS": formats.EXPORTS,
    "QUERY_OUTPUTS": formats.QUERY_OUTPUTS,
    "ANSWER_OUTPUTS": formats.ANSWER_OUTPUTS,
    "ENDPOINT_RESULTS": formats.ENDPOINT_RESULTS,
    "ENDPOINT_GRAPHS": formats.ENDPOINT_GRAPHS,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_entry_has_an_extension_and_a_media_type_and_no_two_share_a_name(kind: str) -> None:
    entries = KINDS[kind]
    for name, f in entries.items():
        assert f.name == name
        assert f.extensions and all(e.startswith(".") for e in f.extensions), f
        assert f.media_types and all("/" in m and ";" not in m for m in f.media_types), f
    if kind.startswith("ENDPOINT"):  # negotiated: a media type or an alias picks one format
        accepted = [m for f in entries.values() for m in f.media_types]
        aliases = [a for f in entries.values() for a in f.aliases]
        assert len(accepted) == len(set(accepted)), "a media type names two formats"
        assert len(aliases) == len(set(aliases)) and not set(aliases) & set(entries), "an alias names two formats"


def test_the_default_paths_are_one_graph_in_one_folder() -> None:
    assert Path("graph") / "rolegraph.ttl" == formats.DEFAULT_GRAPH
    assert formats.DEFAULT_GRAPH.parent == formats.DEFAULT_OUT
    assert formats.published_files() == ("rolegraph.ttl", "rolegraph.jsonld", "void.ttl")
    assert set(formats.PUBLISHED) <= set(formats.RDF_SYNTAXES)
    assert formats.DEFAULT_SHACL_ENGINE in formats.SHACL_ENGINES
    assert formats.DEFAULT_QUERY_ENGINE in formats.QUERY_ENGINES


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("x.sssom.tsv", "sssom"),
        ("OUT.GRAPHML", "graphml"),
        ("roles.csv", "csv"),
        ("g.ttl", "turtle"),
        ("g.nt", "ntriples"),
        ("g.jsonld", None),  # schema-org or jsonld: the name does not say
        ("g.json", None),
        ("g.tsv", None),
        ("g", None),
    ],
)
def test_an_output_name_implies_the_one_export_that_writes_it(path: str, expected: str | None) -> None:
    from rolegraph.publish.export import format_for_path

    assert formats.export_for_path(path) == format_for_path(path) == expected


# -- the CLI reads it -------------------------------------------------------------------------


def _choices(command: str, option: str) -> list[str]:
    cmd = cli.commands[command]
    found = [p for p in cmd.params if option in p.opts]
    assert len(found) == 1, (command, option)
    assert isinstance(found[0].type, click.Choice)
    return [str(c) for c in found[0].type.choices]


@pytest.mark.parametrize(
    ("command", "option", "kind"),
    [
        ("validate", "--syntax", formats.RDF_SYNTAXES),
        *((command, "--format", formats.ANSWER_OUTPUTS) for command in ("distance", "nearest", "path", "compare")),
        ("queries", "--format", formats.ANSWER_OUTPUTS),
        ("export", "--format", formats.EXPORTS),
        ("query", "--format", formats.QUERY_OUTPUTS),
        ("query", "--engine", formats.QUERY_ENGINES),
        ("build", "--shacl-engine", formats.SHACL_ENGINES),
        ("validate", "--shacl-engine", formats.SHACL_ENGINES),
    ],
)
def test_each_cli_choice_is_a_registry_kind_in_its_order(command: str, option: str, kind: Iterable[str]) -> None:
    assert _choices(command, option) == list(kind)
    help_text = " ".join(invoke(command, "--help").stdout.split())
    assert "[" + "|".join(kind) + "]" in help_text


def test_validate_format_is_the_answers_and_still_reads_the_old_syntax_names() -> None:
    """``validate -f`` is text|json as on every answer; ``-f turtle`` (its old meaning) warns and reads Turtle."""
    assert _choices("validate", "--format") == [*formats.ANSWER_OUTPUTS, *formats.RDF_SYNTAXES]
    help_text = " ".join(invoke("validate", "--help").stdout.split())
    assert "-f, --format [text|json]" in help_text and "--syntax [turtle|jsonld|ntriples]" in help_text


def test_export_help_lists_every_export_with_its_description() -> None:
    lines = [" ".join(line.split()) for line in invoke("export", "--help").stdout.splitlines()]
    for f in formats.EXPORTS.values():
        assert any(f.name in line.split(f.description)[0] for line in lines if f.description in line), f.name


def test_the_help_names_the_default_paths_and_the_implying_extensions() -> None:
    export = " ".join(invoke("export", "--help").stdout.split())
    assert "from the -o file name: .sssom.tsv, .graphml, .csv, .ttl, .nt" in export
    assert "[graph/rolegraph.ttl]" in export
    build = " ".join(invoke("build", "--help").stdout.split())
    assert "Folder for rolegraph.ttl, rolegraph.jsonld and void.ttl." in build
    push = " ".join(invoke("push", "--help").stdout.split())
    assert f"--named-graph IRI Named graph to replace [{formats.DEFAULT_GRAPH_IRI}]" in push


# -- every entry works --------------------------------------------------------------------------


@pytest.mark.parametrize("name", formats.RDF_SYNTAXES)
def test_every_rdf_syntax_round_trips_the_published_graph(name: str, real_graph_file: Path, tmp_path: Path) -> None:
    published = load_graph(real_graph_file)
    data = FORMATS[name].write(sorted(published))  # grouped by subject, as the writers expect
    for extension in formats.RDF_SYNTAXES[name].extensions:  # each one it is read from
        path = tmp_path / f"copy{extension}"
        path.write_bytes(data)
        assert isomorphic(load_graph(path), published), (name, extension)
    other = Graph().parse(data=data, format=RDF_READERS[formats.RDF_SYNTAXES[name].media_type])
    assert isomorphic(other, published), name


def _read_export(media_type: str, data: bytes) -> int:
    """How many records ``data`` holds, read as ``media_type`` by a reader other than ours."""
    text = data.decode("utf-8")
    if media_type == "application/ld+json" and isinstance(json.loads(text)["@context"], str):
        document = json.loads(text)  # schema.org's context is remote: read as JSON, never fetched
        return len(document.get("@graph", [document]))
    if media_type in RDF_READERS:
        return len(Graph().parse(data=text, format=RDF_READERS[media_type]))
    if media_type == "text/csv":
        return len(list(csv.DictReader(io.StringIO(text))))
    if media_type == "text/tab-separated-values":
        return len([line for line in text.splitlines() if line and not line.startswith("#")]) - 1
    if media_type == "application/graphml+xml":
        return int(nx.read_graphml(io.BytesIO(data)).number_of_nodes())
    raise AssertionError(f"no reader for {media_type} in this test: add one with the new export")


@pytest.mark.parametrize("name", formats.EXPORTS)
def test_every_export_writes_what_its_media_type_reads(name: str, real_graph_file: Path, tmp_path: Path) -> None:
    f = formats.EXPORTS[name]
    out = tmp_path / f"out{f.extension}"
    implied = formats.export_for_path(out.name) == name
    args = ["export", "--graph", str(real_graph_file), "-o", str(out)] + ([] if implied else ["--format", name])
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out} ({name})" in result.stderr
    assert _read_export(f.media_type, out.read_bytes()) > 0
    if f.takes_role:
        one = invoke("export", "--graph", str(real_graph_file), "--format", name, REAL_ROLE)
        assert one.exit_code == 0, one.stderr
        assert 0 < _read_export(f.media_type, one.stdout_bytes) <= _read_export(f.media_type, out.read_bytes())


def _read_output(name: str, text: str) -> list[str]:
    """The ``code`` column of ``rolegraph query roles`` output in format ``name``."""
    if name == "table":
        lines = text.splitlines()
        assert lines[-1].endswith("rows)")
        return [line.split()[0] for line in lines[2:-1]]
    media = formats.QUERY_OUTPUTS[name].media_type
    if media == "application/sparql-results+json":
        result = Result.parse(io.StringIO(text), format="json")
        return [str(row[0]) for row in result]  # type: ignore[index]
    if media in {"text/csv", "text/tab-separated-values"}:  # plain values, a header row first
        rows = list(csv.reader(io.StringIO(text), delimiter="," if media == "text/csv" else "\t"))
        assert rows[0][0] == "code"
        return [row[0] for row in rows[1:]]
    raise AssertionError(f"no reader for {name} in this test: add one with the new output")


@pytest.mark.parametrize("name", formats.QUERY_OUTPUTS)
def test_every_query_output_renders_the_same_table(name: str, real_graph_file: Path) -> None:
    result = invoke("query", "roles", "--graph", str(real_graph_file), "--format", name)
    assert result.exit_code == 0, result.stderr
    assert REAL_ROLE in _read_output(name, result.stdout)


@pytest.mark.parametrize("engine", formats.QUERY_ENGINES)
def test_every_query_engine_answers_the_same(engine: str, real_graph_file: Path) -> None:
    args = ("query", "role", "-p", f"code={REAL_ROLE}", "--graph", str(real_graph_file), "-f", "csv")
    result = invoke(*args, "--engine", engine)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == invoke(*args).stdout and REAL_ROLE in result.stdout


@pytest.mark.parametrize("engine", formats.SHACL_ENGINES)
def test_every_shacl_engine_validates_the_published_graph(engine: str, real_graph_file: Path) -> None:
    result = invoke("validate", str(real_graph_file), "--shacl-engine", engine)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{real_graph_file}: conforms\n"


# -- the SPARQL endpoint serves every media type and alias ------------------------------------


@pytest.fixture(scope="module")
def client(real_graph_file: Path) -> Iterator[TestClient]:
    from rolegraph.api import Session
    from rolegraph.web.app import create_app

    with TestClient(create_app(Session.open(real_graph_file), real_graph_file), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def roles(real_graph_file: Path) -> int:
    return len(set(load_graph(real_graph_file).subjects(RDF.type, RG.Role)))


SELECT = "SELECT ?role WHERE { ?role a <https://w3id.org/rolegraph/ontology#Role> }"
CONSTRUCT = "CONSTRUCT { ?role a <https://w3id.org/rolegraph/ontology#Role> } WHERE { ?role a <https://w3id.org/rolegraph/ontology#Role> }"

Check = Callable[[bytes], int]


def _count_results(media: str) -> Check:
    return lambda body: len(list(Result.parse(io.BytesIO(body), format=RESULT_READERS[media])))


def _count_triples(media: str) -> Check:
    return lambda body: len(Graph().parse(data=body.decode("utf-8"), format=RDF_READERS[media]))


ENDPOINT_CASES = [
    (query, f.name, asked, how, f.content_type, count(f.media_type))
    for query, kind, count in [
        (SELECT, formats.ENDPOINT_RESULTS, _count_results),
        (CONSTRUCT, formats.ENDPOINT_GRAPHS, _count_triples),
    ]
    for f in kind.values()
    for asked, how in [(m, "accept") for m in f.media_types] + [(a, "format") for a in (f.name, *f.aliases)]
]


@pytest.mark.parametrize(
    ("query", "name", "asked", "how", "content_type", "count"),
    ENDPOINT_CASES,
    ids=[f"{case[1]}-{case[3]}-{case[2]}" for case in ENDPOINT_CASES],
)
def test_the_endpoint_serves_every_media_type_and_alias(
    client: TestClient, roles: int, query: str, name: str, asked: str, how: str, content_type: str, count: Check
) -> None:
    if how == "accept":
        r = client.get("/sparql", params={"query": query}, headers={"accept": asked})
    else:
        r = client.get("/sparql", params={"query": query, "format": asked})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type, name
    assert count(r.content) == roles > 0
