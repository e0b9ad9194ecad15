"""`-f json` on distance, nearest, path, compare, queries and validate (issue #18, item 3).

Each answer is read back with ``json.loads`` and checked against the text the same command prints:
the same rows, in the same order, with the same numbers. The shapes are documented in docs/json.md.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rolegraph.api import Session
from tests.helpers import REAL_ROLE, ROOT
from tests.helpers import invoke as run


def answer(*args: str) -> Any:
    """The command's ``-f json`` document (exit 0, nothing on stderr)."""
    code, out, err = run(*args, "-f", "json")
    assert (code, err) == (0, ""), err
    assert out.endswith("}\n") or out.endswith("]\n")
    return json.loads(out)


def text(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def pairs(synth_graph: Path) -> list[tuple[str, str]]:
    """Pairs across the generated corpus: same focus, another focus, another function, both tracks."""
    codes = sorted(Session.open(synth_graph).catalogue.roles)
    return [
        (codes[0], codes[-1]),
        (codes[3], codes[40]),
        (codes[10], codes[11]),
        (codes[0], codes[60]),
        (codes[5],) * 2,
    ]


def test_distance_json_is_the_text_with_its_components(synth_graph: Path, pairs: list[tuple[str, str]]) -> None:
    g = ("--graph", str(synth_graph), "--by", "structure")  # the structure's own explanation; the blend's: below
    for a, b in pairs:
        data = answer("distance", a, b, *g)
        first, *explained = text("distance", a, b, "--explain", *g).splitlines()
        assert first == f"{data['a']} -> {data['b']}: d = {data['d']:.3f} ({data['band']})"
        assert (data["a"], data["b"]) == (a, b)
        assert explained[0].strip() == f"taxonomy: {data['relation']} -> {data['taxonomy']:g}"
        assert (
            f"rank gap {data['rank_gap']}" in explained[1] and ("track switch" in explained[1]) == data["track_switch"]
        )
        assert [set(c) for c in data["components"]] == [{"name", "value", "weight", "contribution"}]
        assert data["components"][0]["name"] == "structure" and data["components"][0]["weight"] == 1
        assert math.fsum(c["contribution"] for c in data["components"]) == pytest.approx(data["d"], abs=1e-9)
        for c in data["components"]:
            assert 0 <= c["value"] <= 1 and c["contribution"] == pytest.approx(c["value"] * c["weight"], abs=1e-12)
    # --explain changes the text, never the document
    a, b = pairs[0]
    assert answer("distance", a, b, "--explain", *g) == answer("distance", a, b, *g)


def test_distance_json_by_default_is_the_blend_of_the_text(synth_graph: Path, pairs: list[tuple[str, str]]) -> None:
    g = ("--graph", str(synth_graph))
    for a, b in pairs:
        data = answer("distance", a, b, *g)
        first, parts = text("distance", a, b, *g).splitlines()
        assert data["by"] == "blend" and first == f"{a} -> {b}: d = {data['d']:.3f} ({data['band']})"
        assert [c["name"] for c in data["components"]] == ["structure", "skills", "text", "level"]
        assert parts.strip() == "; ".join(
            f"{c['name']} {c['value']:.3f} x {c['weight']:.2f} = {c['contribution']:.3f}" for c in data["components"]
        )
        assert math.fsum(c["contribution"] for c in data["components"]) == pytest.approx(data["d"], abs=1e-9)
    a, b = pairs[0]
    assert answer("distance", a, b, "--explain", *g) == answer("distance", a, b, "--by", "blend", *g)


NEAR = re.compile(r"^  (\d\.\d{3})  (\w+) +(\S+)  (.+?)  \[([^]]+)\](?:  \((.+)\))?$")


@pytest.mark.parametrize(
    "options",
    [(), ("-k", "25"), ("--within", "function"), ("--band", "strong", "-k", "40"), ("-k", "3"), ("--by", "structure")],
)
def test_nearest_json_has_the_rows_of_the_text(synth_graph: Path, options: tuple[str, ...]) -> None:
    g = ("--graph", str(synth_graph))
    code = sorted(Session.open(synth_graph).catalogue.roles)[7]
    found = answer("nearest", code, *options, *g)
    lines = text("nearest", code, *options, *g).splitlines()[1:]
    rows = [NEAR.match(line) for line in lines]
    assert all(rows), lines
    assert [(r[3], r[4], r[1], r[2], r[5]) for r in rows if r] == [
        (n["code"], n["title"], f"{n['d']:.3f}", n["band"], n["relation"]) for n in found
    ]
    parts = [", ".join(f"{c['name']} {c['value']:.2f}" for c in n["components"]) for n in found]
    assert [r[6] for r in rows if r] == ([None] * len(found) if "structure" in options else parts)
    assert found and all({"code", "title", "level", "d", "band", "components"} <= set(n) for n in found)
    assert [n["d"] for n in found] == sorted(n["d"] for n in found)


@pytest.mark.parametrize(("by", "setting"), [("structure", "strong=0"), ("blend", "blend_strong=0")])
def test_nearest_json_of_nothing_is_an_empty_array(real_graph_file: Path, by: str, setting: str) -> None:
    args = ("nearest", REAL_ROLE, "--by", by, "--set", setting, "--band", "strong", "--graph", str(real_graph_file))
    code, out, _ = run(*args)
    assert code == 0 and out.endswith("  (none)\n")
    assert answer(*args) == []


STEP = re.compile(r"^  (\d+)\. (.+): (\S+) -> (\S+) \(cost ([^:)]+)(?:: (.+))?\)$")


@pytest.mark.parametrize("by", ["structure", "blend"])
def test_path_json_has_the_steps_of_the_text(synth_graph: Path, pairs: list[tuple[str, str]], by: str) -> None:
    g = ("--graph", str(synth_graph), "--by", by)
    for a, b in pairs:
        data = answer("path", a, b, *g)
        lines = text("path", a, b, *g).splitlines()
        assert (data["a"], data["b"], data["found"], data["by"]) == (a, b, True, by)
        total = f"{data['cost']:g}" if by == "structure" else f"{data['cost']:.3f} (by {by})"
        assert lines[0].endswith(f"cost {total}")
        steps = [m for line in lines[1:] if (m := STEP.match(line))]
        digits = None if by == "structure" else 3  # a blended cost is shown to 3 decimals
        assert [(s[2], s[3], s[4], float(s[5])) for s in steps] == [
            (s["move"], s["source"], s["target"], s["cost"] if digits is None else round(s["cost"], digits))
            for s in data["steps"]
        ]
        assert [s[6] for s in steps] == [
            ", ".join(f"{c['name']} {c['value']:.2f}" for c in s["components"]) or None for s in data["steps"]
        ]
        gains = [line.split("gains: ", 1)[1] for line in lines if line.startswith("       gains: ")]
        assert gains == [", ".join(s["gained"]) for s in data["steps"] if s["gained"]]
        losses = [line.split("loses: ", 1)[1] for line in lines if line.startswith("       loses: ")]
        assert losses == [", ".join(s["lost"]) for s in data["steps"] if s["lost"]]
        assert math.fsum(s["cost"] for s in data["steps"]) == pytest.approx(data["cost"])


def test_compare_json_has_the_rows_of_the_text(real_graph_file: Path) -> None:
    g = ("--graph", str(real_graph_file))
    other = "DATASC.AIMACHIN97C0.P4"
    data = answer("compare", REAL_ROLE, other, *g)
    out = text("compare", REAL_ROLE, other, *g)
    a, b = data["roles"]
    assert (data["a"], data["b"], a["code"], b["code"]) == (REAL_ROLE, other, REAL_ROLE, other)
    assert (a["pay_median"], a["pay_low"], a["pay_high"], a["currency"]) == (231000, 182000, 294000, "USD")
    assert f"{a['pay_median']:,} {a['currency']} ({a['pay_low']:,}-{a['pay_high']:,})" in out
    assert (b["pay_median"], b["currency"], b["min_years"]) == (None, None, None)  # shown as "-"
    assert f"{a['min_years']}-{a['max_years']} yrs" in out
    assert f"level         {a['level']} {a['level_title']}" in out
    d = data["distance"]
    assert f"distance      {d['d']:.3f} ({d['band']}; {d['relation']}, rank gap {d['rank_gap']})" in out
    assert d == answer("distance", REAL_ROLE, other, *g)
    assert f"career path   {len(data['path']['steps'])} steps, cost {data['path']['cost']:.3f}" in out
    assert data["path"] == answer("path", REAL_ROLE, other, *g)
    assert f"shared skills ({len(data['shared_skills'])}): {', '.join(data['shared_skills'])}" in out
    assert len(data["shared_skills"]) == 13 and data["only_a"] == data["only_b"] == []
    for role in (a, b):
        listed = out.split(f"responsibilities of {role['code']}:\n", 1)[1].split("responsibilities of")[0]
        assert [line[4:] for line in listed.splitlines()] == role["responsibilities"]


def test_compare_json_across_functions(synth_graph: Path, pairs: list[tuple[str, str]]) -> None:
    a, b = pairs[0]
    data = answer("compare", a, b, "--graph", str(synth_graph))
    out = text("compare", a, b, "--graph", str(synth_graph))
    assert f"only in {a} ({len(data['only_a'])}): {', '.join(data['only_a']) or '-'}" in out
    assert f"only in {b} ({len(data['only_b'])}): {', '.join(data['only_b']) or '-'}" in out
    skills_a, skills_b = (set(r["skills"]) for r in data["roles"])
    assert set(data["shared_skills"]) == skills_a & skills_b and set(data["only_a"]) == skills_a - skills_b


def test_queries_json_lists_what_the_text_lists() -> None:
    listed = answer("queries")
    out = text("queries")
    assert [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")] == [q["name"] for q in listed]
    for q in listed:
        assert set(q) == {"name", "description", "params", "example"}
        for p in q["params"]:
            assert f"--param {p['name']}=...  {p['type']}{' (optional)' if p['optional'] else ''}: " in out
    assert sum(len(q["params"]) for q in listed) == out.count("    --param ")
    assert sum(q["example"] is not None for q in listed) == out.count("    e.g. ")


def test_validate_json_keeps_the_exit_codes_and_lists_the_findings(tmp_path: Path) -> None:
    good = ROOT / "graph" / "rolegraph.ttl"
    assert answer("validate", str(good)) == {"file": str(good), "conforms": True, "findings": []}
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        good.read_text(encoding="utf-8").replace("schema:median 231000", "schema:median 999000"), encoding="utf-8"
    )
    code, out, err = run("validate", str(broken), "-f", "json")
    assert code == 1 and err == f"{broken}: does not conform (1 result)\n"
    data = json.loads(out)
    assert data["conforms"] is False and len(data["findings"]) == 1
    (finding,) = data["findings"]
    assert set(finding) == {"focus", "path", "shape", "component", "severity", "message", "value", "source"}
    code, text_out, _ = run("validate", str(broken))
    assert code == 1
    assert text_out.splitlines()[0].startswith(f"{finding['source']}: {finding['severity']}: {finding['focus']}")
    assert finding["message"] in text_out and "median" in finding["message"]
    code, out, err = run("validate", str(tmp_path / "none.ttl"), "-f", "json")
    assert (code, out) == (2, "") and "none.ttl" in err


def test_validate_still_reads_the_old_format_spelling(tmp_path: Path) -> None:
    nt = tmp_path / "graph.txt"
    nt.write_text(Session.open(ROOT / "graph" / "rolegraph.ttl").export("ntriples").decode(), encoding="utf-8")
    code, out, err = run("validate", str(nt), "-f", "ntriples")
    assert (code, out) == (0, f"{nt}: conforms\n")
    assert "validate -f ntriples is deprecated" in err and "use --syntax ntriples" in err
    assert answer("validate", str(nt), "--syntax", "ntriples")["conforms"] is True


def test_every_answer_is_json_through_the_console_script(real_graph_file: Path) -> None:
    script = shutil.which("rolegraph", path=str(Path(sys.executable).parent))
    assert script is not None, "the rolegraph console script is not installed next to this Python"
    g = ["--graph", str(real_graph_file)]
    other = "DATASC.AIMACHIN97C0.P5"
    for args in (
        ["distance", REAL_ROLE, other, *g],
        ["nearest", REAL_ROLE, "-k", "3", *g],
        ["path", REAL_ROLE, other, *g],
        ["compare", REAL_ROLE, other, *g],
        ["queries"],
        ["validate", str(real_graph_file)],
    ):
        done = subprocess.run([script, *args, "--format", "json"], capture_output=True, check=False)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.decode("utf-8")) == answer(*args)
