"""The README and docs/: every relative link and #anchor resolves inside the repository, none points into the design
notes outside it (../shared), and the README stays short with its two first-screen commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "bench").glob("*.md")])
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMG = re.compile(r"<img\s[^>]*\bsrc=\"([^\"]+)\"")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text outside code blocks and code spans, where a link is a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug, n = _slug(heading), 1
        candidate = slug
        while candidate in found:  # GitHub numbers repeated headings: x, x-1, x-2
            candidate, n = f"{slug}-{n}", n + 1
        found.add(candidate)
    return found


def links(path: Path) -> list[str]:
    prose = _prose(path.read_text(encoding="utf-8"))
    return LINK.findall(prose) + IMG.findall(prose)


def broken(path: Path, root: Path = ROOT) -> list[str]:
    bad = []
    for target in links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.is_relative_to(root) or not dest.exists():
            bad.append(f"{target}: no such file in the repository")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            bad.append(f"{target}: no heading #{anchor} in {dest.relative_to(root)}")
    return bad


def test_the_slugs_are_githubs() -> None:
    assert _slug("Browsing: `rolegraph serve`") == "browsing-rolegraph-serve"
    assert _slug("Limits on `/sparql`") == "limits-on-sparql"
    assert _slug("Classifications: SOC 2018 and ISCO-08") == "classifications-soc-2018-and-isco-08"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## A `code` heading\n", encoding="utf-8")
    (tmp_path / "x.md").write_text("", encoding="utf-8")
    page = tmp_path / "docs" / "probe.md"
    page.write_text(
        "# Title\n\n[ok](#title) [ok](other.md#a-code-heading) [ok](../x.md) [web](https://example.org/#x)\n"
        "[gone](#nowhere) [gone](other.md#other-1) [file](no-such.md) [out](../../x.md) `[code](ignored.md)`\n"
        '```\n[fenced](ignored.md)\n```\n<img src="gone.png" alt="">\n',
        encoding="utf-8",
    )
    assert broken(page, tmp_path) == [
        "#nowhere: no heading #nowhere in docs/probe.md",
        "other.md#other-1: no heading #other-1 in docs/other.md",
        "no-such.md: no such file in the repository",
        "../../x.md: no such file in the repository",
        "gone.png: no such file in the repository",
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(path: Path) -> None:
    assert broken(path) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_at_the_design_notes_outside_the_repository(path: Path) -> None:
    assert "/shared/" not in path.read_text(encoding="utf-8")


def test_the_readme_reads_in_five_minutes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 260
    first_screen = "\n".join(readme.splitlines()[:30])
    assert ".venv/bin/pip install . && .venv/bin/rolegraph build" in first_screen
    assert ".venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in first_screen
    order = ["## The CLI", "## Adding a page", "## The data model", "## Python", "## Browsing"]
    assert [readme.index(heading) for heading in order] == sorted(readme.index(heading) for heading in order)


def test_the_sdist_ships_what_the_readme_links() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    include = pyproject.split("[tool.hatch.build.targets.sdist]", 1)[1].split("\n[", 1)[0]
    assert '"docs/"' in include and '"bench/"' in include
