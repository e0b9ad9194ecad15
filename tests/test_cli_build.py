"""`rolegraph build` and `rolegraph validate` through click's runner and the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.helpers import REAL_PAGE, ROOT, SEEDS
from tests.helpers import invoke as run


def seeds_copy(tmp_path: Path, *extra: tuple[str, str]) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(REAL_PAGE, folder / REAL_PAGE.name)
    for name, text in extra:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_build_prints_summary_and_writes_both_formats(tmp_path: Path) -> None:
    code, out, err = run("build", str(SEEDS), "-o", str(tmp_path / "g"))
    assert code == 0, err
    assert "1 page, 6 roles, 13 skills" in out
    assert "SHACL: conforms" in out
    turtle = Graph().parse(tmp_path / "g" / "rolegraph.ttl")
    jsonld = Graph().parse(tmp_path / "g" / "rolegraph.jsonld", format="json-ld")
    assert len(turtle) > 500
    assert isomorphic(turtle, jsonld)
    document = json.loads((tmp_path / "g" / "rolegraph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)  # embedded, never a URL
    assert not list(tmp_path.joinpath("g").glob("*.tmp"))


def test_committed_graph_is_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """graph/ in the repository is the build of seeds/: rebuild and compare bytes (void.ttl: no SOURCE_DATE_EPOCH)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path))
    assert code == 0, err
    for name in ("rolegraph.ttl", "rolegraph.jsonld", "void.ttl"):
        assert (tmp_path / name).read_bytes() == (ROOT / "graph" / name).read_bytes(), (
            f"graph/{name} is out of date: run `rolegraph build` and commit graph/"
        )


def test_committed_alignments_are_up_to_date(tmp_path: Path) -> None:
    """graph/alignments.* are `align --write` on the build of seeds/ (the real model; its embeddings of the
    vocabularies come from the session's cache folder, computed once): what `push` sends and local queries load."""
    assert run("build", str(SEEDS), "-o", str(tmp_path))[0] == 0
    code, _, err = run("align", "--graph", str(tmp_path / "rolegraph.ttl"), "--write")
    assert code == 0, err
    for name in ("alignments.sssom.tsv", "alignments.ttl"):
        assert (tmp_path / name).read_bytes() == (ROOT / "graph" / name).read_bytes(), (
            f"graph/{name} is out of date: run `rolegraph build && rolegraph align --write` and commit graph/"
        )


def test_jsonld_expands_offline_with_pyld(tmp_path: Path) -> None:
    from pyld import jsonld

    run("build", str(SEEDS), "-o", str(tmp_path))
    document = json.loads((tmp_path / "rolegraph.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), Graph().parse(tmp_path / "rolegraph.ttl"))


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "rolegraph", "build", str(SEEDS), "-o", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(((out / "rolegraph.ttl").read_bytes(), (out / "rolegraph.jsonld").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


def test_bad_page_stops_the_build(tmp_path: Path) -> None:
    bad = REAL_PAGE.read_text(encoding="utf-8").replace("approvedglobal", "pendingglobal").replace(".P7", ".P6")
    folder = seeds_copy(tmp_path, ("bad.txt", bad))
    code, out, err = run("build", str(folder), "-o", str(tmp_path / "g"))
    assert code == 2
    assert "bad.txt:" in err and "expected" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "g" / "rolegraph.ttl").exists()


def test_keep_going_builds_the_good_pages(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path, ("bad.txt", "← Canon taxonomy\nP7\n"))
    code, out, err = run("build", str(folder), "-o", str(tmp_path / "g"), "--keep-going")
    assert code == 2
    assert "skipped: bad.txt:" in err
    assert "1 page, 6 roles" in out
    assert (tmp_path / "g" / "rolegraph.ttl").exists()


def test_conflicting_pages_name_both_places(tmp_path: Path) -> None:
    text = REAL_PAGE.read_text(encoding="utf-8")
    other = text.replace("Data Science & Analytics", "Data Science and Analytics")
    folder = seeds_copy(tmp_path, ("zz_copy.txt", other))
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "g"))
    assert code == 2
    assert "zz_copy.txt:5" in err and "000_cf26a15490124fcc.txt:5" in err


def test_same_role_on_two_pages_is_a_conflict(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path, ("zz_twin.txt", REAL_PAGE.read_text(encoding="utf-8")))
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "g"))
    assert code == 2
    assert "zz_twin.txt:3" in err and "rg:profilePage" in err


def test_nonconforming_graph_exits_1_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rolegraph.graph import validate
    from rolegraph.resources import shapes_text

    strict = (
        shapes_text()
        + """
<https://w3id.org/rolegraph/shapes#NeedsAlias> a sh:NodeShape ; sh:targetClass rg:Role ;
    sh:property [ sh:path skos:altLabel ; sh:minCount 1 ; sh:message "a role needs an alias" ] .
"""
    )
    monkeypatch.setattr(validate, "shapes_text", lambda: strict)
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path / "g"))
    assert code == 1
    assert "a role needs an alias" in err
    assert "000_cf26a15490124fcc.txt:3" in err  # the report names the page line of the node
    assert not (tmp_path / "g").exists() or not any((tmp_path / "g").glob("rolegraph.*"))


def test_validate_command(tmp_path: Path) -> None:
    good = ROOT / "graph" / "rolegraph.ttl"
    assert run("validate", str(good))[0] == 0
    assert run("validate", str(ROOT / "graph" / "rolegraph.jsonld"))[0] == 0
    text = good.read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace("schema:median 231000", "schema:median 999000"), encoding="utf-8")
    code, out, _ = run("validate", str(broken))
    assert code == 1
    assert "median" in out
    truncated = tmp_path / "truncated.ttl"
    truncated.write_text(text[: text.index("Staff-level") + 20], encoding="utf-8")
    code, _, err = run("validate", str(truncated))
    assert code == 2
    assert f"{truncated}:" in err and "expected valid turtle" in err
    remote = tmp_path / "remote.jsonld"
    remote.write_text(
        '{"@context": "https://example.org/context.jsonld", "@id": "https://x/a", "name": "a"}', encoding="utf-8"
    )
    code, _, err = run("validate", str(remote))
    assert code == 2
    assert "never fetches" in err


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_validate_n_triples_with_either_shacl_engine(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """N-Triples by extension and by --syntax; the engine asked for is the one that runs (each is watched,
    not replaced), and both find the same violation in a broken copy."""
    import pyshacl
    import pyshacl_turbo

    from rolegraph.graph.io import load_graph

    ran: list[str] = []

    def watched(name: str, real: Any) -> Any:
        def validate(*args: Any, **kwargs: Any) -> Any:
            ran.append(name)
            return real(*args, **kwargs)

        return validate

    for name, module in (("pyshacl", pyshacl), ("turbo", pyshacl_turbo)):
        monkeypatch.setattr(module, "validate", watched(name, module.validate))

    lines = load_graph(ROOT / "graph" / "rolegraph.ttl").serialize(format="nt").splitlines()
    good = tmp_path / "good.nt"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run("validate", str(good), "--shacl-engine", engine)
    assert (code, out) == (0, f"{good}: conforms\n")
    median = next(i for i, line in enumerate(lines) if "schema.org/median" in line and '"231000"' in line)
    broken = tmp_path / "broken.txt"  # no telling extension: --syntax says what it is
    broken.write_text("\n".join(lines[:median] + lines[median + 1 :]) + "\n", encoding="utf-8")
    code, out, err = run("validate", str(broken), "--syntax", "ntriples", "--shacl-engine", engine)
    assert code == 1
    assert "median" in out
    assert err == f"{broken}: does not conform (1 result)\n"
    code, _, err = run("validate", str(broken), "--shacl-engine", engine)
    assert code == 2 and "expected an RDF file ending in one of .jsonld, .nt, .ttl, found '.txt'" in err
    assert ran == [engine, engine]


def test_help_version_and_python_m() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "build" in out and "Exit codes" in out
    code, out, _ = run("build", "-h")
    assert code == 0 and "--keep-going" in out
    assert run("--version")[1].startswith("rolegraph, version ")
    result = subprocess.run([sys.executable, "-m", "rolegraph", "--help"], capture_output=True, text=True, check=True)
    assert "validate" in result.stdout


def test_console_script_builds(tmp_path: Path) -> None:
    script = shutil.which("rolegraph", path=str(Path(sys.executable).parent))
    assert script is not None, "the rolegraph console script is not installed next to this Python"
    result = subprocess.run(
        [script, "build", str(SEEDS), "-o", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "6 roles" in result.stdout
    missing = subprocess.run([script, "build", str(tmp_path / "nowhere")], capture_output=True, text=True, check=False)
    assert missing.returncode == 2
    assert "nowhere" in missing.stderr and "Traceback" not in missing.stderr
