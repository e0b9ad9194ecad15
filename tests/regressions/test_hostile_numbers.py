"""Issue #12, item 14: hostile numbers in a graph or an option are refused with exit 2, before any big allocation.

The distance builds its level ladders rank by rank, so ``rg:rank 99999999999999999999999`` in a
graph given to ``--graph`` was killed by the OOM killer at 24 GB, ``--set m_offset=100000000``
raised MemoryError, and a rank that is not an integer exited 4. Commands that could allocate run
as the real console entry point in a child process capped at 3 GB of address space, so a
regression fails fast (MemoryError, exit 4) instead of taking the machine down.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.cli import cli
from rolegraph.errors import RolegraphError
from rolegraph.roles.distance import DistanceConfig
from tests.helpers import REAL_FOCUS, REAL_ROLE, ROOT

REAL_GRAPH = ROOT / "graph" / "rolegraph.ttl"
P7_RANK = "\trg:rank 7 ;\n"  # in the block of <level/P7>, the level of REAL_ROLE
MEMORY_CAP = 3 * 1024**3


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def rolegraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rolegraph", *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_cap_memory,  # a resource limit; the child starts no threads before exec
        check=False,
    )


def graph_with_rank(tmp_path: Path, rank: str) -> Path:
    text = REAL_GRAPH.read_text(encoding="utf-8")
    assert text.count(P7_RANK) == 1
    bad = tmp_path / "hostile.ttl"
    bad.write_text(text.replace(P7_RANK, f"\trg:rank {rank} ;\n"), encoding="utf-8")
    return bad


@pytest.mark.parametrize(
    ("rank", "found"),
    [("99999999999999999999999", "'99999999999999999999999'"), ("9" * 100, "'a number of over 70 digits'")],
)
@pytest.mark.parametrize("command", ["path", "nearest"])
def test_a_huge_rank_in_a_graph_is_refused_before_any_ladder_is_built(
    tmp_path: Path, command: str, rank: str, found: str
) -> None:
    bad = graph_with_rank(tmp_path, rank)
    args = [command, f"{REAL_FOCUS}.P2"] + ([REAL_ROLE] if command == "path" else [])
    done = rolegraph(*args, "--graph", str(bad))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        f"error: {bad}: role {REAL_ROLE}: expected a level rank, a whole number from 1 to 99, found {found}\n"
    )


@pytest.mark.parametrize(
    ("rank", "found"),
    [
        ("-3", "'-3'"),
        ("0", "'0'"),
        ("100", "'100'"),
        ("7.5", "'7.5'"),
        ('"seven"', "'seven'"),
        ('"7"', "'7'"),  # a string, not an integer
        ("1e400", "'inf'"),
        ("9" * 5000, "'" + "9" * 59 + "…'"),  # past Python's int digit limit: rdflib keeps the lexical form
    ],
)
def test_a_rank_that_is_not_a_whole_number_from_1_to_99_exits_2(tmp_path: Path, rank: str, found: str) -> None:
    """Ranks that cannot exhaust memory even unchecked, so asked in-process."""
    bad = graph_with_rank(tmp_path, rank)
    for args in (["distance", REAL_ROLE, f"{REAL_FOCUS}.P2"], ["compare", REAL_ROLE, f"{REAL_FOCUS}.P2"]):
        result = CliRunner().invoke(cli, [*args, "--graph", str(bad)])
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"error: {bad}: role {REAL_ROLE}: expected a level rank, a whole number from 1 to 99, found {found}\n"
        )


def test_a_rank_that_disagrees_with_its_level_code_exits_2(tmp_path: Path) -> None:
    bad = graph_with_rank(tmp_path, "9")
    result = CliRunner().invoke(cli, ["nearest", REAL_ROLE, "--graph", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {bad}: role {REAL_ROLE}: expected a level code of its track and rank (like P7), "
        "found level 'P7' with track 'P' and rank 9\n"
    )


def test_a_huge_m_offset_is_refused_before_any_ladder_is_built() -> None:
    done = rolegraph("path", f"{REAL_FOCUS}.P2", REAL_ROLE, "--set", "m_offset=100000000", "--graph", str(REAL_GRAPH))
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: distance setting m_offset: expected a whole number 0 to 98, found 100000000\n"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("m_offset=-1", "distance setting m_offset: expected a whole number 0 to 98, found -1"),
        ("m_offset=99", "distance setting m_offset: expected a whole number 0 to 98, found 99"),
        ("m_offset=2.5", "--set m_offset: expected a whole number, found '2.5'"),
        ("m_offset=" + "9" * 5000, "--set m_offset: expected a whole number, found '" + "9" * 39 + "…'"),
        ("scale=inf", "distance setting scale: expected a number > 0 and <= 1e+06, found inf"),
        ("level_step=nan", "distance setting level_step: expected a number > 0 and <= 1e+06, found nan"),
        ("track_switch=1e308", "distance setting track_switch: expected a number > 0 and <= 1e+06, found 1e+308"),
        ("strong=nan", "distance bands: expected 0 <= strong <= partial <= 1, found strong=nan partial=0.5"),
    ],
)
def test_hostile_settings_exit_2_with_one_line(setting: str, message: str) -> None:
    for command in (["distance", REAL_ROLE, f"{REAL_FOCUS}.P2"], ["path", f"{REAL_FOCUS}.P2", REAL_ROLE]):
        result = CliRunner().invoke(cli, [*command, "--set", setting, "--graph", str(REAL_GRAPH)])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"error: {message}\n"


def test_the_largest_settings_still_answer() -> None:
    largest = ("--set", "m_offset=98", "--set", "level_step=1e6", "--set", "scale=1e6")
    for by in ("structure", "blend"):
        args = ["path", f"{REAL_FOCUS}.P2", REAL_ROLE, "--graph", str(REAL_GRAPH), "--by", by, *largest]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "5 steps, cost " + ("5e+06" if by == "structure" else "1.125 (by blend)") in result.stdout


def test_the_python_api_refuses_the_same_settings() -> None:
    with pytest.raises(RolegraphError, match="m_offset"):
        DistanceConfig(m_offset=100_000_000)
    with pytest.raises(RolegraphError, match="m_offset"):
        DistanceConfig(m_offset=2.5)  # type: ignore[arg-type]
    with pytest.raises(RolegraphError, match="scale"):
        DistanceConfig(scale=float("inf"))
