"""Issue #12, item 18: `--timeout` bounds a whole request, answers are capped, odd counts exit 3.

A store that trickles one byte every 0.5 s kept `push` and `query --endpoint` going long past
``--timeout 2`` (a socket timeout bounds each read, not their sum), and an answer of any size was
read whole into memory. The fault server in ``tests/servers.py`` plays each store.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.ask.remote import Endpoint, RemoteStore
from rolegraph.cli import cli
from rolegraph.errors import EXIT_REMOTE, RemoteError
from tests.servers import fault_server

HANG = 60.0  # seconds: far above the 2 s deadline, far below the trickle's 120 s


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


@pytest.fixture
def one_triple(tmp_path: Path) -> Path:
    path = tmp_path / "one-triple.nt"
    path.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n", encoding="utf-8")
    return path


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_query_against_a_trickling_store_stops_at_the_timeout() -> None:
    with fault_server() as base:
        start = time.monotonic()
        code, err = invoke("query", "roles", "--endpoint", base + "/trickle", "--timeout", "2", "--retries", "0")
        elapsed = time.monotonic() - start
    assert code == EXIT_REMOTE, err
    assert "no answer within 2 s (client timeout)" in one_line(err)
    assert elapsed < HANG


def test_push_to_a_trickling_store_stops_at_the_timeout_before_the_swap(one_triple: Path) -> None:
    with fault_server() as base:
        start = time.monotonic()
        code, err = invoke(
            "push", str(one_triple), "--endpoint", base + "/ok", "--store-endpoint", base + "/trickle",
            "--update-endpoint", base + "/ok", "--timeout", "2", "--retries", "0",
        )  # fmt: skip
        elapsed = time.monotonic() - start
    assert code == EXIT_REMOTE, err
    line = one_line(err)
    assert "no answer within 2 s" in line and "the live graph" in line and "unchanged" in line
    assert elapsed < HANG


def test_an_answer_over_the_cap_stops_reading_with_exit_3() -> None:
    with fault_server() as base:
        code, err = invoke("query", "roles", "--endpoint", base + "/huge", "--max-response", "1", "--retries", "0")
    assert code == EXIT_REMOTE, err
    assert "the answer is larger than 1,048,576 bytes (it kept coming); stopped reading" in one_line(err)


def test_an_answer_announcing_more_than_the_cap_is_refused_unread() -> None:
    with fault_server() as base:
        store = RemoteStore(Endpoint(base + "/huge-declared", retries=0))
        with pytest.raises(RemoteError, match=r"larger than 268,435,456 bytes \(it announces 3,221,225,472 bytes\)"):
            store.select("SELECT * WHERE { ?s ?p ?o }", {})


def test_the_cap_is_an_endpoint_setting_for_the_python_api() -> None:
    with fault_server() as base:
        store = RemoteStore(Endpoint(base + "/huge", retries=0, max_bytes=4096))
        with pytest.raises(RemoteError, match="larger than 4,096 bytes"):
            store.select("SELECT * WHERE { ?s ?p ?o }", {})


@pytest.mark.parametrize(("path", "shown"), [("/lots", "'lots'"), ("/float", "'1398.0'")])
def test_a_count_the_client_cannot_read_exits_3(path: str, shown: str, one_triple: Path) -> None:
    with fault_server() as base:
        code, err = invoke(
            "push", str(one_triple), "--endpoint", base + path, "--store-endpoint", base + "/ok",
            "--update-endpoint", base + "/ok", "--retries", "0",
        )  # fmt: skip
    assert code == EXIT_REMOTE, err
    line = one_line(err)
    assert f"expected a triple count (a whole number), found {shown}" in line
    assert "the push stopped before the swap: the live graph" in line


def test_a_failure_after_the_swap_says_the_live_graph_was_replaced(one_triple: Path) -> None:
    with fault_server() as base:
        # the staging count answers (1 triple, as in the file), the MOVE succeeds, the final count fails
        code, err = invoke(
            "push", str(one_triple), "--endpoint", base + "/ok-then-503", "--store-endpoint", base + "/ok",
            "--update-endpoint", base + "/ok", "--retries", "0",
        )  # fmt: skip
    assert code == EXIT_REMOTE, err
    line = one_line(err)
    assert "the store is busy (503)" in line
    assert "the swap was done (the store accepted it)" in line and "was replaced" in line
