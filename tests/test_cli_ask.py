"""`rolegraph queries / query / distance / nearest / path / compare` through click's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rolegraph.api import Session
from tests.helpers import REAL_FOCUS, REAL_ROLE, page_aliases
from tests.helpers import invoke as run


def test_queries_lists_every_query_with_parameters() -> None:
    code, out, _ = run("queries")
    assert code == 0
    assert "role-skills: The skills of a role" in out
    assert "--param code=...  role-code" in out


def test_query_formats(real_graph_file: Path) -> None:
    g = ("--graph", str(real_graph_file))
    code, out, _ = run("query", "role-skills", "--param", f"code={REAL_ROLE}", *g)  # piped: JSON
    assert code == 0
    assert len(json.loads(out)["results"]["bindings"]) == 13
    code, out, _ = run("query", "role", "-p", f"code={REAL_ROLE}", "-f", "csv", *g)
    record = next(csv.DictReader(io.StringIO(out)))
    assert (record["median"], record["low"], record["high"]) == ("231000", "182000", "294000")
    code, out, _ = run("query", "focus-ladder", "-p", f"focus={REAL_FOCUS}", "-f", "table", *g)
    assert code == 0 and "(30 rows)" in out
    code, _, err = run("query", "role", *g)
    assert code == 2 and "missing parameter 'code'; expected parameters: code" in err
    code, _, err = run("query", "nope", *g)
    assert code == 2 and "see `rolegraph queries`" in err
    code, _, err = run("query", *g)
    assert code == 2 and "NAME or --file" in err


def test_query_user_file(real_graph_file: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.rq"
    mine.write_text(
        "# Titles of roles at a level.\n# param level: level-code  a level\n"
        "PREFIX rg: <https://w3id.org/rolegraph/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?level ?title WHERE { ?r rg:level/skos:notation ?level ; skos:prefLabel ?title }",
        encoding="utf-8",
    )
    code, out, err = run("query", "--file", str(mine), "-p", "level=P5", "-f", "tsv", "--graph", str(real_graph_file))
    assert code == 0, err
    assert out == "level\ttitle\nP5\tAI / Machine Learning Engineering — P5\n"
    code, _, err = run("query", "--file", str(mine), "-p", "level=Q5", "--graph", str(real_graph_file))
    assert code == 2 and "expected a level code" in err


def test_missing_graph_says_how_to_fix(tmp_path: Path) -> None:
    code, _, err = run("nearest", REAL_ROLE, "--graph", str(tmp_path / "none.ttl"))
    assert code == 2
    assert "run `rolegraph build` first, or pass --graph FILE" in err


def test_distance_nearest_path_compare_on_the_real_page(real_graph_file: Path) -> None:
    g = ("--graph", str(real_graph_file), "--by", "structure")  # the figures of the structural distance
    code, out, _ = run("distance", REAL_ROLE, "ai / machine learning engineering — p4", "--explain", *g)
    assert code == 0
    assert f"{REAL_ROLE} -> {REAL_FOCUS}.P4: d = 0.300 (partial)" in out
    assert "levels: rank gap 3 -> 3" in out and "band: partial" in out
    code, out, _ = run("nearest", REAL_ROLE, "-k", "2", *g)
    assert out.splitlines()[1:] == [
        f"  0.100  strong   {REAL_FOCUS}.P6  AI / Machine Learning Engineering — P6  [same focus]",
        f"  0.200  strong   {REAL_FOCUS}.P5  AI / Machine Learning Engineering — P5  [same focus]",
    ]
    code, out, _ = run("nearest", REAL_ROLE, "--band", "strong", "--set", "scale=5", *g)
    assert out.count("strong") == 1  # with scale 5 only P6 (0.2) is strong
    code, out, _ = run("path", f"{REAL_FOCUS}.P2", REAL_ROLE, *g)
    assert code == 0 and "5 steps, cost 5" in out and "level up" in out
    code, out, _ = run("compare", f"{REAL_FOCUS}.P5", REAL_ROLE, *g)
    assert code == 0
    assert "231,000 USD (182,000-294,000)" in out and "15-22 yrs" in out
    assert "shared skills (13)" in out and "Drives research and development" in out
    code, _, err = run("distance", REAL_ROLE, "AI / ML Engineering — P7", *g)
    assert code == 2 and f"did you mean {REAL_ROLE}" in err
    code, _, err = run("nearest", REAL_ROLE, "--set", "strong=2", *g)
    assert code == 2 and "strong <= partial" in err


def test_commands_on_a_generated_corpus(synth_graph: Path) -> None:
    session = Session.open(synth_graph)
    roles = sorted(session.catalogue.roles.values(), key=lambda r: r.code)
    a = roles[0]
    other_function = next(r for r in roles if r.function != a.function and r.track == a.track)
    g = ("--graph", str(synth_graph))
    code, out, _ = run("nearest", a.code, "-k", "5", "--within", "function", *g)
    assert code == 0 and len(out.splitlines()) == 6
    assert all(session.catalogue.roles[line.split()[2]].function == a.function for line in out.splitlines()[1:])
    code, out, _ = run("path", a.code, other_function.code, *g)
    assert code == 0 and "other function" in out and ("gains:" in out or "loses:" in out)
    code, out, _ = run("compare", a.code, other_function.code, *g)
    assert code == 0 and "only in" in out
    code, out, _ = run("distance", a.title, other_function.code, "--explain", *g)
    assert code == 0 and "other function" in out
    manager = next((r for r in roles if r.track == "M"), None)
    assert manager is not None
    code, out, _ = run("nearest", manager.code, "-k", "3", *g)
    assert code == 0 and len(out.splitlines()) == 4


def test_a_role_named_by_alias_and_an_ambiguous_name(synth_graph: Path) -> None:
    """Aliases resolve, ignoring case; an alias two roles share is refused with one line naming both."""
    one, several = page_aliases(synth_graph.parents[1] / "seeds")
    assert one and several  # the generated corpus has both kinds
    g = ("--graph", str(synth_graph))
    alias, code = sorted(one.items())[0]
    other = sorted(several.values())[0][0]
    status, out, err = run("distance", alias.upper(), other, *g)
    assert status == 0, err
    assert out.startswith(f"{code} -> {other}: d = ")
    shared, codes = sorted(several.items())[0]
    status, out, err = run("distance", shared, code, *g)
    assert status == 2 and out == ""
    assert err == f"error: expected one role, found {len(codes)} named {shared!r}: {', '.join(codes)}\n"
