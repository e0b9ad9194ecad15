"""Files given to ``rolegraph validate`` (and ``query --graph``): refused clearly, nothing fetched, bounded.

JSON-LD contexts are never fetched (a local listener proves no connection was made, even from
Oxigraph's Rust code, which Python's audit hooks cannot see; a FIFO proves no local file was
opened: opening one for reading blocks). RDF/XML is never parsed. A truncated Turtle file gives
one GraphFileError, also under ``python -O``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rolegraph import api
from rolegraph.ask.store import open_store
from rolegraph.errors import EXIT_BAD_INPUT, GraphFileError
from rolegraph.graph.io import read_quads
from tests.helpers import invoke, listener, no_hang, socket_audit


def validate(path: Path, *extra: str) -> tuple[int, str, str]:
    return invoke("validate", str(path), *extra)


NODE = '"@id": "https://w3id.org/rolegraph/id/function/X", "name": "x"'
CONTEXTS = {
    "remote": '"{url}/context.jsonld"',
    "array": '[{{"@vocab": "https://schema.org/"}}, "{url}/c.jsonld"]',
    "import": '{{"@import": "{url}/c.jsonld", "@vocab": "https://schema.org/"}}',
    "scoped": '{{"@vocab": "https://schema.org/", "name": {{"@id": "https://schema.org/name", "@context": "{url}/s"}}}}',
    "relative": '"context.jsonld"',
}


@pytest.mark.parametrize("kind", list(CONTEXTS))
@pytest.mark.parametrize("suffix", [".jsonld", ".json"])
def test_remote_jsonld_context_is_refused_and_never_fetched(kind: str, suffix: str, tmp_path: Path) -> None:
    with listener() as (url, accepted):
        doc = tmp_path / f"doc{suffix}"
        doc.write_text('{"@context": ' + CONTEXTS[kind].format(url=url) + ", " + NODE + "}", encoding="utf-8")
        (tmp_path / "context.jsonld").write_text('{"@context": {"@vocab": "https://schema.org/"}}', encoding="utf-8")
        events: list[str] = []
        with socket_audit(events):
            code, out, err = validate(doc)
        time.sleep(0.2)  # a connection in flight would land now
    assert code == EXIT_BAD_INPUT, out + err
    assert (
        err.strip()
        == f"error: {doc}: expected valid jsonld, found a remote or file JSON-LD @context, which rolegraph never fetches"
    )
    assert events == [] and accepted == []


def test_file_jsonld_context_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "context.jsonld"
    os.mkfifo(fifo)  # opening it to read would block until a writer comes: the command would hang
    doc = tmp_path / "doc.jsonld"
    for context in (fifo.as_uri(), "context.jsonld", "/etc/passwd"):
        doc.write_text('{"@context": "' + context + '", ' + NODE + "}", encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "rolegraph", "validate", str(doc)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
        )  # fmt: skip
        assert proc.returncode == EXIT_BAD_INPUT, proc.stderr
        assert "never fetches" in proc.stderr and "Traceback" not in proc.stderr
    with pytest.raises(OSError, match="No such device or address") as info:  # nobody has the FIFO open to read
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert info.value.errno == 6  # ENXIO


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="https://schema.org/">
 <rdf:Description rdf:about="https://w3id.org/rolegraph/id/function/X"><s:name>&i;</s:name></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("suffix", [".rdf", ".xml", ".owl", ".RDF"])
def test_rdf_xml_is_refused_before_parsing(suffix: str, tmp_path: Path) -> None:
    laughs = tmp_path / f"laughs{suffix}"
    laughs.write_text(BILLION_LAUGHS, encoding="utf-8")
    with no_hang("validate laughs"):  # refused by its name: the entities are never expanded
        code, _, err = validate(laughs)
    assert code == EXIT_BAD_INPUT
    assert err.strip() == (
        f"error: {laughs}: expected an RDF file ending in one of .jsonld, .nt, .ttl, "
        f"found RDF/XML ({suffix}), which rolegraph does not read (convert it to Turtle or N-Triples first)"
    )
    code, _, _ = invoke("query", "counts", "--graph", str(laughs))
    assert code == EXIT_BAD_INPUT


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_rdf_xml_forced_through_another_format_is_a_syntax_error(fmt: str, tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text(BILLION_LAUGHS, encoding="utf-8")
    with no_hang(f"validate laughs -f {fmt}"):
        code, _, err = validate(laughs, "--syntax", fmt)
    assert code == EXIT_BAD_INPUT
    assert err.startswith(f"error: {laughs}") and f"expected valid {fmt}" in err and len(err.splitlines()) == 1


TRUNCATED = {
    "mid-literal": '@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name "unterminated literal\n',
    "mid-long-literal": '@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name """long\nliteral',
    "mid-escape": '@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name "caf\\u00',
    "mid-iri": "@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name <https://e.org/b",
    "mid-prefix": "@prefix s: <https://sch",
    "no-final-dot": '@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name "x"',
    "not-utf8": '@prefix s: <https://schema.org/> .\n<https://e.org/a> s:name "caf\xe9" .\n',
}


@pytest.mark.parametrize("name", list(TRUNCATED))
def test_truncated_turtle_is_one_graph_file_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ttl"
    text = TRUNCATED[name]
    path.write_bytes(text.encode("latin-1") if name == "not-utf8" else text.encode("utf-8"))
    with pytest.raises(GraphFileError) as info:
        api.validate_file(path)
    assert type(info.value) is GraphFileError
    assert str(info.value).startswith(f"{path}:") and "expected valid turtle, found " in str(info.value)
    assert info.value.line in (1, 2, 3)
    with pytest.raises(GraphFileError):
        open_store(path)  # `rolegraph query --graph` reads it through another path: the same error type


def test_truncated_real_graph_at_many_points(real_graph_file: Path, tmp_path: Path) -> None:
    data = real_graph_file.read_bytes()
    path = tmp_path / "cut.ttl"
    messages: list[str] = []
    for k in range(1, 80):
        path.write_bytes(data[: len(data) * k // 80])
        try:
            read_quads(path)  # a cut between statements is a valid, smaller graph
        except GraphFileError as exc:
            messages.append(str(exc))
    assert len(messages) > 40
    assert all(m.startswith(f"{path}:") and "expected valid turtle, found " in m and "\n" not in m for m in messages)


@pytest.mark.parametrize("name", ["mid-literal", "mid-long-literal", "not-utf8"])
def test_truncated_turtle_under_optimize_flag(name: str, tmp_path: Path) -> None:
    """``-O`` strips asserts: the error must not depend on one."""
    path = tmp_path / f"{name}.ttl"
    text = TRUNCATED[name]
    path.write_bytes(text.encode("latin-1") if name == "not-utf8" else text.encode("utf-8"))
    for command in (["validate", str(path)], ["query", "counts", "--graph", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-O", "-m", "rolegraph", *command],
            capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
        )  # fmt: skip
        assert proc.returncode == EXIT_BAD_INPUT, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}:"), proc.stderr
        assert "expected valid turtle, found " in lines[0]
