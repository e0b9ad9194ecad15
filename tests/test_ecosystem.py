"""Fitting the ecosystem: SOC checks, SSSOM, schema.org, the VoID/DCAT description, diff, pictures, GraphML, CSV."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from rolegraph.api import Session
from rolegraph.graph.vocab import RG
from rolegraph.publish.export import GraphSource
from tests.helpers import REAL_FOCUS, REAL_PAGE, REAL_ROLE, SEEDS
from tests.helpers import invoke as run

ID = "https://w3id.org/rolegraph/id/"
# plain Namespaces: rdflib's DefinedNamespace warns when pytest inspects module globals
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


def edited_page(**changes: tuple[str, str]) -> str:
    text = REAL_PAGE.read_text(encoding="utf-8")
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new)
    return text


def build_pages(folder: Path, text: str) -> tuple[int, str, str]:
    (folder / "seeds").mkdir(parents=True)
    (folder / "seeds" / REAL_PAGE.name).write_text(text, encoding="utf-8")
    return run("build", str(folder / "seeds"), "-o", str(folder / "graph"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real page built into a fresh folder (graph/ of the repository may be mid-edit)."""
    out = tmp_path_factory.mktemp("built")
    code, _, err = run("build", str(SEEDS), "-o", str(out))
    assert code == 0, err
    return out / "rolegraph.ttl"


def export(graph: Path, *args: str) -> str:
    code, out, err = run("export", "--graph", str(graph), *args)
    assert code == 0, err
    return out


# -- 1. SOC 2018: an unknown code is a validation error ----------------------------------------------


def test_unknown_soc_code_fails_the_build_naming_the_code(tmp_path: Path) -> None:
    text = edited_page(code=("code=15-2051source", "code=15-9999source"))
    code, out, err = build_pages(tmp_path, text)
    assert code == 1, out + err
    assert "SOC code 15-9999 is not a SOC 2018 group" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "graph" / "rolegraph.ttl").exists()


# -- 2. SSSOM ---------------------------------------------------------------------------------------


def test_sssom_export_is_read_and_validated_by_sssom_py(built: Path, tmp_path: Path) -> None:
    from sssom.constants import DEFAULT_VALIDATION_TYPES
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    target = tmp_path / "rolegraph.sssom.tsv"
    code, _, err = run("export", "--graph", str(built), "-o", str(target))  # format from the file name
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("#curie_map:\n")
    msdf = parse_sssom_table(target)
    assert msdf.metadata["mapping_set_id"] == f"{ID}mappings.sssom.tsv"
    assert msdf.metadata["license"] == "https://spdx.org/licenses/MIT"
    rows = msdf.df.to_dict("records")
    assert rows == [
        {
            "subject_id": f"rgrole:{REAL_ROLE}",
            "subject_label": "AI / Machine Learning Engineering — P7",
            "predicate_id": "skos:broadMatch",
            "object_id": "SOC2018:15-2051",
            "object_label": "Data Scientists",
            "mapping_justification": "semapv:UnspecifiedMatching",
            "mapping_tool": "jfm-factory.resolve",
        }
    ]
    assert msdf.converter.expand(f"rgrole:{REAL_ROLE}") == f"{ID}role/{REAL_ROLE}"
    assert msdf.converter.expand("SOC2018:15-2051") == f"{ID}soc/2018/15-2051"
    reports = validate(msdf, DEFAULT_VALIDATION_TYPES, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports


def test_sssom_rows_follow_the_graph_on_a_larger_corpus(synth_graph: Path) -> None:
    out = export(synth_graph, "--format", "sssom")
    body = [line for line in out.splitlines() if not line.startswith("#")]
    mappings = Graph().parse(synth_graph)
    assert len(body) - 1 == len(set(mappings.subjects(predicate=RG.mappedCode)))
    assert len(body) > 100


# -- 3. schema.org ----------------------------------------------------------------------------------

SCHEMA_CONTEXT = {"@context": {"@vocab": "https://schema.org/", "schema": "https://schema.org/"}}


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: serves schema.org's context locally and refuses every other URL."""
    if url.rstrip("/") in {"https://schema.org", "http://schema.org"}:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": SCHEMA_CONTEXT,
        }
    raise AssertionError(f"the test tried to fetch {url}")


def walk_terms(node: Any, properties: set[str], types: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            walk_terms(item, properties, types)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types.update(value if isinstance(value, list) else [value])
            elif not key.startswith("@"):
                properties.add(key)
            walk_terms(value, properties, types)


def expand(document: Any) -> list[dict[str, Any]]:
    from pyld import jsonld

    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": offline_loader})
    return expanded


def test_schema_org_uses_only_schema_org_terms(built: Path) -> None:
    from rdflib.namespace import SDO  # schema.org's terms, as rdflib lists them

    document = json.loads(export(built, "--format", "schema-org"))
    assert document["@context"] == "https://schema.org/"
    assert len(document["@graph"]) == 6
    expanded = expand(document)
    properties: set[str] = set()
    types: set[str] = set()
    walk_terms(expanded, properties, types)
    assert properties and types
    for iri in properties | types:
        assert URIRef(iri) in SDO, f"{iri} is not a schema.org term"
    assert {f"https://schema.org/{t}" for t in ("Occupation", "MonetaryAmountDistribution", "CategoryCode")} <= types
    occupations = [n for n in expanded if "https://schema.org/Occupation" in n["@type"]]
    assert len(occupations) == 6


def test_schema_org_occupation_of_one_role(built: Path) -> None:
    document = json.loads(export(built, "--format", "schema-org", "AI / Machine Learning Engineering — P7"))
    assert document["@type"] == "Occupation"
    assert document["name"] == "AI / Machine Learning Engineering — P7"
    assert document["description"].startswith("AI / Machine Learning Engineering — builds, trains")
    assert len(document["skills"]) == 13 and document["skills"][3] == {"@type": "DefinedTerm", "name": "MLOps"}
    assert len(document["responsibilities"]) == 5
    assert document["responsibilities"][0].startswith("Sets long-term ML roadmaps")
    assert document["estimatedSalary"] == {
        "@type": "MonetaryAmountDistribution",
        "currency": "USD",
        "duration": "P1Y",
        "median": 231000,
        "minValue": 182000,
        "maxValue": 294000,
    }
    assert document["experienceRequirements"] == {
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": 180,
    }
    (category,) = document["occupationalCategory"]
    assert category["@type"] == "CategoryCode" and category["codeValue"] == "15-2051"
    assert category["inCodeSet"]["name"] == "SOC 2018"
    expanded = expand(document)
    (occupation,) = expanded
    median = occupation["https://schema.org/estimatedSalary"][0]["https://schema.org/median"]
    assert median == [{"@value": 231000}]


def test_schema_org_alternate_names_come_from_aliases(synth_graph: Path) -> None:
    roles = Session.open(synth_graph).catalogue.roles.values()
    aliased = next(r for r in roles if r.aliases)
    document = json.loads(export(synth_graph, "--format", "schema-org", aliased.code))
    assert document["alternateName"] == list(aliased.aliases)


# -- 4. the dataset description -----------------------------------------------------------------------


def test_void_description_counts_the_graph(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    void = Graph().parse(built.parent / "void.ttl")
    graph = Graph().parse(built)
    dataset = URIRef(f"{ID}dataset")
    assert (dataset, VOID.triples, Literal(len(graph))) in void
    assert (dataset, URIRef(f"{DCAT}version"), Literal("0.1.0")) in void
    assert (dataset, DCTERMS.license, URIRef("https://spdx.org/licenses/MIT")) in void
    assert (dataset, DCTERMS.source, URIRef(f"{ID}page/{REAL_PAGE.name}")) in void
    assert (dataset, DCTERMS.created, None) not in void  # no SOURCE_DATE_EPOCH, no date
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities) for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions[RG.Role] == Literal(6)
    assert partitions[RG.Skill] == Literal(13)
    assert all(partitions[c] == Literal(len(set(graph.subjects(None, c)))) for c in partitions if c is not None)
    sizes = {
        str(void.value(d, DCTERMS.title)): void.value(d, DCAT.byteSize)
        for d in void.objects(dataset, DCAT.distribution)
    }
    assert sizes == {
        name: Literal((built.parent / name).stat().st_size) for name in ("rolegraph.ttl", "rolegraph.jsonld")
    }


def test_void_created_comes_from_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("build", str(SEEDS), "-o", str(tmp_path / "a"))[0] == 0
    assert run("build", str(SEEDS), "-o", str(tmp_path / "b"))[0] == 0
    first = (tmp_path / "a" / "void.ttl").read_bytes()
    assert first == (tmp_path / "b" / "void.ttl").read_bytes()
    void = Graph().parse(data=first, format="turtle")
    created = void.value(URIRef(f"{ID}dataset"), DCTERMS.created)
    assert created == Literal("2023-11-14T22:13:20Z", datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path / "c"))
    assert code == 2 and "SOURCE_DATE_EPOCH" in err


# -- 5. diff ----------------------------------------------------------------------------------------


def test_diff_reports_what_changed(built: Path, tmp_path: Path) -> None:
    text = edited_page(
        pay=("$231k ($182k$294k)", "$240k ($182k$294k)"),
        code=("code=15-2051source", "code=15-2041source"),
        skill=("\nMLOps\n", "\nMLOps & monitoring\n"),
        years=(
            "P7 · P7 — Staff / Distinguished Professional · 15–22 yrs",
            "P7 · P7 — Staff / Distinguished Professional · 16–22 yrs",
        ),
        alias=("No title aliases recorded for this profile yet.", "  • Staff ML Engineer"),
    )
    code, _, err = build_pages(tmp_path, text)
    assert code == 0, err
    new = tmp_path / "graph" / "rolegraph.jsonld"  # JSON-LD against Turtle: the same reading
    code, out, err = run("diff", str(built), str(new))
    assert code == 1, err
    assert "pay: 0 added, 0 removed, 1 changed" in out
    assert f"~ {REAL_ROLE}: median '231000' -> '240000'" in out
    assert f"- {REAL_ROLE} O*NET / SOC 15-2051" in out and f"+ {REAL_ROLE} O*NET / SOC 15-2041" in out
    assert "+ MLOps & monitoring" in out and "- MLOps  (focuses" in out
    assert "~ P7: min years '15' -> '16'" in out
    assert f"~ {REAL_ROLE}: aliases '' -> 'Staff ML Engineer'" in out
    code, out, _ = run("diff", str(built), str(new), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["changed"] is True
    assert report["summary"]["mappings"] == {"added": 1, "removed": 1, "changed": 0}
    assert report["sections"]["pay"]["changed"] == [
        {"key": REAL_ROLE, "fields": {"median": {"old": "231000", "new": "240000"}}}
    ]


def test_diff_exit_codes_and_git_revisions(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("diff", str(built), str(built.with_suffix(".jsonld")))
    assert (code, out.strip().endswith("no differences")) == (0, True)
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(built, repo / "g.ttl")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "g.ttl"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], cwd=repo, check=True)
    (repo / "g.ttl").write_text(
        built.read_text(encoding="utf-8").replace("schema:median 231000", "schema:median 230000"), encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "HEAD:g.ttl", "g.ttl")
    assert code == 1, err
    assert "median '231000' -> '230000'" in out
    for bad in ("nowhere.ttl", "HEAD:missing.ttl", "nosuchrev:g.ttl", "HEAD:g.txt"):
        code, out, err = run("diff", bad, "g.ttl")
        assert code == 2, (bad, out, err)
        assert err.startswith(f"error: {bad}") and "Traceback" not in err


# -- 6. pictures ------------------------------------------------------------------------------------


def test_draw_a_ladder_and_a_role(built: Path, tmp_path: Path) -> None:
    code, out, err = run("draw", REAL_FOCUS, "--graph", str(built), "-o", str(tmp_path / "ladder.png"))
    assert code == 0, err
    assert "ladder of" in out
    png = (tmp_path / "ladder.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 200_000
    svgs = []
    for n in (1, 2):
        code, _, err = run(
            "draw", "AI / Machine Learning Engineering — P5", "--graph", str(built), "-o", str(tmp_path / f"r{n}.svg")
        )
        assert code == 0, err
        svgs.append((tmp_path / f"r{n}.svg").read_bytes())
    assert svgs[0] == svgs[1]  # no dates, fixed ids: the same graph draws the same file
    assert b"<svg" in svgs[0] and b"DATASC.AIMACHIN97C0.P5" in svgs[0]
    code, _, err = run("draw", REAL_FOCUS, "--graph", str(built), "-o", str(tmp_path / "x.jpg"))
    assert code == 2 and "expected a file name ending in .png" in err
    code, _, err = run("draw", "no such thing", "--graph", str(built), "-o", str(tmp_path / "x.png"))
    assert code == 2 and "expected a focus or a role" in err


def test_draw_a_pdf_and_a_ladder_coloured_from_another_role(built: Path, tmp_path: Path) -> None:
    pdfs = []
    for n in (1, 2):
        out = tmp_path / f"ladder{n}.pdf"
        code, _, err = run("draw", REAL_FOCUS, "--graph", str(built), "-o", str(out))
        assert code == 0, err
        pdfs.append(out.read_bytes())
    assert pdfs[0].startswith(b"%PDF-") and pdfs[0].rstrip().endswith(b"%%EOF")
    assert pdfs[0] == pdfs[1]  # no creation date: the same graph draws the same file
    titles = {}
    for reference in (None, "AI / Machine Learning Engineering — P2"):
        out = tmp_path / f"from-{reference is None}.svg"
        extra = ("--from", reference) if reference else ()
        code, _, err = run("draw", REAL_FOCUS, *extra, "--graph", str(built), "-o", str(out))
        assert code == 0, err
        svg = out.read_text(encoding="utf-8")
        titles[reference] = re.findall(r"coloured by band from (\S+?) ?-->", svg)
    assert titles == {None: [REAL_ROLE], "AI / Machine Learning Engineering — P2": [f"{REAL_FOCUS}.P2"]}
    code, _, err = run("draw", REAL_FOCUS, "--from", "nobody", "--graph", str(built), "-o", str(tmp_path / "x.svg"))
    assert code == 2 and "expected a role code, title or alias, found 'nobody'" in err


# -- 7. GraphML, CSV and RDF exports ----------------------------------------------------------------------


def test_graphml_reads_back_with_networkx(synth_graph: Path, tmp_path: Path) -> None:
    target = tmp_path / "roles.graphml"
    code, _, err = run("export", "--graph", str(synth_graph), "--format", "graphml", "-o", str(target))
    assert code == 0, err
    g = nx.read_graphml(target)
    session = Session.open(synth_graph)
    source: GraphSource = session  # mypy checks that a Session is what the exporters read
    assert source.roles.catalogue is session.catalogue
    roles = {n: d for n, d in g.nodes(data=True) if d["kind"] == "role"}
    assert set(roles) == set(session.catalogue.roles)
    some = session.catalogue.roles[sorted(roles)[0]]
    assert roles[some.code] == {
        "kind": "role",
        "code": some.code,
        "title": some.title,
        "function": some.function,
        "focus": some.focus,
        "level": some.level,
        "track": some.track,
        "rank": some.rank,
    }
    assert g.graph["scale"] == 10.0
    codes = sorted(roles)
    reached = 0
    for a, b in [(codes[0], codes[-1]), (codes[3], codes[40]), (codes[10], codes[11]), (codes[0], codes[60])]:
        found = session.path(a, b, by="structure")  # the GraphML holds the structural moves
        if not found.found:  # no career path (a ladder with no equivalent rank): none in the GraphML either
            assert not nx.has_path(g, a, b)
            continue
        reached += 1
        assert nx.shortest_path_length(g, a, b, weight="weight") == pytest.approx(found.cost)
    assert reached >= 2


def test_csv_reads_with_pandas(synth_graph: Path, built: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(io.StringIO(export(synth_graph, "--format", "csv")), keep_default_na=False)
    session = Session.open(synth_graph)
    assert len(frame) == len(session.catalogue.roles)
    assert list(frame["code"]) == sorted(session.catalogue.roles)
    row = frame.iloc[5]
    assert tuple(row["skills"].split("; ")) == session.catalogue.skills_of(row["code"])
    assert int(row["skill_count"]) == len(session.catalogue.skills_of(row["code"]))
    real = pd.read_csv(io.StringIO(export(built, "--format", "csv", REAL_ROLE)), keep_default_na=False)
    (record,) = real.to_dict("records")
    expected = {
        "code": REAL_ROLE,
        "level_title": "Staff / Distinguished Professional",
        "min_years": 15,
        "max_years": 22,
        "pay_median": 231000,
        "pay_low": 182000,
        "pay_high": 294000,
        "currency": "USD",
        "classification_codes": "SOC2018:15-2051",
        "skill_count": 13,
    }
    assert {k: record[k] for k in expected} == expected


def test_rdf_exports_round_trip_byte_for_byte(built: Path, tmp_path: Path) -> None:
    assert export(built, "--format", "turtle").encode("utf-8") == built.read_bytes()
    from_jsonld = export(built.with_suffix(".jsonld"), "--format", "jsonld")
    assert from_jsonld.encode("utf-8") == built.with_suffix(".jsonld").read_bytes()
    assert len(Graph().parse(data=export(built, "--format", "ntriples"), format="nt")) == len(Graph().parse(built))


def test_export_errors_are_one_line(built: Path) -> None:
    for args, expected in [
        ((), "expected --format"),
        (("--format", "graphml", REAL_ROLE), "expected no ROLE"),
        (("--format", "schema-org", "nobody"), "expected a role code, title or alias"),
        (("--format", "csv", "--graph", "missing.ttl"), "missing.ttl"),
    ]:
        code, out, err = run("export", "--graph", str(built), *args)
        assert code == 2, (args, out, err)
        assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_lists_every_export_format() -> None:
    from rolegraph.cli import _export_formats
    from rolegraph.publish.export import EXPORTS

    assert _export_formats() == list(EXPORTS)
