"""Issue #12: a dangling or looping ``.txt`` symlink in a seed folder was skipped without a word; now it is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph import api
from rolegraph.cli import cli
from tests.helpers import REAL_PAGE


def seeds_with_bad_links(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_PAGE, seeds / "real.txt")
    (seeds / "dangling.txt").symlink_to("gone.txt")
    (seeds / "loop.txt").symlink_to("loop.txt")
    return seeds


def test_dangling_and_looping_symlinks_fail_the_build_with_their_names(tmp_path: Path) -> None:
    seeds = seeds_with_bad_links(tmp_path)
    with pytest.raises(api.PagesFailed) as info:
        api.build([seeds], tmp_path / "out", validate=False)
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        "dangling.txt: expected a readable file, found a dangling symlink (to 'gone.txt')",
        "loop.txt: expected a readable file, found a symlink that loops",
    ]
    assert not (tmp_path / "out").exists()


def test_keep_going_builds_the_good_pages_and_lists_the_bad_links(tmp_path: Path) -> None:
    seeds = seeds_with_bad_links(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(seeds), "-o", str(tmp_path / "out"), "--keep-going"])
    assert result.exit_code == 2
    assert "skipped: dangling.txt: expected a readable file, found a dangling symlink" in result.stderr
    assert "skipped: loop.txt: expected a readable file, found a symlink that loops" in result.stderr
    assert (tmp_path / "out" / "rolegraph.ttl").exists()


def test_a_symlink_to_a_page_is_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "linked.txt").symlink_to(REAL_PAGE)
    assert api.build([seeds], tmp_path / "out", validate=False).pages == 1
