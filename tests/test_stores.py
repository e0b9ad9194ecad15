"""Issue 19: the remote matrix on two real stores, Oxigraph (`oxigraph serve`) and OpenLink Virtuoso 7.2.

Each test runs against both, started by the session fixtures in ``conftest.py`` (Virtuoso skips when
`virtuoso-t` is not installed, unless ``ROLEGRAPH_REQUIRE_VIRTUOSO=1``). Virtuoso takes updates only from
an authenticated user, with HTTP digest (`/sparql-auth`, `/sparql-graph-crud-auth`): the password comes from
``ROLEGRAPH_PASSWORD`` and must never show. A push interrupted at any point (the client or the server
killed) leaves the old graph or the new one, never a mix; docs/remote-stores.md has the table of what
differs between the stores and how push handles it.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner, Result

from bench.synth import write_corpus
from rolegraph import api
from rolegraph.ask.query import get_spec, library, run
from rolegraph.ask.remote import (
    PROFILES,
    Endpoint,
    RemoteStore,
    count_triples,
    difference_request,
    read_difference,
    read_triples,
    request,
    update,
)
from rolegraph.ask.remote import _checkpoint as checkpoint
from rolegraph.ask.store import OxigraphStore, alignments_beside
from rolegraph.cli import cli
from rolegraph.errors import EXIT_REMOTE, RemoteError
from rolegraph.formats import QUERY_OUTPUTS, STORE_PROFILES
from tests.servers import Oxigraph, Virtuoso

STORES = ["oxigraph", "virtuoso"]
#: (store, query) -> (what the local answer shows, what the store's shows instead), and why
KNOWN: dict[tuple[str, str], tuple[str, str]] = {
    # Virtuoso 7.2 has no xsd:duration value: it keeps the number of months ("P1Y" -> 12, "PT36H" -> 129600.0
    # seconds), still typed xsd:duration. push refuses such a store unless --lossy-durations.
    ("virtuoso", "occupations"): ("P1Y", "12"),
    ("virtuoso", "role-description"): ("P1Y", "12"),
}
Triples = frozenset[tuple[str, str, str]]


@dataclass
class Target:
    """A running store and how the tests reach it."""

    name: Literal["oxigraph", "virtuoso"]
    server: Oxigraph | Virtuoso

    @property
    def url(self) -> str:
        return self.server.url

    def endpoint(self, **kw: object) -> Endpoint:
        return Endpoint(self.url, user=self.server.user, password=self.server.password, **kw)  # type: ignore[arg-type]

    def push_args(self, graph: Path, iri: str | None = None) -> list[str]:
        """`rolegraph push` there; on Virtuoso as dba, accepting what it does to xsd:duration (see KNOWN)."""
        user = ["--user", self.server.user, "--lossy-durations"] if self.server.user else []
        return ["push", str(graph), "--endpoint", self.url, *user, *(["--named-graph", iri] if iri else [])]

    def env(self) -> dict[str, str]:
        """The environment of a `rolegraph` process: the password (if any) and no other credentials."""
        env = {k: v for k, v in os.environ.items() if k not in ("ROLEGRAPH_USER", "ROLEGRAPH_PASSWORD")}
        return env | ({"ROLEGRAPH_PASSWORD": self.server.password} if self.server.password else {})

    def cli(self, *args: str) -> Result:
        env: dict[str, str | None] = {"ROLEGRAPH_PASSWORD": self.server.password, "ROLEGRAPH_USER": None}
        return CliRunner().invoke(cli, list(args), env=env)

    def triples(self, iri: str) -> Triples:
        table = RemoteStore(self.endpoint(), graph_iri=iri).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {})
        return frozenset((str(s), str(p), str(o)) for s, p, o in table.rows)


@pytest.fixture(params=STORES)
def target(request: pytest.FixtureRequest) -> Target:
    return Target(request.param, request.getfixturevalue(request.param))


@pytest.fixture(scope="module")
def new_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph of 40 generated pages (about 6,000 triples): big enough that a push takes a while."""
    root = tmp_path_factory.mktemp("new-graph")
    write_corpus(root / "seeds", 40, seed=11)
    api.build([root / "seeds"], root / "graph", validate=False)
    return root / "graph" / "rolegraph.ttl"


# -- push, then every query: byte-identical to the local answers -------------------------------------------


@pytest.mark.parametrize("which", ["real", "synth"])
def test_every_query_prints_the_same_bytes_as_local(
    target: Target, which: str, real_graph_file: Path, synth_graph: Path
) -> None:
    graph = real_graph_file if which == "real" else synth_graph
    pushed = target.cli(*target.push_args(graph))
    assert pushed.exit_code == 0, pushed.output
    local = OxigraphStore.from_file(graph, extra=alignments_beside(graph))  # what local commands load
    assert f"pushed {len(local.store)} triples" in pushed.stdout
    first = run(get_spec("roles"), {}, local).values()[0]
    replacements = {"code": str(first[0]), "focus": str(first[4]), "function": str(first[2])}
    compared = 0
    for name, spec in library().items():
        params = spec.example_params
        if which == "synth":
            params = {k: replacements.get(k, v) for k, v in params.items()}
        options = [f"-p{k}={v}" for k, v in params.items()]
        for fmt in QUERY_OUTPUTS:
            here = target.cli("query", name, *options, "-f", fmt, "--graph", str(graph))
            there = target.cli("query", name, *options, "-f", fmt, "--endpoint", target.url)
            assert here.exit_code == 0, (name, here.output)
            assert there.exit_code == 0, (name, there.output)
            if (target.name, name) in KNOWN:
                ours, theirs = KNOWN[target.name, name]
                assert ours in here.stdout, f"{name}: the known difference is gone: drop it from KNOWN"
                assert there.stdout.split() == here.stdout.replace(ours, theirs).split(), f"{name} -f {fmt}"
                continue
            assert there.stdout == here.stdout, f"{name} -f {fmt}"
            compared += bool(here.stdout.strip())
    assert compared >= len(library()) * len(QUERY_OUTPUTS) * 3 // 4  # most queries answer something


def test_each_store_profile_pushes_to_its_own_paths(target: Target, real_graph_file: Path) -> None:
    """`--store NAME` (no probing) and the default `generic` (one probe) load the same triples."""
    for profile in (target.name, "generic"):
        iri = f"https://example.org/profile/{profile}"
        result = target.cli(*target.push_args(real_graph_file, iri), "--store", profile)
        assert result.exit_code == 0, result.output
        local = OxigraphStore.from_file(real_graph_file, extra=alignments_beside(real_graph_file))
        assert count_triples(target.endpoint(), iri) == len(local.store)
        assert count_triples(target.endpoint(), f"{iri}/staging") == 0


def test_untested_profiles_derive_their_documented_paths() -> None:
    """Fuseki and GraphDB are not run here: their layouts follow each store's documentation."""
    fuseki = Endpoint("http://h:3030/ds/sparql", profile="fuseki")
    assert (fuseki.update_url, fuseki.store_url) == ("http://h:3030/ds/update", "http://h:3030/ds/data")
    graphdb = Endpoint("http://h:7200/repositories/r", profile="graphdb")
    assert graphdb.update_url == "http://h:7200/repositories/r/statements"
    assert graphdb.store_url == "http://h:7200/repositories/r/rdf-graphs/service"
    virtuoso = Endpoint("http://h:8890/sparql", user="dba", profile="virtuoso")
    assert (virtuoso.update_url, virtuoso.store_url) == (
        "http://h:8890/sparql-auth",
        "http://h:8890/sparql-graph-crud-auth",
    )
    assert set(PROFILES) == set(STORE_PROFILES)
    assert [p for p in STORE_PROFILES if PROFILES[p].tested] == ["generic", "oxigraph", "virtuoso"]


# -- authentication: Virtuoso's digest, the password never shown -------------------------------------------


def test_virtuoso_updates_need_the_password_and_never_show_it(
    virtuoso: Virtuoso, real_graph_file: Path, synth_graph: Path
) -> None:
    target = Target("virtuoso", virtuoso)
    iri = "https://example.org/auth"
    assert target.cli(*target.push_args(real_graph_file, iri)).exit_code == 0
    before = target.triples(iri)
    wrong = CliRunner().invoke(cli, target.push_args(real_graph_file, iri), env={"ROLEGRAPH_PASSWORD": "not-it"})
    assert wrong.exit_code == EXIT_REMOTE
    assert "not authorised (401)" in wrong.stderr and "live graph" in wrong.stderr
    nobody = CliRunner().invoke(cli, ["push", str(real_graph_file), "--endpoint", target.url, "--named-graph", iri])
    assert nobody.exit_code == EXIT_REMOTE and "not authorised" in nobody.stderr
    for result in (wrong, nobody):
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
        assert virtuoso.password not in result.output and "not-it" not in result.output
    assert target.triples(iri) == before
    # without --lossy-durations, a store that rewrites xsd:duration is refused before the swap
    plain = [arg for arg in target.push_args(synth_graph, iri) if arg != "--lossy-durations"]
    refused = target.cli(*plain)
    assert refused.exit_code == EXIT_REMOTE, refused.output
    assert (
        "does not keep xsd:duration literals as sent" in refused.stderr and "'P1Y' read back as '12'" in refused.stderr
    )
    assert "live graph unchanged" in refused.stderr and "--lossy-durations" in refused.stderr
    assert target.triples(iri) == before
    assert count_triples(target.endpoint(), f"{iri}/staging") == 0
    # digest answers the challenge: the password itself never goes over the wire, nor a Basic header
    with pytest.raises(RemoteError, match=r"not authorised \(401\)"):
        request(Endpoint(target.url, user="dba", password="nope", profile="virtuoso"), "GET", f"{target.url}-auth")


# -- interrupted pushes: the old graph or the new one, never a mix ---------------------------------------


def _push_process(target: Target, graph: Path, iri: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rolegraph", *target.push_args(graph, iri), "--retries", "0", "--timeout", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=target.env(),
    )


def restart(target: Target) -> None:
    """Start the killed server again.

    Virtuoso 7.2.5 killed *during a checkpoint that follows a MOVE* cannot restart: "killed during checkpoint.
    Recovering using checkpoint recov file", "Broken index RDF_QUAD", a GPF ("colsearch.c:818 ref to deld col
    page"). A kill at 70% of a push can land in the checkpoint push asks for after its MOVE (both CI runs of
    2026-12-01). It is Virtuoso's bug, reproduced without rolegraph and with a logged MOVE as well
    (bench/virtuoso_crash.py, docs/remote-stores.md): its database is lost, old graph and new, so there is
    nothing to compare. The server starts on a new database for the tests after this one, and this one is an
    expected failure naming the bug. Any other failure to start fails the test.
    """
    try:
        target.server.start()
    except RuntimeError:
        if target.name != "virtuoso":
            raise
        log = (target.server.folder / "stdout.txt").read_text(errors="replace")
        last_start = log[log.rfind("OpenLink Virtuoso Universal Server") :]
        if "killed during checkpoint" not in last_start or "ref to deld col page" not in last_start:
            raise  # not the known bug: a failure
        target.server.reset()  # type: ignore[union-attr]
        pytest.xfail(
            "Virtuoso 7.2 killed during its checkpoint after a MOVE cannot restart (GPF colsearch.c:818; "
            "Virtuoso's bug, bench/virtuoso_crash.py)"
        )


@pytest.fixture
def references(target: Target, real_graph_file: Path, new_graph: Path) -> tuple[Triples, Triples, float]:
    """The old graph's triples and the new one's as the store returns them, and how long a push of the new takes."""
    assert target.cli(*target.push_args(real_graph_file, "https://example.org/ref/old")).exit_code == 0
    start = time.monotonic()
    process = _push_process(target, new_graph, "https://example.org/ref/new")
    _, err = process.communicate(timeout=300)
    took = time.monotonic() - start
    assert process.returncode == 0, err
    return target.triples("https://example.org/ref/old"), target.triples("https://example.org/ref/new"), took


@pytest.mark.parametrize("fraction", [0.4, 0.8])
def test_client_killed_mid_push_leaves_the_old_or_the_new_graph(
    target: Target,
    references: tuple[Triples, Triples, float],
    real_graph_file: Path,
    new_graph: Path,
    fraction: float,
) -> None:
    old, new, took = references
    iri = f"https://example.org/client-killed/{fraction}"
    assert target.cli(*target.push_args(real_graph_file, iri)).exit_code == 0
    process = _push_process(target, new_graph, iri)
    time.sleep(took * fraction)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    for _ in range(3):  # an update the server had started still commits (or not): watch it settle
        seen = target.triples(iri)
        assert seen in (old, new), f"a mix: {len(seen)} triples, neither {len(old)} nor {len(new)}"
        time.sleep(took / 3)
    rerun = target.cli(*target.push_args(new_graph, iri))  # what the user does next
    assert rerun.exit_code == 0, rerun.output
    assert target.triples(iri) == new


@pytest.mark.parametrize("fraction", [0.3, 0.7])
def test_server_killed_mid_push_leaves_the_old_or_the_new_graph(
    target: Target,
    references: tuple[Triples, Triples, float],
    real_graph_file: Path,
    new_graph: Path,
    fraction: float,
) -> None:
    old, new, took = references
    iri = f"https://example.org/server-killed/{fraction}"
    assert target.cli(*target.push_args(real_graph_file, iri)).exit_code == 0
    process = _push_process(target, new_graph, iri)
    time.sleep(took * fraction)
    target.server.kill()
    _, err = process.communicate(timeout=120)
    restart(target)
    seen = target.triples(iri)
    assert seen in (old, new), f"a mix: {len(seen)} triples, neither {len(old)} nor {len(new)}"
    if process.returncode != 0:
        assert process.returncode == EXIT_REMOTE, err
        errors = [line for line in err.strip().splitlines() if "pushed anyway (--lossy-durations)" not in line]
        assert len(errors) == 1 and "Traceback" not in err, err
        assert "rerun `rolegraph push`" in err or "retry" in err, err
        assert target.server.password is None or target.server.password not in err
    rerun = target.cli(*target.push_args(new_graph, iri))
    assert rerun.exit_code == 0, rerun.output
    assert target.triples(iri) == new


def test_server_killed_during_the_swap_leaves_the_old_or_the_new_graph(
    target: Target, references: tuple[Triples, Triples, float], real_graph_file: Path, new_graph: Path
) -> None:
    """The swap itself, driven step by step as push runs it, the server killed while it runs (Virtuoso takes a
    second or more on 6,000 triples) or just after, then restarted: old or new. On Virtuoso: the new graph
    staged and checkpointed, then its MOVE; on Oxigraph: the live graph read and compared, then the one
    update that writes the difference."""
    old, new, _ = references
    iri = "https://example.org/swap-killed"
    endpoint = target.endpoint(profile=target.name, retries=0, timeout=60)
    api.push(real_graph_file, endpoint, iri, lossy_durations=True)
    if PROFILES[target.name].difference:
        sent = difference_request(endpoint, iri, read_difference(endpoint, iri, read_triples(new_graph)))
        assert sent is not None and sent[2] == "application/sparql-update"  # triples go and come: one update
        url, body, media = sent
        send: Callable[[], object] = functools.partial(request, endpoint, "POST", url, body, {"Content-Type": media})
    else:
        staging = f"{iri}/staging"
        data = new_graph.read_bytes()
        store = f"{endpoint.store_url}?{urlencode({'graph': staging})}"
        request(endpoint, "PUT", store, data, {"Content-Type": "text/turtle"})
        checkpoint(endpoint)  # as push does once the staging graph is checked
        send = functools.partial(update, endpoint, PROFILES[target.name].swap(f"<{staging}>", f"<{iri}>"))
    outcome: list[str] = []

    def swap() -> None:
        try:
            send()
            outcome.append("answered")
        except RemoteError as exc:
            outcome.append(exc.message)

    thread = threading.Thread(target=swap)
    thread.start()
    time.sleep(0.3)
    target.server.kill()
    thread.join(timeout=120)
    restart(target)
    seen = target.triples(iri)
    assert seen in (old, new), f"a mix after {outcome}: {len(seen)} triples, neither {len(old)} nor {len(new)}"


def test_server_killed_right_after_a_push_keeps_the_new_graph(
    target: Target, references: tuple[Triples, Triples, float], real_graph_file: Path, new_graph: Path
) -> None:
    """A push that said "pushed" is durable: the server killed the moment it returns comes back with the
    whole new graph (Virtuoso lost part of it before push made it checkpoint: docs/remote-stores.md)."""
    _, new, _ = references
    iri = "https://example.org/killed-after"
    endpoint = target.endpoint(profile=target.name, retries=0, timeout=60)
    api.push(real_graph_file, endpoint, iri, lossy_durations=True)
    api.push(new_graph, endpoint, iri, lossy_durations=True)
    target.server.kill()
    restart(target)
    assert target.triples(iri) == new
