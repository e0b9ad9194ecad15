"""Issue #12: a JSON-LD file with a remote @context gets `validate`'s clear message from every command.

`validate` said "a remote or file JSON-LD @context, which rolegraph never fetches"; `query`,
`nearest`, `export`, `diff` and `serve` (which load the graph into the embedded store) passed on
Oxigraph's "No LoadDocumentCallback has been set to load remote contexts".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.cli import cli
from rolegraph.errors import EXIT_BAD_INPUT
from tests.servers import rolegraph_binary

CLEAR = "a remote or file JSON-LD @context, which rolegraph never fetches"
CONTEXTS = {
    "remote": '"https://schema.org/"',
    "relative": '"context.jsonld"',
    "in-a-list": '["https://w3id.org/other", {"n": "https://schema.org/name"}]',
}


@pytest.fixture(params=sorted(CONTEXTS))
def remote_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.jsonld"
    path.write_text(f'{{"@context": {CONTEXTS[request.param]}, "@id": "https://example.org/x", "n": "X"}}\n')
    return path


COMMANDS = {
    "validate": lambda f: ["validate", f],
    "query": lambda f: ["query", "roles", "--graph", f],
    "query-rdflib": lambda f: ["query", "roles", "--engine", "rdflib", "--graph", f],
    "nearest": lambda f: ["nearest", "X", "--graph", f],
    "distance": lambda f: ["distance", "X", "Y", "--graph", f],
    "export": lambda f: ["export", "-f", "turtle", "--graph", f],
    "diff": lambda f: ["diff", f, f],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_names_the_remote_context(command: str, remote_file: Path) -> None:
    result = CliRunner().invoke(cli, COMMANDS[command](str(remote_file)))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"{remote_file}: expected valid jsonld, found {CLEAR}" in result.stderr
    assert "LoadDocumentCallback" not in result.output


def test_serve_names_the_remote_context(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "https://example.org/x", "name": "X"}\n')
    done = subprocess.run(
        [rolegraph_binary(), "serve", "--graph", str(path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,  # only catches a server that started instead of refusing the file
        check=False,
    )
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert f"{path}: expected valid jsonld, found {CLEAR}" in done.stderr
    assert "LoadDocumentCallback" not in done.stderr
